import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TriggerRun } from './run-triggers.js';
import { compileTriggers, runTriggers, runTriggersNaive } from './run-triggers.js';
import { triggersArb, updateArb } from './testing/arbitraries.js';

/** What a run did, without the count of evaluations (which only the index changes). */
function outcome(run: TriggerRun) {
  return {
    after: run.after,
    events: run.events,
    firings: run.firings.map((f) => ({ id: f.trigger.id, effects: f.effects })),
  };
}

describe('trigger runs on random triggers and updates', () => {
  it('end after at most one firing per active trigger, each firing at most once', () => {
    fc.assert(
      fc.property(triggersArb, updateArb, (triggers, update) => {
        const run = runTriggers(compileTriggers(triggers), update);
        const active = triggers.filter((t) => t.active).length;
        const ids = run.firings.map((f) => f.trigger.id);
        expect(new Set(ids).size).toBe(ids.length);
        expect(ids.length).toBeLessThanOrEqual(active);
        // N + 1 passes over N triggers at most.
        expect(run.evaluated).toBeLessThanOrEqual(active * (active + 1));
        expect(run.firings.every((f) => f.trigger.active)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('give the same result with the index as by evaluating every trigger', () => {
    fc.assert(
      fc.property(triggersArb, updateArb, (triggers, update) => {
        const indexed = runTriggers(compileTriggers(triggers), update);
        const naive = runTriggersNaive(triggers, update);
        expect(outcome(indexed)).toEqual(outcome(naive));
        expect(indexed.evaluated).toBeLessThanOrEqual(naive.evaluated);
      }),
      { numRuns: 1_000 },
    );
  });

  it('never fire a messaging trigger on a ticket without an active messaging session', () => {
    fc.assert(
      fc.property(triggersArb, updateArb, (triggers, update) => {
        const live = update.after.channel === 'messaging' && update.after.sessionState === 'active';
        const run = runTriggers(compileTriggers(triggers), update);
        if (!live) expect(run.firings.filter((f) => f.trigger.scope === 'messaging')).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
