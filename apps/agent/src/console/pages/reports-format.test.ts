import { describe, expect, it } from 'vitest';
import type { ReportRow } from '@parlour/protocol';
import { buildTrend, durationTicks, niceTicks, seriesName } from './reports-chart.js';
import {
  binAxisLabels,
  binLabels,
  bucketLabel,
  formatBucket,
  formatDurationHms,
  formatValue,
  rangeLabel,
  rowValue,
} from './reports-format.js';

function row(partial: Partial<ReportRow> & Pick<ReportRow, 'key' | 'label'>): ReportRow {
  return {
    n: 0,
    value: null,
    avg: null,
    median: null,
    p90: null,
    sum: null,
    ...partial,
  };
}

describe('durations in hours, minutes and seconds', () => {
  it('reads like a person would say it', () => {
    expect(formatDurationHms(3_723_000)).toBe('1h 2m 3s');
    expect(formatDurationHms(245_000)).toBe('4m 5s');
    expect(formatDurationHms(42_000)).toBe('42s');
    expect(formatDurationHms(3_400)).toBe('3.4s');
    expect(formatDurationHms(0)).toBe('0.0s');
  });

  it('shows a dash, not an error, where there is no sample', () => {
    expect(formatDurationHms(null)).toBe('—');
    expect(formatValue('duration', null)).toBe('—');
  });

  it('shows counts as whole numbers and ratios as percentages', () => {
    expect(formatValue('count', 7)).toBe('7');
    expect(formatValue('ratio', 66.666)).toBe('66.7%');
  });

  it('reads an empty count as 0', () => {
    expect(rowValue('count', row({ key: {}, label: 'All', n: 0, value: null }))).toBe(0);
    expect(rowValue('duration', row({ key: {}, label: 'All', n: 0, value: null }))).toBeNull();
  });
});

describe('histogram and bucket labels', () => {
  it('labels bins from their bounds, the last one open', () => {
    expect(
      binLabels([
        { upToMs: 60_000, count: 1 },
        { upToMs: 300_000, count: 2 },
        { upToMs: 5_400_000, count: 0 },
        { upToMs: null, count: 3 },
      ]),
    ).toEqual(['< 1m', '1m – 5m', '5m – 1h 30m', '≥ 1h 30m']);
  });

  it('puts short upper bounds under the bars, days for long bins', () => {
    expect(
      binAxisLabels([
        { upToMs: 60_000, count: 0 },
        { upToMs: 3 * 86_400_000, count: 0 },
        { upToMs: null, count: 0 },
      ]),
    ).toEqual(['<1m', '<3d', '3d+']);
  });

  it('states the range as the local days of the report zone, its end exclusive', () => {
    expect(rangeLabel('2026-11-16T23:00:00Z', '2026-11-23T23:00:00Z', 'Europe/Berlin')).toMatch(
      /17.*23/,
    );
    expect(rangeLabel('2026-11-23T00:00:00Z', '2026-11-24T00:00:00Z', 'UTC')).not.toMatch(/–/);
  });

  it('names buckets by their interval', () => {
    expect(bucketLabel('2026-11-16', 'week')).toBe('Week of 2026-11-16');
    expect(bucketLabel('2026-11-23T14:00', 'hour')).toBe('2026-11-23 14:00');
    expect(formatBucket('2026-11-23T14:00', 'hour')).toBe('11-23 14:00');
    expect(formatBucket('2026-11-16', 'week')).toBe('wk 11-16');
  });
});

describe('the trend', () => {
  const rows: ReportRow[] = [
    row({
      key: { agentId: 'a', bucket: '2026-11-22' },
      label: 'Alex · 2026-11-22',
      n: 2,
      value: 10,
    }),
    row({ key: { agentId: 'b', bucket: '2026-11-22' }, label: 'Sam · 2026-11-22', n: 0 }),
    row({
      key: { agentId: 'a', bucket: '2026-11-23' },
      label: 'Alex · 2026-11-23',
      n: 1,
      value: 30,
    }),
    row({
      key: { agentId: 'b', bucket: '2026-11-23' },
      label: 'Sam · 2026-11-23',
      n: 5,
      value: 20,
    }),
  ];

  it('draws one series per agent over the buckets, empty buckets as gaps', () => {
    const trend = buildTrend(rows, 'agent', (r) => r.value);
    expect(trend.buckets).toEqual(['2026-11-22', '2026-11-23']);
    expect(trend.series.map((s) => [s.name, s.values])).toEqual([
      ['Sam', [null, 20]],
      ['Alex', [10, 30]],
    ]);
  });

  it('keeps the series with the most samples when there are too many', () => {
    const trend = buildTrend(rows, 'agent', (r) => r.value, 1);
    expect(trend.series.map((s) => s.name)).toEqual(['Sam']);
    expect(trend.hidden).toBe(1);
  });

  it('names a series without the bucket, also for weeks', () => {
    expect(
      seriesName(
        row({ key: { agentId: 'a', bucket: '2026-11-16' }, label: 'Alex · Week of 2026-11-16' }),
      ),
    ).toBe('Alex');
    expect(seriesName(row({ key: { bucket: '2026-11-16' }, label: 'Week of 2026-11-16' }))).toBe(
      'Week of 2026-11-16',
    );
  });

  it('puts round ticks above the largest value', () => {
    expect(niceTicks(7)).toEqual([0, 2, 4, 6, 8]);
    expect(durationTicks(100_000)).toEqual([0, 30_000, 60_000, 90_000, 120_000]);
  });
});
