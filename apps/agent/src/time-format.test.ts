import { describe, expect, it } from 'vitest';
import { elapsedSince, formatDuration, remainingUntil } from './time-format.js';

describe('wait timers', () => {
  it('formats minutes and seconds, and hours when needed', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(7_400)).toBe('0:07');
    expect(formatDuration(754_000)).toBe('12:34');
    expect(formatDuration(3_723_000)).toBe('1:02:03');
  });

  it('never shows a negative time', () => {
    expect(formatDuration(-5000)).toBe('0:00');
    const now = Date.parse('2026-01-05T09:00:10Z');
    expect(remainingUntil('2026-01-05T09:00:00Z', now)).toBe('0:00');
  });

  it('counts the wait up and the offer time down', () => {
    const now = Date.parse('2026-01-05T09:01:05Z');
    expect(elapsedSince('2026-01-05T09:00:00Z', now)).toBe('1:05');
    expect(remainingUntil('2026-01-05T09:01:30Z', now)).toBe('0:25');
  });
});
