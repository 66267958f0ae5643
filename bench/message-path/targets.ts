import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onInterrupt } from '../cleanup.js';
import { postgresCpuSeconds, processCpuSeconds, selfCpuSeconds } from './cpu.js';
import { relayFixture, type Fixture } from './fixture.js';
import { parlourFixture } from './parlour-fixture.js';
import { CONVERSATIONS } from './plan.js';
import { adminUrl, createScratchDatabase } from './postgres-database.js';
import { startRelay } from './start-relay.js';
import { startParlour, type RunningServer } from './start-server.js';

/** A started system under test, ready for its fixture; `dispose` stops it and removes its data. */
export interface Prepared {
  readonly server: RunningServer;
  readonly fixture: () => Promise<Fixture>;
  readonly trackAcks: boolean;
  readonly cpuCounters: Record<string, () => number>;
  dispose(): Promise<void>;
}

type Log = (line: string) => void;

export async function prepareBaseline(log: Log): Promise<Prepared> {
  const server = await timed(startRelay(), log);
  return {
    server,
    fixture: async () => relayFixture(server.wsUrl, CONVERSATIONS),
    trackAcks: false,
    cpuCounters: counters(server),
    dispose: guarded(() => server.stop()),
  };
}

/** Parlour on a scratch PostgreSQL database; null (and a note) when PostgreSQL is not reachable. */
export async function preparePostgres(log: Log): Promise<Prepared | null> {
  const url = adminUrl();
  const database = await createScratchDatabase(url);
  if (!database) {
    log(
      `PostgreSQL is not reachable at ${redact(url)} (set BENCH_DATABASE_URL): postgres metrics are -1`,
    );
    return null;
  }
  log(`postgres: scratch database ${database.name} on ${redact(url)}`);
  const parlour = await prepareParlour('postgres', database.url, log, () => database.drop()).catch(
    async (error: unknown) => {
      await database.drop();
      throw error;
    },
  );
  return {
    ...parlour,
    cpuCounters: { ...parlour.cpuCounters, db: () => postgresCpuSeconds(database.name) },
  };
}

/** Parlour on embedded PGlite in a temporary DATA_DIR. */
export function preparePglite(log: Log): Promise<Prepared> {
  return prepareParlour('pglite', undefined, log, async () => undefined);
}

async function prepareParlour(
  target: string,
  databaseUrl: string | undefined,
  log: Log,
  dropDatabase: () => Promise<void>,
): Promise<Prepared> {
  const dataDir = mkdtempSync(join(tmpdir(), `parlour-bench-${target}-`));
  const removeData = async () => {
    rmSync(dataDir, { recursive: true, force: true });
    await dropDatabase();
  };
  const offData = onInterrupt(removeData);
  let server: RunningServer;
  try {
    server = await timed(
      startParlour(`parlour-${target}`, { ...(databaseUrl ? { databaseUrl } : {}), dataDir }),
      log,
    );
  } catch (error) {
    offData();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    server,
    fixture: () => parlourFixture(server.baseUrl, server.wsUrl, CONVERSATIONS),
    trackAcks: true,
    cpuCounters: counters(server),
    dispose: guarded(async () => {
      try {
        await server.stop();
      } finally {
        offData();
        await removeData();
      }
    }),
  };
}

/** Stops the server on Ctrl-C too; dispose runs once. */
function guarded(dispose: () => Promise<void>): () => Promise<void> {
  let once: Promise<void> | null = null;
  const run = () => (once ??= dispose());
  const off = onInterrupt(run);
  return async () => {
    off();
    await run();
  };
}

async function timed(starting: Promise<RunningServer>, log: Log): Promise<RunningServer> {
  const started = performance.now();
  const server = await starting;
  log(
    `${server.child.name} serving at ${server.baseUrl} after ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  return server;
}

function counters(server: RunningServer): Record<string, () => number> {
  return { server: () => processCpuSeconds(server.child.pid), client: selfCpuSeconds };
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
