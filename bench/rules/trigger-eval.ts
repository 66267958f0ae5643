import {
  compileTriggers,
  runTriggers,
  runTriggersNaive,
  type TicketUpdate,
  type TriggerRun,
} from '@parlour/core';
import { percentile } from '../message-path/percentiles.js';
import { buildTriggerFixture } from './trigger-fixture.js';

export interface TriggerEvalOptions {
  readonly triggers: number;
  readonly updates: number;
  readonly log?: (line: string) => void;
  readonly seed?: number;
}

export interface TriggerEvalMetrics {
  /** runTriggers over the compiled (indexed) triggers, per ticket update (fastest of 3), µs. */
  readonly trigger_eval_p50_us: number;
  readonly trigger_eval_p99_us: number;
  /** runTriggersNaive (every trigger evaluated on every pass), same updates, same run, µs. */
  readonly baseline_trigger_eval_p50_us: number;
  readonly baseline_trigger_eval_p99_us: number;
  /** Mean triggers whose conditions were evaluated per update, indexed and naive. */
  readonly evaluated_per_update: number;
  readonly baseline_evaluated_per_update: number;
  /** Mean firings per update (the same for both, or the run fails). */
  readonly firings_per_update: number;
}

type Run = (update: TicketUpdate) => TriggerRun;

const REPEATS = 3;

/**
 * Times `run` on each update, µs, sorted. Each update is run REPEATS times and its fastest time
 * kept: the runs are pure, and on a machine shared with other work the slowest of them measures
 * the scheduler (a preempted time slice is milliseconds), not the rules.
 */
function time(updates: readonly TicketUpdate[], run: Run, out: TriggerRun[] | null) {
  const samples = new Float64Array(updates.length);
  for (let i = 0; i < updates.length; i++) {
    let best = Infinity;
    for (let k = 0; k < REPEATS; k++) {
      const started = process.hrtime.bigint();
      const result = run(updates[i]!);
      best = Math.min(best, Number(process.hrtime.bigint() - started) / 1_000);
      if (out) out[i] = result;
    }
    samples[i] = best;
  }
  return samples.sort();
}

const round = (us: number) => Math.round(us * 100) / 100;
const mean = (runs: readonly TriggerRun[], f: (r: TriggerRun) => number) =>
  round(runs.reduce((sum, r) => sum + f(r), 0) / runs.length);

/** What a run did, for comparing the two runners (not the count of evaluations). */
function signature(run: TriggerRun): string {
  return JSON.stringify([
    run.firings.map((f) => f.trigger.id),
    run.events.map((e) => e.type),
    run.after.ticket,
  ]);
}

/**
 * The trigger half of the rules benchmark: `triggers` active triggers compiled once, then each
 * ticket update run through runTriggers (the index) and, in the same run, through
 * runTriggersNaive (every trigger each pass). Both must give the same result for every update.
 */
export function measureTriggerEval(options: TriggerEvalOptions): TriggerEvalMetrics {
  const log = options.log ?? (() => {});
  const fixture = buildTriggerFixture(options.triggers, options.updates, options.seed ?? 1);
  const compiled = compileTriggers(fixture.triggers);
  // The naive runner sorts what it is given; hand it the triggers already in order, as a cache would.
  const ordered = compiled.ordered;
  log(
    `rules triggers: ${fixture.triggers.length} triggers, ${compiled.always.length} without a gate, ${options.updates} updates`,
  );

  // Warm the JIT on other updates, so the first timed runs are not the interpreter's.
  const warm = buildTriggerFixture(options.triggers, 3_000, 99).updates;
  time(warm, (u) => runTriggers(compiled, u), null);
  time(warm, (u) => runTriggersNaive(ordered, u), null);

  const indexed: TriggerRun[] = [];
  const naive: TriggerRun[] = [];
  log('rules triggers: runTriggers over the index');
  const core = time(fixture.updates, (u) => runTriggers(compiled, u), indexed);
  log('rules triggers: runTriggersNaive (baseline)');
  const baseline = time(fixture.updates, (u) => runTriggersNaive(ordered, u), naive);

  const differ = indexed.findIndex((r, i) => signature(r) !== signature(naive[i]!));
  if (differ !== -1) throw new Error(`index and naive runs differ on update ${differ}`);
  const metrics = {
    trigger_eval_p50_us: round(percentile(core, 50)),
    trigger_eval_p99_us: round(percentile(core, 99)),
    baseline_trigger_eval_p50_us: round(percentile(baseline, 50)),
    baseline_trigger_eval_p99_us: round(percentile(baseline, 99)),
    evaluated_per_update: mean(indexed, (r) => r.evaluated),
    baseline_evaluated_per_update: mean(naive, (r) => r.evaluated),
    firings_per_update: mean(indexed, (r) => r.firings.length),
  };
  log(`rules triggers: ${JSON.stringify(metrics)}`);
  return metrics;
}
