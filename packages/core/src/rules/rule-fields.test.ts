import { describe, expect, it } from 'vitest';
import {
  CHANGE_OPERATORS,
  FIELD_CATALOG,
  PRIORITY_RANK,
  RULE_FIELDS,
  TIME_FIELDS,
  operatorsFor,
} from './rule-fields.js';

describe('the field catalog', () => {
  it('gives every field at least one operator and one place it can be used', () => {
    for (const field of RULE_FIELDS) {
      expect(FIELD_CATALOG[field].operators.length, field).toBeGreaterThan(0);
      expect(FIELD_CATALOG[field].usage.length, field).toBeGreaterThan(0);
    }
  });

  it('offers the change operators only to triggers', () => {
    expect(operatorsFor('status', 'trigger')).toEqual(
      expect.arrayContaining([...CHANGE_OPERATORS]),
    );
    for (const field of RULE_FIELDS) {
      for (const usage of ['automation', 'workflow'] as const) {
        for (const op of CHANGE_OPERATORS) expect(operatorsFor(field, usage)).not.toContain(op);
      }
    }
  });

  it('keeps time fields out of triggers', () => {
    for (const field of TIME_FIELDS) expect(operatorsFor(field, 'trigger')).toEqual([]);
    expect(operatorsFor('hours_since_solved', 'automation')).toEqual([
      'is',
      'less_than',
      'greater_than',
    ]);
  });

  it('offers "time since last outgoing message" to workflow branches only, with exists', () => {
    expect(operatorsFor('minutes_since_last_outgoing_message', 'automation')).toEqual([]);
    expect(operatorsFor('minutes_since_last_outgoing_message', 'workflow')).toEqual([
      'exists',
      'not_exists',
      'less_than',
      'greater_than',
    ]);
  });

  it('lets only priority among ticket fields be compared as less or greater', () => {
    const ordered = RULE_FIELDS.filter(
      (f) => !TIME_FIELDS.includes(f) && FIELD_CATALOG[f].operators.includes('less_than'),
    );
    expect(ordered).toEqual(['priority']);
    expect(PRIORITY_RANK.low).toBeLessThan(PRIORITY_RANK.normal);
    expect(PRIORITY_RANK.normal).toBeLessThan(PRIORITY_RANK.high);
    expect(PRIORITY_RANK.high).toBeLessThan(PRIORITY_RANK.urgent);
  });

  it('has no "changed" for the channel, which never changes', () => {
    expect(operatorsFor('channel', 'trigger')).toEqual(['is', 'is_not']);
  });
});
