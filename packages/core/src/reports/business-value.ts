import { businessMsBetween, type BusinessSchedule } from '../business-hours/business-hours.js';
import type { ZoneOffset } from '../business-hours/time-zone.js';
import { metricDefinition } from './metric-registry.js';
import type { MetricSample } from './derive-ticket-samples.js';

/**
 * A duration sample's value counting only business hours: the same spans, clipped to the
 * schedule. No schedule: every hour is a business hour. Counts and ratios have none (null).
 */
export function businessValueOf(
  sample: MetricSample,
  schedule: BusinessSchedule | null,
  offset?: ZoneOffset,
): number | null {
  if (sample.metric !== 'busy' && !metricDefinition(sample.metric).businessHours) return null;
  if (!schedule) return sample.value;
  return sample.spans.reduce((sum, [s, e]) => sum + businessMsBetween(schedule, s, e, offset), 0);
}
