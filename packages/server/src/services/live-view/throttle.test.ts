import { describe, expect, it } from 'vitest';
import { Throttle } from './throttle.js';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Throttle', () => {
  it('runs at once after a quiet spell', async () => {
    let runs = 0;
    const t = new Throttle(
      async () => void runs++,
      20,
      () => undefined,
    );

    t.trigger();

    expect(runs).toBe(1);
    await t.idle();
  });

  it('serves a burst of triggers during a run with one more run, not one each', async () => {
    let runs = 0;
    let release!: () => void;
    const t = new Throttle(
      async () => {
        runs++;
        if (runs === 1) await new Promise<void>((resolve) => (release = resolve));
      },
      0,
      () => undefined,
    );
    t.trigger();
    for (let i = 0; i < 100; i++) t.trigger();

    release();
    await tick(10);
    await t.idle();

    expect(runs).toBe(2);
  });

  it('waits out the gap before the next run', async () => {
    const starts: number[] = [];
    const t = new Throttle(
      async () => void starts.push(performance.now()),
      30,
      () => undefined,
    );
    t.trigger();
    await t.idle();

    t.trigger();
    await tick(60);
    await t.idle();

    expect(starts).toHaveLength(2);
    // Timers may fire up to a millisecond or two early against performance.now().
    expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(28);
  });

  it('reports a failed run and keeps working', async () => {
    const errors: unknown[] = [];
    let runs = 0;
    const t = new Throttle(
      async () => {
        runs++;
        if (runs === 1) throw new Error('boom');
      },
      0,
      (e) => errors.push(e),
    );
    t.trigger();
    await t.idle();
    t.trigger();
    await t.idle();

    expect(errors).toHaveLength(1);
    expect(runs).toBe(2);
  });
});
