import type { LoadResult, StepOutcome } from './load.js';
import { summarize, type LatencySummary } from './percentiles.js';
import { MEASURE_RATE, PASS_DELIVERED, PASS_P99_MS, PASS_SEND_SHARE, type Plan } from './plan.js';

export interface StepVerdict {
  readonly outcome: StepOutcome;
  readonly latency: LatencySummary;
  readonly ack: LatencySummary;
  readonly achievedRate: number;
  readonly deliveredRatio: number;
  readonly passed: boolean;
}

export function judge(outcome: StepOutcome): StepVerdict {
  const latency = summarize(outcome.latencies);
  const achievedRate = (outcome.sent * 1000) / outcome.elapsedMs;
  const deliveredRatio = outcome.sent > 0 ? outcome.deliveredInTime / outcome.sent : 0;
  const passed =
    deliveredRatio >= PASS_DELIVERED &&
    latency.p99 <= PASS_P99_MS &&
    achievedRate >= PASS_SEND_SHARE * outcome.step.rate;
  return {
    outcome,
    latency,
    ack: summarize(outcome.ackLatencies),
    achievedRate,
    deliveredRatio,
    passed,
  };
}

export function describeStep(target: string, v: StepVerdict): string {
  const cpu = Object.entries(v.outcome.cpu)
    .map(([k, x]) => `${k} ${Number.isFinite(x) ? x.toFixed(2) : '?'}`)
    .join(' ');
  return (
    `${target} ${v.outcome.step.label.padEnd(8)} sent ${v.outcome.sent} (${Math.round(v.achievedRate)}/s), ` +
    `delivered ${(v.deliveredRatio * 100).toFixed(2)}% in time, output ${Math.round(v.outcome.deliveredPerSecondDuring)}/s, ` +
    `latency p50 ${ms(v.latency.p50)} p99 ${ms(v.latency.p99)} p99.9 ${ms(v.latency.p999)} max ${ms(v.latency.max)}` +
    (v.ack.count > 0 ? `, ack p99 ${ms(v.ack.p99)}` : '') +
    ` | cpu cores: ${cpu}` +
    (v.outcome.step.window
      ? ` (closed loop, ${v.outcome.step.window} outstanding)`
      : ` → ${v.passed ? 'pass' : 'FAIL'}`)
  );
}

function ms(x: number): string {
  return Number.isFinite(x) ? `${x.toFixed(1)}ms` : '-';
}

export interface TargetRun {
  readonly result: LoadResult;
  readonly setupSeconds: number;
}

/**
 * The flat metrics of one target (`postgres`, `pglite`, `baseline`); every key is present, -1
 * where there is no figure (target not reachable, step not run, nothing delivered).
 */
export function metricsOf(
  prefix: string,
  plan: Plan,
  run: TargetRun | null,
  shape: { readonly acks: boolean; readonly cpuKeys: readonly string[] },
): Record<string, number> {
  const out: Record<string, number> = {};
  const put = (name: string, value: number, digits: number) => {
    out[`${prefix}_${name}`] = Number.isFinite(value) ? round(value, digits) : -1;
  };
  const outcomes = run ? run.result.outcomes.slice(1) : [];
  const verdicts = outcomes.filter((o) => !o.step.window).map(judge);
  const sustained = outcomes.find((o) => o.step.window);
  const at = (rate: number) => verdicts.find((v) => v.outcome.step.rate === rate);
  const measured = at(MEASURE_RATE);
  put('p50_ms', measured?.latency.p50 ?? NaN, 2);
  put('p99_ms', measured?.latency.p99 ?? NaN, 2);
  put('p999_ms', measured?.latency.p999 ?? NaN, 2);
  if (shape.acks) put('ack_p99_ms', measured && measured.ack.count > 0 ? measured.ack.p99 : NaN, 2);
  put(
    'delivered_ratio',
    run && run.result.sent > 0 ? run.result.delivered / run.result.sent : NaN,
    6,
  );
  const passing = verdicts.filter((v) => v.passed);
  const best =
    passing.length > 0
      ? passing.reduce((a, b) => (b.outcome.step.rate > a.outcome.step.rate ? b : a))
      : undefined;
  put('max_msgs_per_s', run ? (best?.outcome.step.rate ?? 0) : NaN, 0);
  put('max_achieved_msgs_per_s', run ? (best?.achievedRate ?? 0) : NaN, 0);
  put('sustained_msgs_per_s', sustained?.deliveredPerSecondDuring ?? NaN, 0);
  for (const rate of plan.rates) {
    const v = at(rate);
    put(`p99_ms_at_${rate}`, v?.latency.p99 ?? NaN, 2);
    put(`delivered_ratio_at_${rate}`, v?.deliveredRatio ?? NaN, 6);
  }
  for (const key of shape.cpuKeys)
    put(`${key}_cpu_cores_at_${MEASURE_RATE}`, measured?.outcome.cpu[key] ?? NaN, 2);
  put('setup_s', run?.setupSeconds ?? NaN, 1);
  return out;
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
