/** What `bench/run.ts` expects of a benchmark. */
export type Metrics = Record<string, number>;

export interface BenchmarkOptions {
  /** A shorter run that finishes within 60 s. */
  readonly quick: boolean;
  /** Arguments after the name other than --quick (benchmark specific). */
  readonly args: readonly string[];
  /** Progress output (stderr): stdout is kept for the result line. */
  readonly log: (line: string) => void;
}

export interface Benchmark {
  run(options: BenchmarkOptions): Promise<Metrics>;
}
