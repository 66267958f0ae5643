/**
 * Clean-up that must happen however a benchmark ends: child processes are killed on exit (sync),
 * and on Ctrl-C / SIGTERM the registered async clean-ups (dropping a database, removing a temp
 * directory) get a few seconds before the process exits.
 */
type Cleanup = () => Promise<void> | void;

const cleanups = new Set<Cleanup>();
const onExit = new Set<() => void>();
let installed = false;

/** Registers an async clean-up for interruptions; returns a function that unregisters it. */
export function onInterrupt(cleanup: Cleanup): () => void {
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

/** Registers a synchronous action for process exit (e.g. SIGKILL a child); returns its unregister. */
export function onProcessExit(action: () => void): () => void {
  onExit.add(action);
  return () => onExit.delete(action);
}

export function installSignalHandlers(): void {
  if (installed) return;
  installed = true;
  process.on('exit', () => {
    for (const action of onExit) {
      try {
        action();
      } catch {
        // best effort while exiting
      }
    }
  });
  const interrupted = (signal: NodeJS.Signals) => {
    process.stderr.write(`\n${signal}: cleaning up…\n`);
    const all = [...cleanups].map(async (c) => {
      try {
        await c();
      } catch {
        // best effort while interrupted
      }
    });
    const deadline = new Promise((resolve) => setTimeout(resolve, 5_000).unref());
    void Promise.race([Promise.all(all), deadline]).finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
}
