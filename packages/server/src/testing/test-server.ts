import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StorageKind } from '@parlour/storage';
import type { Logger } from 'pino';
import { createLogger } from '../logging/create-logger.js';
import { createTestDatabase } from '../../../storage/src/testing/test-database.js';
import type { Bus } from '../bus/bus.js';
import { ManualClock, type Clock } from '../clock.js';
import { loadConfig } from '../config.js';
import { seedDemo } from '../seed-demo.js';
import { createServer, type ParlourServer } from '../server.js';

export interface TestServer {
  readonly server: ParlourServer;
  /** http://127.0.0.1:<port> when listening, else '' (inject only). */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * A Parlour server on a fresh database copied from the migrated template, with the demo
 * workspace. `listen: true` serves on a random loopback port (for WebSocket and socket tests).
 */
export async function startTestServer(
  kind: StorageKind,
  options: {
    listen?: boolean;
    clock?: Clock;
    bus?: Bus;
    /** Where the server logs (default: silent, or TEST_LOG_LEVEL). */
    logger?: Logger;
    seed?: boolean;
    /** Seed the demo bot flow and articles too (off by default: the bot adds feed entries). */
    bot?: boolean;
    env?: Record<string, string>;
  } = {},
): Promise<TestServer> {
  const database = await createTestDatabase(kind);
  // Each server keeps its attachments in its own temporary directory, never in ./data.
  const attachmentsDir = await mkdtemp(join(tmpdir(), 'parlour-attachments-'));
  const config = loadConfig({
    PORT: '0',
    LOG_LEVEL: 'silent',
    HEARTBEAT_MS: '60000',
    ATTACHMENTS_DIR: attachmentsDir,
    ...options.env,
  });
  const server = await createServer(config, {
    database,
    clock: options.clock ?? new ManualClock(),
    logger: options.logger ?? createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    ...(options.bus ? { bus: options.bus } : {}),
  });
  if (options.seed !== false)
    await seedDemo(database, server.services, { bot: options.bot ?? false });
  let url = '';
  if (options.listen) {
    // A fixed PORT (with a matching PUBLIC_URL) lets a browser open the socket from the page's origin.
    await server.app.listen({ host: '127.0.0.1', port: Number(options.env?.PORT ?? 0) });
    const address = server.app.server.address();
    if (address && typeof address === 'object') url = `http://127.0.0.1:${address.port}`;
  }
  return {
    server,
    url,
    async close() {
      await server.close();
      await database.close();
      await rm(attachmentsDir, { recursive: true, force: true });
    },
  };
}
