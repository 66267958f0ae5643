import { validateTriggerDefinition } from '@parlour/core';
import { describe, expect, it } from 'vitest';
import { buildTriggerFixture } from './trigger-fixture.js';
import { measureTriggerEval } from './trigger-eval.js';

describe('the rules benchmark', () => {
  it('makes only triggers an admin could save', () => {
    for (const t of buildTriggerFixture(300, 0, 7).triggers) {
      const { name, category, scope, active, conditions, actions } = t;
      expect(
        validateTriggerDefinition({ name, category, scope, active, conditions, actions }),
      ).toEqual({ name, category, scope, active, conditions, actions });
    }
  });

  it('reports evaluation percentiles beside the naive baseline of the same run', () => {
    const metrics = measureTriggerEval({ triggers: 200, updates: 500 });
    expect(metrics.trigger_eval_p50_us).toBeGreaterThan(0);
    expect(metrics.trigger_eval_p50_us).toBeLessThanOrEqual(metrics.trigger_eval_p99_us);
    expect(metrics.baseline_trigger_eval_p99_us).toBeGreaterThan(0);
    expect(metrics.evaluated_per_update).toBeLessThan(metrics.baseline_evaluated_per_update);
    expect(metrics.firings_per_update).toBeGreaterThan(0);
  });
});
