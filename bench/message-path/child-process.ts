import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { onProcessExit } from '../cleanup.js';

export interface NodeChild {
  readonly name: string;
  readonly pid: number;
  /** Resolves with the exit code (or signal) when the child exits, however it exits. */
  readonly exited: Promise<string>;
  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export interface SpawnOptions {
  readonly name: string;
  readonly cwd: string;
  readonly nodeArgs: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  /** Which output lines to pass on to our stderr (prefixed with the name); default: all. */
  readonly forward?: (line: string) => boolean;
}

/** Runs `node <args>` in its own process; killed with SIGKILL if this process exits first. */
export function spawnNode(options: SpawnOptions): NodeChild {
  const child: ChildProcess = spawn(process.execPath, options.nodeArgs, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const unregister = onProcessExit(() => child.kill('SIGKILL'));
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => {
      unregister();
      resolve(signal ?? String(code));
    });
    child.once('error', (error) => {
      unregister();
      resolve(`spawn error: ${error.message}`);
    });
  });
  const forward = options.forward ?? (() => true);
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    createInterface({ input: stream }).on('line', (line) => {
      if (forward(line)) process.stderr.write(`[${options.name}] ${line}\n`);
    });
  }
  return {
    name: options.name,
    pid: child.pid ?? -1,
    exited,
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Polls `url` until it answers 2xx; fails if the child exits first or `timeoutMs` passes. */
export async function waitUntilServing(
  child: NodeChild,
  url: string,
  timeoutMs = 60_000,
): Promise<void> {
  let exitedWith: string | null = null;
  void child.exited.then((how) => (exitedWith = how));
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (exitedWith !== null)
      throw new Error(`${child.name} exited (${exitedWith}) before serving ${url}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await response.body?.cancel();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (performance.now() > deadline)
      throw new Error(`${child.name} did not serve ${url} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
