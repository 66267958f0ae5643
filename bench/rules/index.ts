import type { Benchmark, BenchmarkOptions, Metrics } from '../benchmark.js';
import { measureTimerLateness } from './timer-lateness.js';
import { measureTriggerEval } from './trigger-eval.js';

const TRIGGERS = 1_000;

/**
 * rules: 1,000 active triggers compiled once, each ticket update run through the index beside the
 * naive evaluation of every trigger (same updates, same run); then durable timers' lateness on
 * PostgreSQL with 1,000,000 pending timers beside an empty table (quick: 200,000).
 */
export const rules: Benchmark = {
  async run({ quick, args, log }: BenchmarkOptions): Promise<Metrics> {
    if (args.length > 0) throw new Error(`rules: unknown options ${args.join(' ')}`);
    const triggers = measureTriggerEval({
      triggers: TRIGGERS,
      updates: quick ? 5_000 : 20_000,
      log,
    });
    const timers = await measureTimerLateness({
      pending: quick ? 200_000 : 1_000_000,
      due: quick ? 600 : 2_000,
      spreadMs: quick ? 3_000 : 10_000,
      log,
    });
    return { ...triggers, ...timers };
  },
};
