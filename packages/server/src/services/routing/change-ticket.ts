import {
  DomainError,
  updateTicket,
  type Actor,
  type RoutingEventData,
  type TicketEvent,
  type TicketPatch,
} from '@parlour/core';
import {
  insertTicketEvents,
  loadConversationState,
  saveTicket,
  type Db,
  type StoredConversationState,
  type StoredTicket,
} from '@parlour/storage';
import { appendFeedEvents } from '../conversation-feed.js';
import { ticketDto } from '../dto.js';
import type { FeedSignal } from '../feed-publisher.js';
import { ticketEventDto } from '../message-writer.js';
import { assignmentFeedEvents } from './assignment-feed.js';

export interface TicketChangeResult {
  readonly ticket: StoredTicket;
  readonly state: StoredConversationState;
  readonly signals: FeedSignal[];
}

/**
 * Applies a routing change to a ticket inside the caller's transaction: locks its conversation,
 * lets the core update the ticket, records the change and the routing events that explain it,
 * and appends a staff feed entry (after agent.left / agent.joined for the customer when the chat
 * changes hands). Returns the signals to publish after commit.
 */
export async function changeTicket(
  trx: Db,
  input: {
    conversationId: string;
    patch: TicketPatch;
    routingEvents: readonly RoutingEventData[];
    actor: Actor;
    at: Date;
  },
): Promise<TicketChangeResult> {
  const state = await loadConversationState(trx, input.conversationId, { lock: true });
  const ticket = state?.ticket;
  if (!state || !ticket) throw new DomainError('ticket/not-found', 'No such ticket', 'ticketId');
  const change = updateTicket(ticket, input.patch, input.actor, input.at);
  const saved =
    change.events.length > 0 ? await saveTicket(trx, change.ticket, ticket.version) : ticket;
  const events: TicketEvent[] = [
    ...change.events,
    ...input.routingEvents.map((e) => ({ ...e, actor: input.actor, at: input.at }) as TicketEvent),
  ];
  await insertTicketEvents(trx, saved.id, events);
  // The customer sees the chat change hands (agent.left, agent.joined) before staff see the change.
  const handover = await assignmentFeedEvents(trx, state, ticket.assigneeId, saved.assigneeId);
  const signals =
    events.length === 0
      ? []
      : await appendFeedEvents(
          trx,
          state.conversation.id,
          state.lastSeq,
          [
            ...handover,
            {
              event: {
                type: 'ticket.updated',
                ticket: ticketDto(saved),
                changes: events.map((e, i) => ticketEventDto(saved.id, e, i)),
              },
              audience: 'staff',
            },
          ],
          input.at,
        );
  return { ticket: saved, state, signals };
}
