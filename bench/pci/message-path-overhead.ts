import { createPostgresDatabase, migrate } from '@parlour/storage';
import { loadConfig } from '../../packages/server/src/config.js';
import { createLogger } from '../../packages/server/src/logging/create-logger.js';
import { createServer, type ParlourServer } from '../../packages/server/src/server.js';
import { onInterrupt } from '../cleanup.js';
import { adminUrl, createScratchDatabase } from '../message-path/postgres-database.js';

export interface OverheadOptions {
  readonly messages: readonly string[];
  readonly perRound: number;
  readonly rounds: number;
  readonly log: (line: string) => void;
}

export interface OverheadMetrics {
  readonly message_path_msgs_per_s: number;
  readonly message_path_unguarded_msgs_per_s: number;
  readonly message_path_overhead_ratio: number;
}

const SKIPPED: OverheadMetrics = {
  message_path_msgs_per_s: -1,
  message_path_unguarded_msgs_per_s: -1,
  message_path_overhead_ratio: -1,
};
const CONVERSATIONS = 200;
const IN_FLIGHT = 400;

/**
 * The message path (MessageWriter: guard, group commit into PostgreSQL, rules, publish) with the
 * card-data scan, and the same path without it (the baseline, `unguardedMessagesForBenchmark`),
 * in one process on one scratch database, rounds alternating so both see the same machine.
 * Throughput is the best round of each; the ratio is with ÷ without (1 = no cost).
 */
export async function measureMessagePathOverhead(
  options: OverheadOptions,
): Promise<OverheadMetrics> {
  const { log } = options;
  const scratch = await createScratchDatabase(
    process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || adminUrl(),
  );
  if (!scratch) {
    log('pci message path: PostgreSQL is not reachable: metrics are -1');
    return SKIPPED;
  }
  const offCleanUp = onInterrupt(() => scratch.drop());
  const database = createPostgresDatabase({ url: scratch.url, maxConnections: 8 });
  const servers: ParlourServer[] = [];
  try {
    await migrate(database);
    const config = loadConfig({ PORT: '0', LOG_LEVEL: 'silent', PARLOUR_DEMO: 'false' });
    const logger = createLogger({ level: 'silent' });
    const guarded = await createServer(config, { database, logger });
    const unguarded = await createServer(config, {
      database,
      logger,
      unguardedMessagesForBenchmark: true,
    });
    servers.push(guarded, unguarded);
    const conversations: { endUserId: string; conversationId: string }[] = [];
    for (let i = 0; i < CONVERSATIONS; i++) {
      const session = await guarded.services.auth.widgetSession({});
      const started = await guarded.services.conversations.start(session.endUser.id);
      conversations.push({
        endUserId: session.endUser.id,
        conversationId: started.conversation.id,
      });
    }
    let next = 0;
    const round = async (server: ParlourServer): Promise<number> => {
      const began = performance.now();
      let sent = 0;
      const worker = async () => {
        while (sent < options.perRound) {
          const i = sent++;
          const c = conversations[i % conversations.length]!;
          await server.services.messages.post({
            actor: { type: 'end_user', id: c.endUserId },
            conversationId: c.conversationId,
            kind: 'public',
            body: options.messages[next++ % options.messages.length]!,
            clientMessageId: null,
          });
        }
      };
      await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
      return options.perRound / ((performance.now() - began) / 1000);
    };
    await round(guarded); // warm-up: JIT, pool, caches
    await round(unguarded);
    let best = { with: 0, without: 0 };
    for (let r = 0; r < options.rounds; r++) {
      const without = await round(unguarded);
      const withScan = await round(guarded);
      log(
        `pci message path round ${r + 1}: ${withScan.toFixed(0)} vs ${without.toFixed(0)} msgs/s`,
      );
      best = { with: Math.max(best.with, withScan), without: Math.max(best.without, without) };
    }
    return {
      message_path_msgs_per_s: Math.round(best.with),
      message_path_unguarded_msgs_per_s: Math.round(best.without),
      message_path_overhead_ratio: Number((best.with / best.without).toFixed(3)),
    };
  } finally {
    for (const s of servers) await s.close().catch(() => {});
    await database.close();
    offCleanUp();
    await scratch.drop();
  }
}
