import { describe, expect, it } from 'vitest';
import { businessMsBetween, isWithinBusinessHours, validateSchedule } from './business-hours.js';
import { isValidTimeZone } from './time-zone.js';
import { DomainError } from '../errors.js';

const H = 3_600_000;
const at = (iso: string): number => Date.parse(iso);
const weekdays = (start: string, end: string) =>
  [1, 2, 3, 4, 5].map((day) => ({ day, start, end }));

const berlinOffice = {
  timeZone: 'Europe/Berlin',
  intervals: weekdays('09:00', '17:00'),
  holidays: ['2026-12-25'],
};

describe('businessMsBetween', () => {
  it('counts only opening hours across a weekend', () => {
    // Fri 2026-11-20 16:00 Berlin (15:00Z) → Mon 2026-11-23 10:00 Berlin: 1 h Friday + 1 h Monday.
    expect(
      businessMsBetween(berlinOffice, at('2026-11-20T15:00:00Z'), at('2026-11-23T09:00:00Z')),
    ).toBe(2 * H);
  });

  it('skips a holiday as a whole local day', () => {
    // Thu 24 Dec 16:00 → Mon 28 Dec 10:00: 1 h Thursday, Friday 25 is a holiday, 1 h Monday.
    expect(
      businessMsBetween(berlinOffice, at('2026-12-24T15:00:00Z'), at('2026-12-28T09:00:00Z')),
    ).toBe(2 * H);
  });

  it('is zero outside opening hours and for an empty or reversed span', () => {
    expect(
      businessMsBetween(berlinOffice, at('2026-11-21T08:00:00Z'), at('2026-11-22T20:00:00Z')),
    ).toBe(0);
    expect(
      businessMsBetween(berlinOffice, at('2026-11-23T10:00:00Z'), at('2026-11-23T10:00:00Z')),
    ).toBe(0);
    expect(
      businessMsBetween(berlinOffice, at('2026-11-23T12:00:00Z'), at('2026-11-23T10:00:00Z')),
    ).toBe(0);
  });

  it('follows the clock change: opening hours stay at local time after DST starts', () => {
    // Mondays 08:00–12:00 Berlin. Mon 23 Mar (CET, +1): 07:00Z–11:00Z; Mon 30 Mar (CEST, +2):
    // 06:00Z–10:00Z. From 23 Mar 07:30Z to 30 Mar 06:30Z: 3.5 h + 0.5 h.
    const mondays = {
      timeZone: 'Europe/Berlin',
      intervals: [{ day: 1, start: '08:00', end: '12:00' }],
      holidays: [],
    };
    expect(businessMsBetween(mondays, at('2026-03-23T07:30:00Z'), at('2026-03-30T06:30:00Z'))).toBe(
      4 * H,
    );
  });

  it('gives the day the clocks go forward its real 23 hours', () => {
    const always = {
      timeZone: 'Europe/Berlin',
      intervals: [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, start: '00:00', end: '24:00' })),
      holidays: ['2026-03-30'],
    };
    // Local Sunday 29 Mar 00:00 (23:00Z on the 28th) to Monday 30 Mar 00:00 (22:00Z), Monday off.
    expect(businessMsBetween(always, at('2026-03-28T23:00:00Z'), at('2026-03-30T22:00:00Z'))).toBe(
      23 * H,
    );
  });

  it('cuts local days in the schedule time zone, not UTC', () => {
    // 09:00–17:00 New York is 14:00Z–22:00Z in November (EST, −5).
    const ny = {
      timeZone: 'America/New_York',
      intervals: weekdays('09:00', '17:00'),
      holidays: [],
    };
    expect(businessMsBetween(ny, at('2026-11-23T00:00:00Z'), at('2026-11-24T00:00:00Z'))).toBe(
      8 * H,
    );
    expect(isWithinBusinessHours(ny, at('2026-11-23T21:59:00Z'))).toBe(true);
    expect(isWithinBusinessHours(ny, at('2026-11-23T22:00:00Z'))).toBe(false);
  });
});

describe('validateSchedule', () => {
  const fieldOf = (fn: () => void): string | undefined => {
    try {
      fn();
    } catch (e) {
      return e instanceof DomainError ? e.field : 'not a domain error';
    }
    return undefined;
  };

  it('accepts a weekly schedule with holidays', () => {
    expect(fieldOf(() => validateSchedule(berlinOffice))).toBeUndefined();
  });

  it('refuses an unknown time zone, naming timeZone', () => {
    expect(fieldOf(() => validateSchedule({ ...berlinOffice, timeZone: 'Mars/Olympus' }))).toBe(
      'timeZone',
    );
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
  });

  it('refuses an interval that ends before it starts', () => {
    const bad = { ...berlinOffice, intervals: [{ day: 1, start: '17:00', end: '09:00' }] };
    expect(fieldOf(() => validateSchedule(bad))).toBe('intervals/0');
  });

  it('refuses overlapping intervals on the same day', () => {
    const bad = {
      ...berlinOffice,
      intervals: [
        { day: 2, start: '09:00', end: '12:00' },
        { day: 2, start: '11:00', end: '15:00' },
      ],
    };
    expect(fieldOf(() => validateSchedule(bad))).toBe('intervals/1');
  });

  it('refuses a holiday that is not a real date', () => {
    expect(fieldOf(() => validateSchedule({ ...berlinOffice, holidays: ['2026-02-30'] }))).toBe(
      'holidays/0/date',
    );
  });
});
