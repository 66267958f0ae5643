import { DomainError, type Actor, type TicketEvent } from '@parlour/core';
import type { TicketWrapUp, WrapUpReason } from '@parlour/protocol';
import {
  deleteWrapUpReason,
  getTicket,
  getWrapUpReasons,
  insertTicketEvents,
  insertTicketWrapUps,
  insertWrapUpReason,
  isUniqueViolation,
  listTicketWrapUps,
  listWrapUpReasons,
  loadConversationState,
  updateWrapUpReason,
  wrapUpReasonInUse,
  wrapUpReasonNameTaken,
  type Db,
  type StoredWrapUpReason,
} from '@parlour/storage';
import type { Principal } from '../../principal.js';
import { actorOf } from '../../principal.js';
import type { ServiceContext } from '../context.js';

export const MAX_WRAP_UP_REASONS = 10;

export interface WrapUpInput {
  readonly ticketId: string;
  readonly reasonIds: readonly string[];
  readonly actor: Actor;
  readonly at: Date;
}

/**
 * Stores wrap-up reasons on a ticket and its 'ticket.wrapped_up' event, inside the caller's
 * transaction and under the conversation's lock (taken here; taking it again in the same
 * transaction is harmless, so "end the chat" can call this while it holds the lock). Reasons must
 * exist and be active; 1 to 10 of them. A reason the ticket already has stays as first recorded,
 * and the event lists every reason given. Nothing is added to the conversation's feed: a caller
 * that appends feed events itself may add the returned events to its own.
 */
export async function recordWrapUp(
  trx: Db,
  input: WrapUpInput,
): Promise<{ reasons: StoredWrapUpReason[]; events: TicketEvent[] }> {
  const reasonIds = [...new Set(input.reasonIds)];
  if (reasonIds.length === 0 || reasonIds.length > MAX_WRAP_UP_REASONS) {
    throw new DomainError(
      'validation/invalid',
      `Give 1 to ${MAX_WRAP_UP_REASONS} wrap-up reasons`,
      'reasonIds',
    );
  }
  const found = await getTicket(trx, input.ticketId);
  if (!found) throw new DomainError('ticket/not-found', 'No such ticket', 'ticketId');
  const state = await loadConversationState(trx, found.conversationId, { lock: true });
  if (!state?.ticket) throw new DomainError('ticket/not-found', 'No such ticket', 'ticketId');
  const known = new Map((await getWrapUpReasons(trx, reasonIds)).map((r) => [r.id, r]));
  const reasons: StoredWrapUpReason[] = [];
  for (const [i, id] of reasonIds.entries()) {
    const reason = known.get(id);
    if (!reason)
      throw new DomainError('validation/invalid', 'No such wrap-up reason', `reasonIds.${i}`);
    if (!reason.active) {
      throw new DomainError(
        'validation/invalid',
        `The wrap-up reason "${reason.name}" is no longer in use`,
        `reasonIds.${i}`,
      );
    }
    reasons.push(reason);
  }
  await insertTicketWrapUps(trx, {
    ticketId: found.id,
    reasonIds,
    createdBy: input.actor.type === 'user' ? input.actor.id : null,
    at: input.at,
  });
  const events: TicketEvent[] = [
    {
      type: 'ticket.wrapped_up',
      reasonIds,
      reasons: reasons.map((r) => r.name),
      actor: input.actor,
      at: input.at,
    },
  ];
  await insertTicketEvents(trx, found.id, events);
  return { reasons, events };
}

/** Wrap-up reasons: the admin list, and the reasons agents give when they finish a chat. */
export class WrapUpService {
  constructor(private readonly ctx: ServiceContext) {}

  list(): Promise<WrapUpReason[]> {
    return listWrapUpReasons(this.ctx.database.db);
  }

  async create(body: { name: string; position?: number }): Promise<WrapUpReason> {
    const name = cleanName(body.name);
    const id = this.ctx.newId();
    await this.ctx.database.db.transaction().execute(async (trx) => {
      if (await wrapUpReasonNameTaken(trx, name)) throw nameTaken();
      await insertWrapUpReason(trx, {
        id,
        name,
        position: body.position ?? 0,
        at: this.ctx.clock.now(),
      }).catch(uniqueName);
    });
    return this.get(id);
  }

  async update(
    id: string,
    patch: { name?: string; active?: boolean; position?: number },
  ): Promise<WrapUpReason> {
    const name = patch.name !== undefined ? cleanName(patch.name) : undefined;
    await this.ctx.database.db.transaction().execute(async (trx) => {
      if (name !== undefined && (await wrapUpReasonNameTaken(trx, name, id))) throw nameTaken();
      const updated = await updateWrapUpReason(trx, id, {
        ...patch,
        ...(name !== undefined ? { name } : {}),
      }).catch(uniqueName);
      if (!updated) throw notFound();
    });
    return this.get(id);
  }

  /**
   * Deletes a reason no ticket has; a reason in use is deactivated instead, so past wrap-ups keep
   * their names.
   */
  async remove(id: string): Promise<{ outcome: 'deleted' | 'deactivated' }> {
    return this.ctx.database.db.transaction().execute(async (trx) => {
      if ((await getWrapUpReasons(trx, [id])).length === 0) throw notFound();
      if (await wrapUpReasonInUse(trx, id)) {
        await updateWrapUpReason(trx, id, { active: false });
        return { outcome: 'deactivated' as const };
      }
      await deleteWrapUpReason(trx, id);
      return { outcome: 'deleted' as const };
    });
  }

  async wrapUp(
    principal: Principal & { kind: 'user' },
    ticketId: string,
    reasonIds: readonly string[],
  ): Promise<TicketWrapUp[]> {
    const at = this.ctx.clock.now();
    await this.ctx.database.db
      .transaction()
      .execute((trx) => recordWrapUp(trx, { ticketId, reasonIds, actor: actorOf(principal), at }));
    return this.ofTicket(ticketId);
  }

  async ofTicket(ticketId: string): Promise<TicketWrapUp[]> {
    const db = this.ctx.database.db;
    if (!(await getTicket(db, ticketId)))
      throw new DomainError('ticket/not-found', 'No such ticket', 'ticketId');
    return (await listTicketWrapUps(db, ticketId)).map((w) => ({
      reasonId: w.reasonId,
      name: w.name,
      createdBy: w.createdBy,
      createdAt: w.createdAt.toISOString(),
    }));
  }

  private async get(id: string): Promise<WrapUpReason> {
    const reason = (await getWrapUpReasons(this.ctx.database.db, [id]))[0];
    if (!reason) throw notFound();
    return reason;
  }
}

function cleanName(raw: string): string {
  const name = raw.trim();
  if (!name) throw new DomainError('validation/invalid', 'A wrap-up reason needs a name', 'name');
  return name;
}

const notFound = () => new DomainError('not-found', 'No such wrap-up reason', 'reasonId');
const nameTaken = () =>
  new DomainError('conflict', 'A wrap-up reason with this name exists', 'name');

function uniqueName(error: unknown): never {
  throw isUniqueViolation(error) ? nameTaken() : error;
}
