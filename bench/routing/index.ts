import type { Benchmark, BenchmarkOptions, Metrics } from '../benchmark.js';
import { measureBurst } from './burst.js';
import { measureCoreDecisions } from './core-decisions.js';

const AGENTS = 10_000;

/**
 * routing: the core's choice of agent per ticket (10,000 agents, 100,000 queued tickets; quick:
 * 10,000) beside a naive scan of every agent in the same run, then 10,000 queued tickets (quick:
 * 2,000) offered end to end by the server on PostgreSQL, and the invariants audited afterwards.
 */
export const routing: Benchmark = {
  async run({ quick, args, log }: BenchmarkOptions): Promise<Metrics> {
    if (args.length > 0) throw new Error(`routing: unknown options ${args.join(' ')}`);
    const core = measureCoreDecisions({ agents: AGENTS, tickets: 100_000, quick, log });
    const burst = await measureBurst({
      agents: AGENTS,
      tickets: quick ? 2_000 : 10_000,
      timeoutMs: quick ? 30_000 : 120_000,
      log,
    });
    return {
      decision_p50_us: core.decision_p50_us,
      decision_p99_us: core.decision_p99_us,
      baseline_decision_p99_us: core.baseline_decision_p99_us,
      burst_routed_per_s: burst.burst_routed_per_s,
      violations: burst.violations,
    };
  },
};
