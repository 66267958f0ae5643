import { describe, expect, it } from 'vitest';
import {
  newDraft,
  nextInterval,
  normalizeField,
  summarize,
  toBody,
} from './business-hours-draft.js';

describe('the business-hours draft', () => {
  it('starts a new schedule open Monday to Friday, 09:00–17:00', () => {
    const draft = newDraft('Europe/Berlin');
    expect(summarize(toBody(draft).intervals)).toBe('Mon–Fri 09:00–17:00');
    expect(toBody(draft).timeZone).toBe('Europe/Berlin');
  });

  it('sends the rows in the order typed, so the API’s row numbers match the screen', () => {
    const draft = newDraft('UTC');
    const withSaturday = {
      ...draft,
      intervals: [{ key: 99, day: 6, start: '17:00', end: '09:00' }, ...draft.intervals],
    };
    expect(toBody(withSaturday).intervals[0]).toEqual({ day: 6, start: '17:00', end: '09:00' });
  });

  it('reads the core’s "intervals/0" like "intervals.0"', () => {
    expect(normalizeField('intervals/0')).toBe('intervals.0');
    expect(normalizeField('holidays.1.date')).toBe('holidays.1.date');
  });

  it('adds the next interval of a day after its last one', () => {
    const draft = {
      ...newDraft('UTC'),
      intervals: [{ key: 1, day: 1, start: '09:00', end: '12:00' }],
    };
    expect(nextInterval(draft, 1)).toMatchObject({ day: 1, start: '12:00', end: '13:00' });
    expect(nextInterval(draft, 2)).toMatchObject({ day: 2, start: '09:00', end: '17:00' });
  });

  it('summarizes a week by runs of days with the same hours', () => {
    expect(
      summarize([
        { day: 1, start: '09:00', end: '12:00' },
        { day: 1, start: '13:00', end: '17:00' },
        { day: 2, start: '13:00', end: '17:00' },
        { day: 2, start: '09:00', end: '12:00' },
        { day: 6, start: '10:00', end: '14:00' },
      ]),
    ).toBe('Mon–Tue 09:00–12:00, 13:00–17:00; Sat 10:00–14:00');
    expect(summarize([])).toBe('Closed all week');
  });

  it('trims names before saving', () => {
    const body = toBody({
      ...newDraft('UTC'),
      name: '  Office  ',
      holidays: [{ key: 1, date: '2026-12-25', name: ' Christmas ' }],
    });
    expect(body.name).toBe('Office');
    expect(body.holidays).toEqual([{ date: '2026-12-25', name: 'Christmas' }]);
  });
});
