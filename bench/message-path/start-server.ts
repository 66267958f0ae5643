import { spawnNode, waitUntilServing, type NodeChild } from './child-process.js';
import { freePort } from './free-port.js';
import { REPO_ROOT } from './repo-root.js';

export interface RunningServer {
  readonly baseUrl: string;
  readonly wsUrl: string;
  readonly child: NodeChild;
  stop(): Promise<void>;
}

export interface ParlourStorage {
  /** PostgreSQL; without it the server runs on PGlite in `dataDir`. */
  readonly databaseUrl?: string;
  readonly dataDir: string;
}

/**
 * Starts the Parlour server as `npm start` does, in its own process, on a free port, with the demo
 * workspace and LOG_LEVEL=warn. With BENCH_CPU_PROF=<dir> the server writes a V8 CPU profile there
 * when it stops.
 */
export async function startParlour(name: string, storage: ParlourStorage): Promise<RunningServer> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of ['PUBLIC_URL', 'REDIS_URL', 'DATABASE_URL', 'NODE_OPTIONS']) delete env[key];
  Object.assign(env, {
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'warn',
    PARLOUR_DEMO: 'true',
    // Thousands of end users from one IP, each at up to 30 msgs/s: the limits stay on (their cost
    // is measured) but far above what the load sends.
    RATE_LIMIT_IP_PER_MIN: '10000000',
    RATE_LIMIT_TOKEN_PER_MIN: '10000000',
    RATE_LIMIT_WS_FRAMES_PER_10S: '10000000',
    DATA_DIR: storage.dataDir,
    ...(storage.databaseUrl ? { DATABASE_URL: storage.databaseUrl } : {}),
  });
  const profileDir = process.env.BENCH_CPU_PROF;
  const child = spawnNode({
    name,
    cwd: REPO_ROOT,
    nodeArgs: [
      // One file per thread (the main thread and tsx's loader thread), named by pid and thread id.
      ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
      '--import',
      'tsx',
      'packages/server/src/main.ts',
    ],
    env,
    // The start-up banner goes to stdout; pass on only log lines (pino JSON) and anything on stderr.
    forward: (line) => line.startsWith('{') || /error|warn/i.test(line),
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitUntilServing(child, `${baseUrl}/healthz`);
  } catch (error) {
    await child.stop(2_000);
    throw error;
  }
  // A server still working off a backlog is not waited for, unless it is to write its profile.
  return {
    baseUrl,
    wsUrl: `ws://127.0.0.1:${port}/ws`,
    child,
    stop: () => child.stop(profileDir ? 60_000 : 2_000),
  };
}
