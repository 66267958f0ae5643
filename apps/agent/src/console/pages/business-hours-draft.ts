import type { BusinessHours, BusinessHoursBody, BusinessHoursInterval } from '@parlour/protocol';

/**
 * The business-hours editor's draft. Intervals stay in one flat list in the order they were
 * added, and are sent in that order, so the API's `intervals.<i>` errors point at the right row
 * even though the screen shows them grouped by weekday.
 */
export interface DraftInterval {
  readonly key: number;
  readonly day: number;
  readonly start: string;
  readonly end: string;
}
export interface DraftHoliday {
  readonly key: number;
  readonly date: string;
  readonly name: string;
}
export interface Draft {
  readonly name: string;
  readonly timeZone: string;
  readonly intervals: readonly DraftInterval[];
  readonly holidays: readonly DraftHoliday[];
}

/** Monday first, as most schedules read; values are the API's 0 = Sunday … 6 = Saturday. */
export const WEEK: readonly { day: number; short: string; long: string }[] = [
  { day: 1, short: 'Mon', long: 'Monday' },
  { day: 2, short: 'Tue', long: 'Tuesday' },
  { day: 3, short: 'Wed', long: 'Wednesday' },
  { day: 4, short: 'Thu', long: 'Thursday' },
  { day: 5, short: 'Fri', long: 'Friday' },
  { day: 6, short: 'Sat', long: 'Saturday' },
  { day: 0, short: 'Sun', long: 'Sunday' },
];

let nextKey = 1;
/** A key for a new row (React keys only; never sent). */
export function rowKey(): number {
  return nextKey++;
}

/** A new schedule: Monday to Friday, 09:00–17:00, in the given zone. */
export function newDraft(timeZone: string): Draft {
  return {
    name: '',
    timeZone,
    intervals: [1, 2, 3, 4, 5].map((day) => ({ key: rowKey(), day, start: '09:00', end: '17:00' })),
    holidays: [],
  };
}

export function draftFrom(schedule: BusinessHours): Draft {
  return {
    name: schedule.name,
    timeZone: schedule.timeZone,
    intervals: schedule.intervals.map((i) => ({ key: rowKey(), ...i })),
    holidays: schedule.holidays.map((h) => ({ key: rowKey(), ...h })),
  };
}

/** The body to save: the draft as typed (the API checks it and names the field at fault). */
export function toBody(draft: Draft): BusinessHoursBody {
  return {
    name: draft.name.trim(),
    timeZone: draft.timeZone,
    intervals: draft.intervals.map(({ day, start, end }) => ({
      day,
      start: start.trim(),
      end: end.trim(),
    })),
    holidays: draft.holidays.map(({ date, name }) => ({ date, name: name.trim() })),
  };
}

/** A field path as the API names it, with dots ("intervals/0" and "intervals.0" alike). */
export function normalizeField(field: string): string {
  return field.replace(/\//g, '.');
}

/** A new interval for a weekday: after the day's last one (or 09:00–17:00). */
export function nextInterval(draft: Draft, day: number): DraftInterval {
  const last = draft.intervals.filter((i) => i.day === day).at(-1);
  if (!last || last.end >= '23:00') return { key: rowKey(), day, start: '09:00', end: '17:00' };
  const [h] = last.end.split(':').map(Number);
  const start = last.end;
  const end = `${String(Math.min(24, (h ?? 0) + 1)).padStart(2, '0')}:${last.end.slice(3)}`;
  return { key: rowKey(), day, start, end: end.startsWith('24') ? '24:00' : end };
}

/** "Mon–Fri 09:00–17:00; Sat 10:00–14:00", or "Closed all week". */
export function summarize(intervals: readonly BusinessHoursInterval[]): string {
  const text = (day: number) =>
    intervals
      .filter((i) => i.day === day)
      .sort((a, b) => a.start.localeCompare(b.start))
      .map((i) => `${i.start}–${i.end}`)
      .join(', ');
  const runs: { from: string; to: string; hours: string }[] = [];
  for (const { day, short } of WEEK) {
    const hours = text(day);
    const last = runs.at(-1);
    if (last && last.hours === hours) last.to = short;
    else runs.push({ from: short, to: short, hours });
  }
  const open = runs.filter((r) => r.hours !== '');
  if (open.length === 0) return 'Closed all week';
  return open.map((r) => `${r.from === r.to ? r.from : `${r.from}–${r.to}`} ${r.hours}`).join('; ');
}
