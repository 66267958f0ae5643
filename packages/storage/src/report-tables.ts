import type { ColumnType, Generated } from 'kysely';

/** Kysely's view of the reports tables (migrations/013-reports.ts). */
type Timestamp = ColumnType<Date, Date, Date>;
type Json<T = unknown> = ColumnType<T, string, string>;

export interface BusinessHoursIntervalColumn {
  readonly day: number;
  readonly start: string;
  readonly end: string;
}

export interface BusinessHolidayColumn {
  readonly date: string;
  readonly name: string;
}

export interface BusinessHoursTable {
  id: string;
  name: string;
  time_zone: string;
  intervals: Json<BusinessHoursIntervalColumn[]>;
  holidays: Json<BusinessHolidayColumn[]>;
  is_default: boolean;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ReportFactsTable {
  ticket_id: string;
  metric: string;
  agent_id: string | null;
  group_id: string | null;
  channel: string;
  at: Timestamp;
  value: number;
  business_value: number | null;
  start_at: Timestamp | null;
}

export interface ReportDirtyTicketsTable {
  ticket_id: string;
  version: Generated<string>;
}
