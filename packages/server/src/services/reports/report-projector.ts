import { businessValueOf, deriveTicketSamples, type BusinessSchedule } from '@parlour/core';
import {
  clearDirtyTickets,
  defaultBusinessHours,
  dirtyTickets,
  replaceReportFacts,
  reportHistories,
  type Db,
  type FactRow,
  type ReportHistory,
  type StoredBusinessHours,
} from '@parlour/storage';
import { sql } from 'kysely';
import type { ServiceContext } from '../context.js';

/** One projector at a time across processes (PostgreSQL advisory lock key). */
const REPORTS_LOCK = 7_401_013;
const BATCH = 500;

export function scheduleOf(stored: StoredBusinessHours | null): BusinessSchedule | null {
  if (!stored) return null;
  return {
    timeZone: stored.timeZone,
    intervals: stored.intervals,
    holidays: stored.holidays.map((h) => h.date),
  };
}

/** A ticket's facts: its metric samples (core), with business values under the schedule. */
export function factsOf(history: ReportHistory, schedule: BusinessSchedule | null): FactRow[] {
  const samples = deriveTicketSamples({
    ticketId: history.ticketId,
    channel: history.channel,
    events: history.events.map((e) => ({
      kind: 'event',
      type: e.type,
      at: e.at.getTime(),
      actorId: e.actorId,
      data: e.data,
    })),
    messages: history.messages.map((m) => ({
      kind: 'message',
      at: m.at.getTime(),
      visibility: m.kind,
      authorType: m.authorType,
      authorId: m.authorId,
    })),
  });
  return samples.map((s) => ({
    ticketId: history.ticketId,
    metric: s.metric,
    agentId: s.agentId,
    groupId: s.groupId,
    channel: s.channel,
    at: new Date(s.at),
    value: s.value,
    businessValue: businessValueOf(s, schedule),
    startAt: s.metric === 'busy' && s.spans[0] ? new Date(s.spans[0][0]) : null,
  }));
}

/**
 * Keeps report_facts equal to what the registry derives from each ticket's history. Writers
 * never call it: inserting a ticket event or message marks the ticket dirty in the writer's own
 * transaction (a trigger, migration 013), and every report catches up before it reads, so a
 * report is right the moment after the change. A mark made while the projector works survives it
 * (marks carry a version), so nothing is ever lost.
 */
export class ReportProjector {
  constructor(private readonly ctx: ServiceContext) {}

  /** Recomputes every dirty ticket; returns how many. */
  async catchUp(): Promise<number> {
    let done = 0;
    for (;;) {
      const n = await this.ctx.database.db.transaction().execute((trx) => this.batch(trx));
      done += n;
      if (n < BATCH) return done;
    }
  }

  private async batch(trx: Db): Promise<number> {
    await sql`SELECT pg_advisory_xact_lock(${REPORTS_LOCK})`.execute(trx);
    const dirty = await dirtyTickets(trx, BATCH);
    if (dirty.length === 0) return 0;
    const schedule = scheduleOf(await defaultBusinessHours(trx));
    const histories = await reportHistories(
      trx,
      dirty.map((d) => d.ticketId),
    );
    const facts = histories.flatMap((h) => factsOf(h, schedule));
    await replaceReportFacts(
      trx,
      dirty.map((d) => d.ticketId),
      facts,
    );
    await clearDirtyTickets(trx, dirty);
    return dirty.length;
  }
}
