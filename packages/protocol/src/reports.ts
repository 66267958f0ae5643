import { Type, type Static } from 'typebox';
import { Channel, Id, Nullable, Timestamp } from './common.js';

/**
 * Reports: one registry of metric definitions (packages/core/src/reports/) serves the report
 * screens, the CSV export and docs/metrics.md. These are the wire shapes.
 */
export const MetricId = Type.Union([
  Type.Literal('first_reply_time'),
  Type.Literal('requester_wait_time'),
  Type.Literal('agent_wait_time'),
  Type.Literal('resolution_time'),
  Type.Literal('handle_time'),
  Type.Literal('wrap_up_time'),
  Type.Literal('queue_wait_time'),
  Type.Literal('offers_made'),
  Type.Literal('offers_accepted'),
  Type.Literal('offers_declined'),
  Type.Literal('offers_missed'),
  Type.Literal('abandoned'),
  Type.Literal('reopens'),
  Type.Literal('one_touch_resolution'),
  Type.Literal('csat_score'),
  Type.Literal('agent_status_time'),
  Type.Literal('occupancy'),
]);
export type MetricId = Static<typeof MetricId>;

/** duration: samples in ms (n, avg, median, p90); count: events counted; ratio/score: a percentage. */
export const MetricKind = Type.Union([
  Type.Literal('duration'),
  Type.Literal('count'),
  Type.Literal('ratio'),
]);
export type MetricKind = Static<typeof MetricKind>;

export const ReportDimension = Type.Union([
  Type.Literal('agent'),
  Type.Literal('group'),
  Type.Literal('channel'),
  Type.Literal('status'),
]);
export type ReportDimension = Static<typeof ReportDimension>;

export const ReportInterval = Type.Union([
  Type.Literal('hour'),
  Type.Literal('day'),
  Type.Literal('week'),
]);
export type ReportInterval = Static<typeof ReportInterval>;

/** calendar: wall-clock time; business: only time inside the business-hours schedule counts. */
export const ReportHours = Type.Union([Type.Literal('calendar'), Type.Literal('business')]);
export type ReportHours = Static<typeof ReportHours>;

/** One metric's definition, as the registry states it (also rendered into docs/metrics.md). */
export const MetricDefinition = Type.Object({
  id: MetricId,
  label: Type.String(),
  kind: MetricKind,
  description: Type.String(),
  /** The event that starts the measured span (durations) or the event counted (counts). */
  start: Type.String(),
  /** The event that stops the span; for counts and ratios, what the denominator is. */
  stop: Type.String(),
  /** Who a sample is credited to (the agent dimension). */
  creditedTo: Type.String(),
  /** Which moment decides the day (and hour, week) a sample counts on. */
  countsOn: Type.String(),
  /** The dimensions this metric can be grouped by. */
  dimensions: Type.Array(ReportDimension),
  /** Whether business hours apply (durations only). */
  businessHours: Type.Boolean(),
});
export type MetricDefinition = Static<typeof MetricDefinition>;

export const MetricDefinitions = Type.Object({ items: Type.Array(MetricDefinition) });
export type MetricDefinitions = Static<typeof MetricDefinitions>;

/** GET /api/reports and GET /api/reports/export.csv take the same query. */
export const ReportQuery = Type.Object(
  {
    metric: MetricId,
    /** Inclusive start and exclusive end, ISO timestamps. */
    from: Timestamp,
    to: Timestamp,
    /** IANA time zone the buckets are cut in; default: the settings' reportTimeZone. */
    timeZone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    hours: Type.Optional(ReportHours),
    groupBy: Type.Optional(ReportDimension),
    interval: Type.Optional(ReportInterval),
    agentId: Type.Optional(Id),
    groupId: Type.Optional(Id),
    channel: Type.Optional(Channel),
  },
  { additionalProperties: false },
);
export type ReportQuery = Static<typeof ReportQuery>;

/** The key of one row: only the dimensions asked for are set. */
export const ReportRowKey = Type.Object({
  agentId: Type.Optional(Nullable(Id)),
  groupId: Type.Optional(Nullable(Id)),
  channel: Type.Optional(Channel),
  status: Type.Optional(Type.String()),
  /** The bucket's local start in the report's time zone: 2026-11-23, 2026-11-23T14:00, week of 2026-11-23 (Monday). */
  bucket: Type.Optional(Type.String()),
});
export type ReportRowKey = Static<typeof ReportRowKey>;

export const ReportRow = Type.Object({
  key: ReportRowKey,
  /** A human label for the key (agent or group name, channel, bucket). */
  label: Type.String(),
  /** Samples (durations, ratios: the denominator) or events counted. */
  n: Type.Integer({ minimum: 0 }),
  /** count: the number counted; ratio: percent 0–100; duration: the average in ms; null when n = 0. */
  value: Nullable(Type.Number()),
  /** Durations only (ms); null when n = 0 or not a duration. */
  avg: Nullable(Type.Number()),
  median: Nullable(Type.Number()),
  p90: Nullable(Type.Number()),
  /** Durations and status times: the sum in ms. */
  sum: Nullable(Type.Number()),
});
export type ReportRow = Static<typeof ReportRow>;

/** One bar of a duration metric's distribution over the whole range. */
export const HistogramBin = Type.Object({
  /** Upper bound in ms (exclusive); null for the last, open bin. */
  upToMs: Nullable(Type.Number()),
  count: Type.Integer({ minimum: 0 }),
});
export type HistogramBin = Static<typeof HistogramBin>;

export const ReportResult = Type.Object({
  metric: MetricId,
  from: Timestamp,
  to: Timestamp,
  timeZone: Type.String(),
  hours: ReportHours,
  groupBy: Nullable(ReportDimension),
  interval: Nullable(ReportInterval),
  /** Rows sorted by bucket, then label; every bucket of the range appears (n = 0 when empty). */
  rows: Type.Array(ReportRow),
  /** The whole range, all rows together. */
  total: ReportRow,
  /** Durations only: the distribution over the whole range. */
  histogram: Type.Array(HistogramBin),
});
export type ReportResult = Static<typeof ReportResult>;

/** Business hours: a weekly schedule in a time zone, with holidays (whole local days off). */
export const BusinessHoursInterval = Type.Object(
  {
    /** 0 = Sunday … 6 = Saturday. */
    day: Type.Integer({ minimum: 0, maximum: 6 }),
    /** Local times HH:MM; end after start (24:00 allowed as the end). */
    start: Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' }),
    end: Type.String({ pattern: '^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$' }),
  },
  { additionalProperties: false },
);
export type BusinessHoursInterval = Static<typeof BusinessHoursInterval>;

export const Holiday = Type.Object(
  {
    /** Local date YYYY-MM-DD. */
    date: Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' }),
    name: Type.String({ minLength: 1, maxLength: 120 }),
  },
  { additionalProperties: false },
);
export type Holiday = Static<typeof Holiday>;

export const BusinessHoursBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 120 }),
    timeZone: Type.String({ minLength: 1, maxLength: 64 }),
    intervals: Type.Array(BusinessHoursInterval, { maxItems: 100 }),
    holidays: Type.Array(Holiday, { maxItems: 500 }),
    /** Make this the default schedule (the first one made is the default anyway). */
    isDefault: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type BusinessHoursBody = Static<typeof BusinessHoursBody>;

export const BusinessHours = Type.Object({
  id: Id,
  name: Type.String(),
  timeZone: Type.String(),
  intervals: Type.Array(BusinessHoursInterval),
  holidays: Type.Array(Holiday),
  /** The schedule reports and routing use when none is named. */
  isDefault: Type.Boolean(),
  updatedAt: Timestamp,
});
export type BusinessHours = Static<typeof BusinessHours>;
