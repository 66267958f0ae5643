import type { Step } from './load.js';

export const CONVERSATIONS = 1_000;
export const AGENT_SOCKETS = 10;
/** The rate at which `*_p50_ms` / `*_p99_ms` are reported. */
export const MEASURE_RATE = 5_000;
/** A step passes with at least this share delivered by the end of its drain… */
export const PASS_DELIVERED = 0.999;
/** …and a p99 at most this. */
export const PASS_P99_MS = 100;
/** …and the client actually sending at (nearly) the target rate. */
export const PASS_SEND_SHARE = 0.95;
export const BODY =
  'Hello! I ordered a blue kettle last week and it has not arrived yet. Could you check?';

/** Messages kept outstanding in the closed-loop step that measures the sustained rate. */
export const SUSTAINED_WINDOW = 1_000;

export interface Plan {
  /** The warm-up, the closed-loop step, then the open-loop ladder. */
  readonly steps: readonly Step[];
  /** Rates of the measured steps (the warm-up is not one of them). */
  readonly rates: readonly number[];
  /** Cap on waiting for stragglers after an overloaded step and at the end (while they still arrive). */
  readonly finalDrainMs: number;
}

function plan(
  warmup: { rate: number; ms: number },
  rates: readonly number[],
  stepMs: number,
  sustainedMs: number,
  drainMs: number,
  finalDrainMs: number,
): Plan {
  return {
    steps: [
      { label: 'warm-up', rate: warmup.rate, durationMs: warmup.ms, drainMs },
      // Before the ladder, whose last (overloaded) step may leave a backlog behind.
      { label: 'sustained', rate: 0, window: SUSTAINED_WINDOW, durationMs: sustainedMs, drainMs },
      ...rates.map((rate) => ({ label: `${rate}/s`, rate, durationMs: stepMs, drainMs })),
    ],
    rates,
    finalDrainMs,
  };
}

/** Full: 5 s per step from 500 up to 30,000 msgs/s (the ladder stops at the first failed step). */
export const FULL_PLAN = plan(
  { rate: 500, ms: 3_000 },
  [500, 1_000, 2_000, 5_000, 10_000, 15_000, 20_000, 30_000],
  5_000,
  5_000,
  5_000,
  120_000,
);

/** Quick: 2 s per step, fewer steps, shorter drains (the whole run within 60 s). */
export const QUICK_PLAN = plan(
  { rate: 500, ms: 1_000 },
  [5_000, 10_000, 15_000],
  2_000,
  1_500,
  1_000,
  2_500,
);
