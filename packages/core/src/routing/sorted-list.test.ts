import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SortedList } from './sorted-list.js';

const byNumber = (a: number, b: number) => a - b;

describe('SortedList', () => {
  it('keeps its items in order through any sequence of additions and deletions', () => {
    const op = fc.oneof(
      fc.record({ add: fc.constant(true), value: fc.integer({ min: 0, max: 2_000 }) }),
      fc.record({ add: fc.constant(false), value: fc.integer({ min: 0, max: 2_000 }) }),
    );
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 2_000 }), { maxLength: 700 }),
        fc.array(op, { maxLength: 1_500 }),
        (initial, ops) => {
          const list = new SortedList(byNumber, initial);
          const model = new Set(initial);
          for (const { add, value } of ops) {
            if (add) {
              if (model.has(value)) continue;
              list.add(value);
              model.add(value);
            } else {
              expect(list.delete(value)).toBe(model.delete(value));
            }
          }
          const expected = [...model].sort(byNumber);
          expect([...list]).toEqual(expected);
          expect(list.size).toBe(expected.length);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('swaps an item for one that sorts the same, in place', () => {
    const byId = (a: { id: number }, b: { id: number }) => a.id - b.id;
    const list = new SortedList(byId, [{ id: 1 }, { id: 2 }, { id: 3 }]);
    const two = { id: 2, note: 'new' };
    expect(list.replace({ id: 2 }, two)).toBe(true);
    expect([...list][1]).toBe(two);
    expect(list.replace({ id: 4 }, { id: 4 })).toBe(false);
  });

  it('stops a scan when the visitor has seen enough', () => {
    const list = new SortedList(byNumber, [5, 1, 4, 2, 3]);
    const seen: number[] = [];
    list.scan((n) => {
      seen.push(n);
      return n < 3;
    });
    expect(seen).toEqual([1, 2, 3]);
  });
});
