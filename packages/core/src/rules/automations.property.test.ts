import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AT } from '../testing/build.js';
import { automationDueAt, automationView } from './automations.js';
import { conditionsMatch } from './evaluate-conditions.js';
import { automationArb, factsArb } from './testing/arbitraries.js';
import { HOUR } from './testing/build-rules.js';

const at = (ms: number) => new Date(ms);

describe('automationDueAt on random automations and tickets', () => {
  it('is a moment the conditions hold, and they hold at no earlier moment from now', () => {
    fc.assert(
      fc.property(
        automationArb,
        factsArb,
        fc.integer({ min: 0, max: 200 * HOUR }),
        (automation, facts, offset) => {
          const now = AT.getTime() + offset;
          const matches = (ms: number) =>
            conditionsMatch(automation.conditions, automationView(facts, at(ms)));
          const due = automationDueAt(automation, facts, at(now));
          if (due === null) {
            // Never due: it matches at none of a spread of later moments.
            for (const h of [0, 0.5, 1, 2, 5, 25, 49, 97, 500])
              expect(matches(now + h * HOUR)).toBe(false);
            return;
          }
          expect(due.getTime()).toBeGreaterThanOrEqual(now);
          expect(matches(due.getTime())).toBe(true);
          if (due.getTime() > now) {
            expect(matches(due.getTime() - 1)).toBe(false);
            expect(matches(now)).toBe(false);
          }
        },
      ),
      { numRuns: 2_000 },
    );
  });
});
