import { describe, expect, it } from 'vitest';
import type { MetricDefinition } from '@parlour/protocol';
import {
  apiQueryString,
  dayStart,
  defaultScreen,
  fitToMetric,
  parseScreen,
  presetDates,
  rangeError,
  reportUrls,
  screenSearch,
  toReportQuery,
} from './reports-query.js';

// Monday 2026-11-23 10:30 UTC.
const NOW = Date.parse('2026-11-23T10:30:00Z');

const firstReply: MetricDefinition = {
  id: 'first_reply_time',
  label: 'First reply time',
  kind: 'duration',
  description: '',
  start: '',
  stop: '',
  creditedTo: '',
  countsOn: '',
  dimensions: ['agent', 'group', 'channel'],
  businessHours: true,
};
const statusTime: MetricDefinition = {
  ...firstReply,
  id: 'agent_status_time',
  dimensions: ['agent', 'status'],
  businessHours: false,
};

describe('report ranges', () => {
  it('cuts days at local midnight of the chosen zone, not UTC', () => {
    expect(dayStart('2026-11-23', 'Europe/Berlin')).toBe('2026-11-22T23:00:00.000Z');
    expect(dayStart('2026-11-23', 'America/New_York')).toBe('2026-11-23T05:00:00.000Z');
    expect(dayStart('2026-11-23', 'UTC')).toBe('2026-11-23T00:00:00.000Z');
  });

  it('gives the day the clocks change its real length', () => {
    // Berlin goes to summer time on 2026-03-29: that day has 23 hours.
    const start = Date.parse(dayStart('2026-03-29', 'Europe/Berlin'));
    const end = Date.parse(dayStart('2026-03-30', 'Europe/Berlin'));
    expect(end - start).toBe(23 * 3_600_000);
  });

  it('ends "today" and "last 7 days" on the local date of the zone', () => {
    // 10:30 UTC on the 23rd is already 00:30 on the 24th in Kiritimati (UTC+14).
    expect(presetDates('today', NOW, 'Pacific/Kiritimati')).toEqual({
      from: '2026-11-24',
      to: '2026-11-24',
    });
    expect(presetDates('7d', NOW, 'UTC')).toEqual({ from: '2026-11-17', to: '2026-11-23' });
    expect(presetDates('30d', NOW, 'UTC')).toEqual({ from: '2026-10-25', to: '2026-11-23' });
  });

  it('asks the API from the first local day to the start of the day after the last', () => {
    const screen = { ...defaultScreen(NOW, 'Europe/Berlin'), range: 'today' as const };
    const q = toReportQuery({ ...screen, from: '2026-11-23', to: '2026-11-23' });
    expect(q.from).toBe('2026-11-22T23:00:00.000Z');
    expect(q.to).toBe('2026-11-23T23:00:00.000Z');
    expect(q.timeZone).toBe('Europe/Berlin');
  });

  it('refuses a custom range that ends before it starts', () => {
    const screen = { ...defaultScreen(NOW, 'UTC'), range: 'custom' as const };
    expect(rangeError({ ...screen, from: '2026-11-20', to: '2026-11-19' })).toMatch(/before/);
    expect(rangeError({ ...screen, from: '2026-11-20', to: '2026-11-20' })).toBeNull();
    expect(rangeError({ ...screen, from: '', to: '2026-11-20' })).toMatch(/both/);
  });
});

describe('the report in the URL', () => {
  it('comes back the same after a reload', () => {
    const screen = {
      ...defaultScreen(NOW, 'Europe/Berlin'),
      range: 'custom' as const,
      from: '2026-11-01',
      to: '2026-11-15',
      groupBy: 'agent' as const,
      interval: 'week' as const,
      hours: 'business' as const,
      channel: 'email' as const,
      groupId: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
    };
    const later = NOW + 3 * 86_400_000;
    expect(parseScreen(screenSearch(screen), later, 'UTC')).toEqual(screen);
  });

  it('keeps a preset relative: "last 7 days" ends today when reloaded tomorrow', () => {
    const screen = defaultScreen(NOW, 'UTC');
    const tomorrow = NOW + 86_400_000;
    const reloaded = parseScreen(screenSearch(screen), tomorrow, 'UTC');
    expect(reloaded.range).toBe('7d');
    expect(reloaded.to).toBe('2026-11-24');
  });

  it('keeps "whole range" (no interval) apart from the default interval', () => {
    const screen = { ...defaultScreen(NOW, 'UTC'), interval: null };
    expect(parseScreen(screenSearch(screen), NOW, 'UTC').interval).toBeNull();
    expect(parseScreen('', NOW, 'UTC').interval).toBe('day');
  });

  it('falls back to the defaults for an unknown zone or malformed values', () => {
    const s = parseScreen('?tz=Mars/Olympus&groupBy=planet&agentId=x%20y&range=custom', NOW, 'UTC');
    expect(s.timeZone).toBe('UTC');
    expect(s.groupBy).toBeNull();
    expect(s.agentId).toBeNull();
    expect(s.from).toBe('2026-11-17');
  });
});

describe('the export link', () => {
  it('carries exactly the query of the report on screen', () => {
    const screen = {
      ...defaultScreen(NOW, 'America/New_York'),
      groupBy: 'agent' as const,
      interval: 'hour' as const,
      agentId: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
    };
    const { report, csv } = reportUrls(screen);
    expect(report.startsWith('/api/reports?')).toBe(true);
    expect(csv.startsWith('/api/reports/export.csv?')).toBe(true);
    expect(csv.slice(csv.indexOf('?'))).toBe(report.slice(report.indexOf('?')));
    const q = new URLSearchParams(csv.slice(csv.indexOf('?')));
    expect(Object.fromEntries(q)).toEqual({
      metric: 'first_reply_time',
      from: '2026-11-17T05:00:00.000Z',
      to: '2026-11-24T05:00:00.000Z',
      timeZone: 'America/New_York',
      hours: 'calendar',
      groupBy: 'agent',
      interval: 'hour',
      agentId: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
    });
  });

  it('leaves out the filters that are not set', () => {
    const qs = apiQueryString(toReportQuery({ ...defaultScreen(NOW, 'UTC'), interval: null }));
    expect(qs).not.toMatch(/groupBy|interval|agentId|groupId|channel/);
  });
});

describe('fitting the screen to the metric', () => {
  it('drops a grouping, filters and business hours the metric does not support', () => {
    const screen = {
      ...defaultScreen(NOW, 'UTC'),
      groupBy: 'channel' as const,
      hours: 'business' as const,
      channel: 'email' as const,
      groupId: 'g1',
      agentId: 'a1',
    };
    const fitted = fitToMetric(screen, statusTime);
    expect(fitted).toMatchObject({
      metric: 'agent_status_time',
      groupBy: null,
      hours: 'calendar',
      channel: null,
      groupId: null,
      agentId: 'a1',
    });
    expect(fitToMetric(screen, firstReply)).toMatchObject({
      groupBy: 'channel',
      hours: 'business',
      channel: 'email',
    });
  });
});
