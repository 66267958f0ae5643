import type { Actor, Ticket, TicketEvent, TicketStatus } from '@parlour/core';
import { actorId } from '@parlour/core';
import type { Db } from '../database.js';
import { toTicket, type StoredTicket } from './map-rows.js';

export class StaleTicketError extends Error {
  constructor(readonly ticketId: string) {
    super(`ticket ${ticketId} changed meanwhile`);
  }
}

export async function insertTicket(db: Db, ticket: Ticket): Promise<StoredTicket> {
  const row = await db
    .insertInto('tickets')
    .values({
      id: ticket.id,
      conversation_id: ticket.conversationId,
      requester_id: ticket.requesterId,
      channel: ticket.channel,
      status: ticket.status,
      priority: ticket.priority,
      group_id: ticket.groupId,
      assignee_id: ticket.assigneeId,
      tags: [...ticket.tags],
      subject: ticket.subject,
      created_at: ticket.createdAt,
      updated_at: ticket.updatedAt,
      solved_at: ticket.solvedAt,
      closed_at: ticket.closedAt,
      version: ticket.version,
      status_changed_at: ticket.createdAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toTicket(row);
}

/**
 * Writes a changed ticket only if nobody changed it since it was read (version check), so two
 * concurrent updates can never silently overwrite each other.
 */
export async function saveTicket(
  db: Db,
  ticket: Ticket,
  previousVersion: number,
): Promise<StoredTicket> {
  const row = await db
    .updateTable('tickets')
    .set((eb) => ({
      // Read before the update: the moment the status last changed (time-based rules use it).
      status_changed_at: eb
        .case()
        .when('status', '=', ticket.status)
        .then(eb.ref('status_changed_at'))
        .else(ticket.updatedAt)
        .end(),
      status: ticket.status,
      priority: ticket.priority,
      group_id: ticket.groupId,
      assignee_id: ticket.assigneeId,
      tags: [...ticket.tags],
      subject: ticket.subject,
      updated_at: ticket.updatedAt,
      solved_at: ticket.solvedAt,
      closed_at: ticket.closedAt,
      version: ticket.version,
    }))
    .where('id', '=', ticket.id)
    .where('version', '=', previousVersion)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw new StaleTicketError(ticket.id);
  return toTicket(row);
}

export async function getTicket(db: Db, id: string): Promise<StoredTicket | null> {
  const row = await db.selectFrom('tickets').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toTicket(row) : null;
}

export async function insertTicketEvents(
  db: Db,
  ticketId: string,
  events: readonly TicketEvent[],
): Promise<void> {
  await insertManyTicketEvents(
    db,
    events.map((event) => ({ ticketId, event })),
  );
}

/** Events of many tickets in one statement (routing writes a page of explanations at once). */
export async function insertManyTicketEvents(
  db: Db,
  items: readonly { ticketId: string; event: TicketEvent }[],
): Promise<void> {
  if (items.length === 0) return;
  await db
    .insertInto('ticket_events')
    .values(
      items.map(({ ticketId, event }) => {
        const { type, actor, at, ...data } = event;
        return {
          ticket_id: ticketId,
          type,
          actor_type: actor.type,
          actor_id: actorId(actor),
          data: JSON.stringify(actorDetails(actor, data)),
          created_at: at,
        };
      }),
    )
    .execute();
}

function actorDetails(actor: Actor, data: Record<string, unknown>): Record<string, unknown> {
  if (actor.type === 'user') return { ...data, actorRole: actor.role };
  if (actor.type === 'system' && actor.reason) return { ...data, actorReason: actor.reason };
  return data;
}

export interface HistoryEntry {
  readonly id: string;
  readonly ticketId: string;
  readonly type: string;
  readonly actorType: string;
  readonly actorId: string | null;
  readonly data: Record<string, unknown>;
  readonly at: Date;
}

/**
 * A ticket's whole history: its change events and its messages (public replies and internal
 * notes), oldest first. Messages are not copied into ticket_events; they are read from their table.
 */
export async function ticketHistory(db: Db, ticketId: string): Promise<HistoryEntry[]> {
  const [events, messages] = await Promise.all([
    db
      .selectFrom('ticket_events')
      .selectAll()
      .where('ticket_id', '=', ticketId)
      .orderBy('id')
      .execute(),
    db
      .selectFrom('messages')
      .selectAll()
      .where('ticket_id', '=', ticketId)
      .orderBy('seq')
      .execute(),
  ]);
  const entries: HistoryEntry[] = [
    ...events.map((e) => ({
      id: `e${e.id}`,
      ticketId,
      type: e.type,
      actorType: e.actor_type,
      actorId: e.actor_id,
      data: e.data,
      at: e.created_at,
    })),
    ...messages.map((m) => ({
      id: `m${m.id}`,
      ticketId,
      type: m.kind === 'public' ? 'message.public_reply' : 'message.internal_note',
      actorType: m.author_type,
      actorId: m.author_id,
      data: { messageId: m.id, channel: m.channel, body: m.body, seq: m.seq },
      at: m.created_at,
    })),
  ];
  // By time. In the same instant: the ticket's creation, then messages, then the changes they
  // caused (a customer's reply before the reopen it triggered); otherwise write order is kept.
  const rank = (e: HistoryEntry) =>
    e.type === 'ticket.created' ? 0 : e.type.startsWith('message.') ? 1 : 2;
  return entries.sort((a, b) => a.at.getTime() - b.at.getTime() || rank(a) - rank(b));
}

export interface TicketFilter {
  readonly statuses?: readonly TicketStatus[];
  readonly groupId?: string;
  readonly assigneeId?: string | null;
  /** Only tickets whose chat this user is in as a conference guest (joined, not left). */
  readonly conferenceParticipantId?: string;
  readonly requesterId?: string;
  readonly tag?: string;
  readonly channel?: 'messaging' | 'email' | 'api';
}

export interface TicketCursor {
  readonly updatedAt: Date;
  readonly id: string;
}

/** Newest activity first; keyset pagination on (updated_at, id) so pages never skip or repeat rows. */
export async function listTickets(
  db: Db,
  filter: TicketFilter,
  page: { limit: number; after?: TicketCursor },
): Promise<{ items: StoredTicket[]; next: TicketCursor | null }> {
  let query = db.selectFrom('tickets').selectAll();
  if (filter.statuses && filter.statuses.length > 0)
    query = query.where('status', 'in', [...filter.statuses]);
  if (filter.groupId) query = query.where('group_id', '=', filter.groupId);
  if (filter.assigneeId === null) query = query.where('assignee_id', 'is', null);
  else if (filter.assigneeId) query = query.where('assignee_id', '=', filter.assigneeId);
  if (filter.requesterId) query = query.where('requester_id', '=', filter.requesterId);
  if (filter.conferenceParticipantId) {
    const userId = filter.conferenceParticipantId;
    query = query.where('conversation_id', 'in', (eb) =>
      eb
        .selectFrom('conversation_participants')
        .select('conversation_id')
        .where('user_id', '=', userId)
        .where('state', '=', 'joined'),
    );
  }
  if (filter.channel) query = query.where('channel', '=', filter.channel);
  if (filter.tag) {
    const tag = filter.tag;
    query = query.where((eb) => eb(eb.val([tag]), '<@', eb.ref('tags')));
  }
  const after = page.after;
  if (after) {
    query = query.where((eb) =>
      eb.or([
        eb('updated_at', '<', after.updatedAt),
        eb.and([eb('updated_at', '=', after.updatedAt), eb('id', '<', after.id)]),
      ]),
    );
  }
  const rows = await query
    .orderBy('updated_at', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit + 1)
    .execute();
  const items = rows.slice(0, page.limit).map(toTicket);
  const last = items.at(-1);
  return {
    items,
    next: rows.length > page.limit && last ? { updatedAt: last.updatedAt, id: last.id } : null,
  };
}
