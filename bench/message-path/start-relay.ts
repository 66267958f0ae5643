import { spawnNode, waitUntilServing } from './child-process.js';
import { freePort } from './free-port.js';
import { REPO_ROOT } from './repo-root.js';
import type { RunningServer } from './start-server.js';

/** Starts the baseline relay in its own process, like the server, so both sides pay the same hops. */
export async function startRelay(): Promise<RunningServer> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port) };
  delete env.NODE_OPTIONS;
  const child = spawnNode({
    name: 'baseline-relay',
    cwd: REPO_ROOT,
    nodeArgs: ['--import', 'tsx', 'bench/message-path/baseline-relay-main.ts'],
    env,
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitUntilServing(child, `${baseUrl}/`);
  } catch (error) {
    await child.stop(2_000);
    throw error;
  }
  return { baseUrl, wsUrl: `ws://127.0.0.1:${port}/`, child, stop: () => child.stop() };
}
