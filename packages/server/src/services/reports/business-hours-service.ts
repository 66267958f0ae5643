import { DomainError, validateSchedule } from '@parlour/core';
import type { BusinessHours, BusinessHoursBody } from '@parlour/protocol';
import {
  businessHoursNameTaken,
  deleteBusinessHours,
  getBusinessHours,
  insertBusinessHours,
  listBusinessHours,
  markAllReportTicketsDirty,
  setDefaultBusinessHours,
  updateBusinessHours,
  type Db,
  type StoredBusinessHours,
} from '@parlour/storage';
import type { ServiceContext } from '../context.js';

function toWire(s: StoredBusinessHours): BusinessHours {
  return {
    id: s.id,
    name: s.name,
    timeZone: s.timeZone,
    intervals: s.intervals.map((i) => ({ ...i })),
    holidays: s.holidays.map((h) => ({ ...h })),
    isDefault: s.isDefault,
    updatedAt: s.updatedAt.toISOString(),
  };
}

/** Sorted by day, then start: a schedule reads the same however it was typed. */
function normalized(body: BusinessHoursBody): BusinessHoursBody {
  return {
    name: body.name.trim(),
    timeZone: body.timeZone,
    intervals: [...body.intervals].sort((a, b) => a.day - b.day || a.start.localeCompare(b.start)),
    holidays: [...body.holidays]
      .map((h) => ({ date: h.date, name: h.name.trim() }))
      .sort((a, b) => a.date.localeCompare(b.date)),
    ...(body.isDefault !== undefined ? { isDefault: body.isDefault } : {}),
  };
}

/**
 * Business hours: weekly schedules in a time zone with holidays. The default one is what reports
 * count business time in (and what routing asks "are we open?"). The first schedule made is the
 * default; changing which one is default, or the default's hours, recomputes report facts.
 */
export class BusinessHoursService {
  constructor(private readonly ctx: ServiceContext) {}

  async list(): Promise<BusinessHours[]> {
    return (await listBusinessHours(this.ctx.database.db)).map(toWire);
  }

  async get(id: string): Promise<BusinessHours> {
    const found = await getBusinessHours(this.ctx.database.db, id);
    if (!found) throw new DomainError('not-found', 'No such business hours', 'id');
    return toWire(found);
  }

  async create(input: BusinessHoursBody): Promise<BusinessHours> {
    const body = this.check(input);
    const at = this.ctx.clock.now();
    return this.ctx.database.db.transaction().execute(async (trx) => {
      if (await businessHoursNameTaken(trx, body.name))
        throw new DomainError('conflict', 'Another schedule has this name', 'name');
      const isFirst = (await listBusinessHours(trx)).length === 0;
      const makeDefault = isFirst || body.isDefault === true;
      const id = this.ctx.newId();
      await insertBusinessHours(trx, { ...body, id, isDefault: false, at });
      if (makeDefault) await this.makeDefault(trx, id, at);
      return toWire((await getBusinessHours(trx, id))!);
    });
  }

  async update(id: string, input: BusinessHoursBody): Promise<BusinessHours> {
    const body = this.check(input);
    const at = this.ctx.clock.now();
    return this.ctx.database.db.transaction().execute(async (trx) => {
      const before = await getBusinessHours(trx, id, { lock: true });
      if (!before) throw new DomainError('not-found', 'No such business hours', 'id');
      if (await businessHoursNameTaken(trx, body.name, id))
        throw new DomainError('conflict', 'Another schedule has this name', 'name');
      if (before.isDefault && body.isDefault === false)
        throw new DomainError(
          'validation/invalid',
          'Make another schedule the default instead',
          'isDefault',
        );
      await updateBusinessHours(trx, id, { ...body, at });
      if (body.isDefault === true && !before.isDefault) await this.makeDefault(trx, id, at);
      else if (before.isDefault) await markAllReportTicketsDirty(trx);
      return toWire((await getBusinessHours(trx, id))!);
    });
  }

  /** Deleting the default makes the next schedule by name the default. */
  async remove(id: string): Promise<void> {
    const at = this.ctx.clock.now();
    await this.ctx.database.db.transaction().execute(async (trx) => {
      const before = await getBusinessHours(trx, id, { lock: true });
      if (!before) throw new DomainError('not-found', 'No such business hours', 'id');
      await deleteBusinessHours(trx, id);
      if (!before.isDefault) return;
      const next = (await listBusinessHours(trx))[0];
      if (next) await setDefaultBusinessHours(trx, next.id, at);
      await markAllReportTicketsDirty(trx);
    });
  }

  private async makeDefault(trx: Db, id: string, at: Date): Promise<void> {
    await setDefaultBusinessHours(trx, id, at);
    await markAllReportTicketsDirty(trx);
  }

  private check(input: BusinessHoursBody): BusinessHoursBody {
    const body = normalized(input);
    if (body.name.length === 0)
      throw new DomainError('validation/invalid', 'A schedule needs a name', 'name');
    validateSchedule({
      timeZone: body.timeZone,
      intervals: input.intervals,
      holidays: input.holidays.map((h) => h.date),
    });
    return body;
  }
}
