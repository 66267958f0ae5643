const FIRST_RETRY_MS = 1_000;
const LONGEST_RETRY_MS = 5 * 60_000;

/**
 * How long a timer whose handler failed waits before its next try: 1 s, 2 s, 4 s … capped at
 * 5 min, so a broken handler neither spins nor leaves a timer unfired for hours once it is fixed.
 * `failures` counts the failures so far, including the one just seen.
 */
export function retryDelayMs(failures: number): number {
  const exponent = Math.max(0, failures - 1);
  return Math.min(FIRST_RETRY_MS * 2 ** Math.min(exponent, 30), LONGEST_RETRY_MS);
}
