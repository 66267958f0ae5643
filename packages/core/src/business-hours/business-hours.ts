import { DomainError } from '../errors.js';
import {
  civilFromDays,
  daysFromCivil,
  intlZoneOffset,
  isValidTimeZone,
  isoDate,
  localToUtc,
  type ZoneOffset,
} from './time-zone.js';

/** One opening interval of a weekday, in local time. day: 0 = Sunday … 6 = Saturday. */
export interface BusinessInterval {
  readonly day: number;
  /** HH:MM */
  readonly start: string;
  /** HH:MM, after start; 24:00 is the end of the day. */
  readonly end: string;
}

/** A weekly schedule in a time zone; holidays are whole local days off (YYYY-MM-DD). */
export interface BusinessSchedule {
  readonly timeZone: string;
  readonly intervals: readonly BusinessInterval[];
  readonly holidays: readonly string[];
}

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/** Spans longer than this are counted up to it: a report never loops for years. */
const MAX_DAYS = 3_700;

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':');
  return Number(h) * 60 + Number(m);
}

/**
 * Checks a schedule as it is saved: a known time zone, each interval's end after its start, no
 * two intervals of a day overlapping, holidays real dates. Names the field at fault.
 */
export function validateSchedule(schedule: BusinessSchedule): void {
  if (!isValidTimeZone(schedule.timeZone))
    throw new DomainError('validation/invalid', 'Unknown time zone', 'timeZone');
  const byDay = new Map<number, { start: number; end: number; index: number }[]>();
  schedule.intervals.forEach((interval, index) => {
    const field = `intervals/${index}`;
    if (!Number.isInteger(interval.day) || interval.day < 0 || interval.day > 6)
      throw new DomainError('validation/invalid', 'A day is 0 (Sunday) to 6 (Saturday)', field);
    if (!/^\d\d:\d\d$/.test(interval.start) || !/^\d\d:\d\d$/.test(interval.end))
      throw new DomainError('validation/invalid', 'Times are HH:MM', field);
    const start = minutesOf(interval.start);
    const end = minutesOf(interval.end);
    if (start >= 24 * 60 || end > 24 * 60 || interval.start.slice(3) >= '60')
      throw new DomainError('validation/invalid', 'Times are 00:00 to 24:00', field);
    if (end <= start)
      throw new DomainError('validation/invalid', 'An interval must end after it starts', field);
    const list = byDay.get(interval.day) ?? [];
    for (const other of list) {
      if (start < other.end && other.start < end)
        throw new DomainError(
          'validation/invalid',
          `This interval overlaps interval ${other.index} on the same day`,
          field,
        );
    }
    list.push({ start, end, index });
    byDay.set(interval.day, list);
  });
  schedule.holidays.forEach((date, index) => {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
    const field = `holidays/${index}/date`;
    if (!match) throw new DomainError('validation/invalid', 'A holiday is YYYY-MM-DD', field);
    const days = daysFromCivil(Number(match[1]), Number(match[2]), Number(match[3]));
    if (isoDate(days) !== date) throw new DomainError('validation/invalid', 'No such date', field);
  });
}

/**
 * How many milliseconds of [fromMs, toMs) fall inside the schedule's opening hours. Each local
 * day's intervals are turned into instants in the schedule's zone, so a day when the clocks
 * change has its real length (an interval 00:00–24:00 is 23 or 25 hours then). Holidays are
 * whole local days off.
 */
export function businessMsBetween(
  schedule: BusinessSchedule,
  fromMs: number,
  toMs: number,
  offset: ZoneOffset = intlZoneOffset,
): number {
  if (!(toMs > fromMs)) return 0;
  if (schedule.intervals.length === 0) return 0;
  const tz = schedule.timeZone;
  const holidays = new Set(schedule.holidays);
  const byDay: { start: number; end: number }[][] = [[], [], [], [], [], [], []];
  for (const i of schedule.intervals)
    byDay[i.day]?.push({ start: minutesOf(i.start), end: minutesOf(i.end) });
  // Local days from the day before the start (offsets reach ±14 h) to the day after the end.
  const firstDay = Math.floor((fromMs + offset(tz, fromMs)) / DAY_MS) - 1;
  const lastDay = Math.min(Math.floor((toMs + offset(tz, toMs)) / DAY_MS) + 1, firstDay + MAX_DAYS);
  let total = 0;
  for (let day = firstDay; day <= lastDay; day++) {
    const civil = civilFromDays(day);
    const intervals = byDay[civil.weekday] ?? [];
    if (intervals.length === 0 || holidays.has(isoDate(day))) continue;
    for (const { start, end } of intervals) {
      const s = localToUtc(tz, day * DAY_MS + start * MINUTE_MS, offset);
      const e = localToUtc(tz, day * DAY_MS + end * MINUTE_MS, offset);
      const overlap = Math.min(e, toMs) - Math.max(s, fromMs);
      if (overlap > 0) total += overlap;
    }
  }
  return total;
}

/** Whether an instant falls inside the schedule's opening hours (routing, rule conditions). */
export function isWithinBusinessHours(
  schedule: BusinessSchedule,
  atMs: number,
  offset: ZoneOffset = intlZoneOffset,
): boolean {
  return businessMsBetween(schedule, atMs, atMs + 1, offset) === 1;
}
