/**
 * Time-zone arithmetic for the pure core. `Intl` carries the IANA database and reads no clock, so
 * the core may use it; callers that want another source pass their own `ZoneOffset`.
 */

/** The offset of a zone from UTC at an instant, in ms (local = utc + offset). */
export type ZoneOffset = (timeZone: string, utcMs: number) => number;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether the IANA database knows the zone ('Europe/Berlin', 'UTC'). */
export function isValidTimeZone(timeZone: string): boolean {
  if (!/^[A-Za-z0-9_+\-/]{1,64}$/.test(timeZone)) return false;
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

export const intlZoneOffset: ZoneOffset = (timeZone, utcMs) => {
  const parts = formatterFor(timeZone).formatToParts(utcMs);
  const get = (type: Intl.DateTimeFormatPartTypes): number =>
    Number(parts.find((p) => p.type === type)?.value ?? 0);
  const local = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  const wholeSecondUtc = Math.floor(utcMs / 1000) * 1000;
  return local - wholeSecondUtc;
};

/**
 * The instant a local wall-clock time (as ms on a UTC-based scale) names in a zone. A time that
 * does not exist (the hour skipped when clocks go forward) lands just after the gap; a time that
 * exists twice (clocks going back) is the first of the two.
 */
export function localToUtc(timeZone: string, localMs: number, offset: ZoneOffset): number {
  const first = localMs - offset(timeZone, localMs);
  const second = localMs - offset(timeZone, first);
  if (first === second) return first;
  // Around a change the two guesses differ: prefer the earlier instant that maps back exactly.
  const candidates = [Math.min(first, second), Math.max(first, second)];
  for (const c of candidates) if (c + offset(timeZone, c) === localMs) return c;
  return Math.max(first, second);
}

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a civil date, and back (proleptic Gregorian). */
export function daysFromCivil(y: number, m: number, d: number): number {
  return Math.floor(Date.UTC(y, m - 1, d) / DAY_MS);
}

export function civilFromDays(days: number): { y: number; m: number; d: number; weekday: number } {
  const date = new Date(days * DAY_MS);
  return {
    y: date.getUTCFullYear(),
    m: date.getUTCMonth() + 1,
    d: date.getUTCDate(),
    weekday: date.getUTCDay(),
  };
}

export function isoDate(days: number): string {
  const { y, m, d } = civilFromDays(days);
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}
