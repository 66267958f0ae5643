import { describe, expect, it } from 'vitest';
import { measureCoreDecisions } from './core-decisions.js';

describe('measureCoreDecisions', () => {
  it('reports decision percentiles beside the baseline scan of the same run', () => {
    const metrics = measureCoreDecisions({ agents: 400, tickets: 2_000, quick: true });
    expect(Object.keys(metrics).sort()).toEqual([
      'baseline_decision_p50_us',
      'baseline_decision_p99_us',
      'decision_p50_us',
      'decision_p99_us',
    ]);
    for (const value of Object.values(metrics)) expect(value).toBeGreaterThan(0);
    expect(metrics.decision_p50_us).toBeLessThanOrEqual(metrics.decision_p99_us);
  });
});
