import type { Db } from '../database.js';
import type { BusinessHolidayColumn, BusinessHoursIntervalColumn } from '../report-tables.js';

export interface StoredBusinessHours {
  readonly id: string;
  readonly name: string;
  readonly timeZone: string;
  readonly intervals: readonly BusinessHoursIntervalColumn[];
  readonly holidays: readonly BusinessHolidayColumn[];
  readonly isDefault: boolean;
  readonly updatedAt: Date;
}

interface Row {
  id: string;
  name: string;
  time_zone: string;
  intervals: BusinessHoursIntervalColumn[];
  holidays: BusinessHolidayColumn[];
  is_default: boolean;
  updated_at: Date;
}

function toStored(r: Row): StoredBusinessHours {
  return {
    id: r.id,
    name: r.name,
    timeZone: r.time_zone,
    intervals: r.intervals,
    holidays: r.holidays,
    isDefault: r.is_default,
    updatedAt: r.updated_at,
  };
}

const COLUMNS = [
  'id',
  'name',
  'time_zone',
  'intervals',
  'holidays',
  'is_default',
  'updated_at',
] as const;

/** Every schedule, the default first, then by name. */
export async function listBusinessHours(db: Db): Promise<StoredBusinessHours[]> {
  const rows = await db
    .selectFrom('business_hours')
    .select(COLUMNS)
    .orderBy('is_default', 'desc')
    .orderBy('name')
    .execute();
  return rows.map(toStored);
}

export async function getBusinessHours(
  db: Db,
  id: string,
  options: { lock?: boolean } = {},
): Promise<StoredBusinessHours | null> {
  let query = db.selectFrom('business_hours').select(COLUMNS).where('id', '=', id);
  if (options.lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row ? toStored(row) : null;
}

/** The schedule reports and routing use when none is named; null when there is none. */
export async function defaultBusinessHours(db: Db): Promise<StoredBusinessHours | null> {
  const row = await db
    .selectFrom('business_hours')
    .select(COLUMNS)
    .where('is_default', '=', true)
    .executeTakeFirst();
  return row ? toStored(row) : null;
}

export interface BusinessHoursInput {
  readonly name: string;
  readonly timeZone: string;
  readonly intervals: readonly BusinessHoursIntervalColumn[];
  readonly holidays: readonly BusinessHolidayColumn[];
}

export async function insertBusinessHours(
  db: Db,
  input: BusinessHoursInput & { id: string; isDefault: boolean; at: Date },
): Promise<StoredBusinessHours> {
  const row = await db
    .insertInto('business_hours')
    .values({
      id: input.id,
      name: input.name,
      time_zone: input.timeZone,
      intervals: JSON.stringify(input.intervals),
      holidays: JSON.stringify(input.holidays),
      is_default: input.isDefault,
      created_at: input.at,
      updated_at: input.at,
    })
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
  return toStored(row);
}

export async function updateBusinessHours(
  db: Db,
  id: string,
  input: BusinessHoursInput & { at: Date },
): Promise<StoredBusinessHours | null> {
  const row = await db
    .updateTable('business_hours')
    .set({
      name: input.name,
      time_zone: input.timeZone,
      intervals: JSON.stringify(input.intervals),
      holidays: JSON.stringify(input.holidays),
      updated_at: input.at,
    })
    .where('id', '=', id)
    .returning(COLUMNS)
    .executeTakeFirst();
  return row ? toStored(row) : null;
}

/** Makes one schedule the default (and no other). */
export async function setDefaultBusinessHours(db: Db, id: string, at: Date): Promise<void> {
  await db
    .updateTable('business_hours')
    .set({ is_default: false, updated_at: at })
    .where('is_default', '=', true)
    .where('id', '!=', id)
    .execute();
  await db
    .updateTable('business_hours')
    .set({ is_default: true, updated_at: at })
    .where('id', '=', id)
    .execute();
}

export async function deleteBusinessHours(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom('business_hours').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Whether another schedule already has this name (names are unique, case-insensitively). */
export async function businessHoursNameTaken(
  db: Db,
  name: string,
  exceptId?: string,
): Promise<boolean> {
  let query = db
    .selectFrom('business_hours')
    .select('id')
    .where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()));
  if (exceptId) query = query.where('id', '!=', exceptId);
  return (await query.executeTakeFirst()) !== undefined;
}
