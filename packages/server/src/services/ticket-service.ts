import { DomainError, TICKET_STATUSES, type TicketPatch, type TicketStatus } from '@parlour/core';
import type { Ticket as TicketDto, TicketListQuery, UpdateTicketBody } from '@parlour/protocol';
import {
  getGroup,
  getTicket,
  getUser,
  insertTicketEvents,
  listTickets,
  loadConversationState,
  ticketHistory,
  type TicketCursor,
} from '@parlour/storage';
import type { Principal } from '../principal.js';
import { actorOf } from '../principal.js';
import type { ServiceContext } from './context.js';
import type { TicketWrites } from './rules/ticket-writes.js';
import { historyDto, ticketDto } from './dto.js';
import { withAttachments } from './attachments/history-attachments.js';
import { publishFeed } from './feed-publisher.js';
import { assertNoSensitiveTags, guardField, type ContentGuard } from './pci/content-guard.js';

/** Use cases of tickets: list, read, update (status, assignee, group, tags, priority), history. */
export class TicketService {
  /** Keeps card data out of ticket fields (PCI DSS); wired by the server. */
  guard: ContentGuard | null = null;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly writes: TicketWrites,
  ) {}

  async list(principal: Principal & { kind: 'user' }, query: TicketListQuery) {
    const statuses = query.status ? parseStatuses(query.status) : undefined;
    const assigneeId =
      query.assigneeId === 'me'
        ? principal.id
        : query.assigneeId === 'none'
          ? null
          : query.assigneeId;
    if (assigneeId && !UUID.test(assigneeId)) {
      throw new DomainError(
        'validation/invalid',
        'assigneeId is a user id, "me" or "none"',
        'assigneeId',
      );
    }
    const page = await listTickets(
      this.ctx.database.db,
      {
        ...(statuses ? { statuses } : {}),
        ...(query.groupId ? { groupId: query.groupId } : {}),
        ...(assigneeId !== undefined ? { assigneeId } : {}),
        ...(query.requesterId ? { requesterId: query.requesterId } : {}),
        ...(query.conferenceParticipant ? { conferenceParticipantId: principal.id } : {}),
        ...(query.tag ? { tag: query.tag.toLowerCase() } : {}),
        ...(query.channel ? { channel: query.channel } : {}),
      },
      { limit: query.limit ?? 25, ...(query.cursor ? { after: decodeCursor(query.cursor) } : {}) },
    );
    return {
      items: page.items.map(ticketDto),
      nextCursor: page.next ? encodeCursor(page.next) : null,
    };
  }

  async get(id: string): Promise<TicketDto> {
    const ticket = await getTicket(this.ctx.database.db, id);
    if (!ticket) throw new DomainError('ticket/not-found', 'No such ticket', 'ticketId');
    return ticketDto(ticket);
  }

  async history(id: string) {
    const db = this.ctx.database.db;
    if (!(await getTicket(db, id)))
      throw new DomainError('ticket/not-found', 'No such ticket', 'ticketId');
    return (await withAttachments(db, await ticketHistory(db, id))).map(historyDto);
  }

  /**
   * Updates a ticket under its conversation's lock. Two agents changing one ticket at once are
   * applied one after the other; a caller that says which version it saw (expectedVersion) gets a
   * conflict instead of overwriting a change it has not seen.
   */
  async update(
    principal: Principal & { kind: 'user' },
    id: string,
    body: UpdateTicketBody,
  ): Promise<TicketDto> {
    const { database, clock } = this.ctx;
    const actor = actorOf(principal);
    const at = clock.now();
    const { expectedVersion, ...fields } = body;
    // PCI DSS: card data never reaches a ticket field (masked, or refused in drop mode).
    const { patch, redacted } = await this.guardFields(fields);
    const { dto, signals, afterCommit } = await database.db.transaction().execute(async (trx) => {
      const found = await getTicket(trx, id);
      if (!found) throw new DomainError('ticket/not-found', 'No such ticket', 'ticketId');
      await loadConversationState(trx, found.conversationId, { lock: true });
      // Read again under the lock: the ticket may have changed while we waited for it.
      const ticket = await getTicket(trx, id);
      if (!ticket) throw new DomainError('ticket/not-found', 'No such ticket', 'ticketId');
      await this.validateReferences(trx, patch, ticket.groupId, ticket.assigneeId);
      const result = await this.writes.change(trx, {
        conversationId: ticket.conversationId,
        patch: patch as TicketPatch,
        actor,
        at,
        ...(expectedVersion !== undefined ? { expectedVersion } : {}),
      });
      if (redacted) await insertTicketEvents(trx, id, [{ ...redacted, actor, at }]);
      return {
        dto: ticketDto(result.ticket),
        signals: result.signals,
        afterCommit: result.afterCommit,
      };
    });
    await publishFeed(this.ctx.bus, signals);
    await afterCommit();
    return dto;
  }

  private async guardFields(fields: Omit<UpdateTicketBody, 'expectedVersion'>) {
    if (!this.guard) return { patch: fields, redacted: null };
    const policy = await this.guard.policy();
    assertNoSensitiveTags(this.guard, policy, fields.tags, 'tags');
    assertNoSensitiveTags(this.guard, policy, fields.addTags, 'addTags');
    assertNoSensitiveTags(this.guard, policy, fields.removeTags, 'removeTags');
    if (!fields.subject) return { patch: fields, redacted: null };
    const subject = guardField(this.guard, policy, fields.subject, 'subject', 'ticket_field');
    return { patch: { ...fields, subject: subject.value }, redacted: subject.event };
  }

  private async validateReferences(
    trx: Parameters<typeof getUser>[0],
    patch: Omit<UpdateTicketBody, 'expectedVersion'>,
    currentGroupId: string | null,
    currentAssigneeId: string | null,
  ): Promise<void> {
    const groupId = patch.groupId !== undefined ? patch.groupId : currentGroupId;
    if (patch.groupId && !(await getGroup(trx, patch.groupId))) {
      throw new DomainError('not-found', 'No such group', 'groupId');
    }
    if (patch.assigneeId) {
      const assignee = await getUser(trx, patch.assigneeId);
      if (!assignee || !assignee.active)
        throw new DomainError('not-found', 'No such active user', 'assigneeId');
      if (groupId && !assignee.groupIds.includes(groupId)) {
        throw new DomainError(
          'validation/invalid',
          "The assignee is not a member of the ticket's group",
          'assigneeId',
        );
      }
    } else if (patch.assigneeId === undefined && patch.groupId && currentAssigneeId) {
      // Moving the ticket must not leave it with an assignee outside its new group.
      const assignee = await getUser(trx, currentAssigneeId);
      if (assignee && !assignee.groupIds.includes(patch.groupId)) {
        throw new DomainError(
          'validation/invalid',
          'The assignee is not a member of that group: reassign the ticket with the move',
          'groupId',
        );
      }
    }
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function parseStatuses(raw: string): TicketStatus[] {
  const out: TicketStatus[] = [];
  for (const part of raw.split(',')) {
    const s = part.trim() as TicketStatus;
    if (!TICKET_STATUSES.includes(s)) {
      throw new DomainError(
        'validation/invalid',
        `Unknown status "${part}" (one of ${TICKET_STATUSES.join(', ')})`,
        'status',
      );
    }
    out.push(s);
  }
  return out;
}

function encodeCursor(c: TicketCursor): string {
  return Buffer.from(`${c.updatedAt.toISOString()}|${c.id}`).toString('base64url');
}

function decodeCursor(raw: string): TicketCursor {
  const [at, id] = Buffer.from(raw, 'base64url').toString('utf8').split('|');
  const updatedAt = new Date(at ?? '');
  // Years outside 1..9999 parse in JavaScript but are out of the database's timestamp range.
  const year = updatedAt.getUTCFullYear();
  if (!id || !UUID.test(id) || Number.isNaN(updatedAt.getTime()) || year < 1 || year > 9999) {
    throw new DomainError(
      'validation/invalid',
      'This cursor is not one the API gave out',
      'cursor',
    );
  }
  return { updatedAt, id };
}
