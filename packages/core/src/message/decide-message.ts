import type { Channel } from '../channel.js';
import { messagingOpen, type ConversationState } from '../conversation/conversation-state.js';
import { DomainError } from '../errors.js';
import type { Actor } from '../identity/actor.js';
import { REOPENED_BY_CUSTOMER_REPLY } from '../ticket/status-transitions.js';
import type { TicketChange } from '../ticket/update-ticket.js';
import { MAX_MESSAGE_LENGTH, type MessageKind } from './message.js';

export interface MessageInput {
  readonly kind: MessageKind;
  /** Omitted: the conversation's own channel. */
  readonly channel?: Channel;
  readonly body: string;
  /** How many files the message carries: with at least one, the text may be empty. */
  readonly attachments?: number;
}

export interface MessageDecision {
  readonly kind: MessageKind;
  readonly channel: Channel;
  readonly body: string;
  /** What the message does to the ticket (a customer reply reopens it, for example). */
  readonly ticketChange: TicketChange | null;
}

/**
 * Decides whether a message may be posted and what it does to the ticket.
 * - Customers and the bot only write public replies; staff also write internal notes.
 * - Messaging needs an active session; once it has ended, the customer's next message belongs to a
 *   new conversation, and staff reply by email (when the requester's email is known); the
 *   customer's email reply lands on the ticket, whatever the conversation's channel.
 * - Nothing is written to a closed conversation.
 * - A customer reply reopens a Pending, On-hold or Solved ticket; an agent's public reply opens a
 *   New one.
 */
export function decideMessage(
  state: ConversationState,
  input: MessageInput,
  actor: Actor,
  at: Date,
): MessageDecision {
  const body = validateBody(input.body, input.attachments ?? 0);
  const { conversation, ticket } = state;
  if (ticket?.status === 'closed') {
    throw new DomainError(
      'ticket/closed',
      'This ticket is closed; a new message starts a new conversation',
      'conversationId',
    );
  }
  if (conversation.state === 'closed') {
    throw new DomainError(
      'conversation/closed',
      'This conversation is closed; a new message starts a new conversation',
      'conversationId',
    );
  }
  const channel = input.channel ?? conversation.channel;

  if (actor.type === 'end_user' || actor.type === 'bot') {
    if (input.kind !== 'public') {
      throw new DomainError(
        'message/forbidden-kind',
        'Only staff can write internal notes',
        'kind',
      );
    }
    // A customer's email reply threads into the ticket of any conversation (after a chat ended).
    const emailReply = actor.type === 'end_user' && channel === 'email' && ticket !== null;
    if (channel !== conversation.channel && !emailReply) {
      throw new DomainError(
        'validation/invalid',
        `This conversation takes messages by ${conversation.channel}`,
        'channel',
      );
    }
    if (channel === 'messaging' && !messagingOpen(state)) {
      throw new DomainError(
        'session/ended',
        'This chat has ended; a new message starts a new conversation',
        'conversationId',
      );
    }
    if (actor.type === 'end_user' && ticket && REOPENED_BY_CUSTOMER_REPLY.includes(ticket.status)) {
      return {
        kind: 'public',
        channel,
        body,
        ticketChange: {
          ticket: {
            ...ticket,
            status: 'open',
            solvedAt: null,
            updatedAt: at,
            version: ticket.version + 1,
          },
          events: [
            {
              type: 'ticket.status_changed',
              from: ticket.status,
              to: 'open',
              cause: 'customer_reply',
              actor,
              at,
            },
          ],
        },
      };
    }
    return { kind: 'public', channel, body, ticketChange: null };
  }

  if (input.kind === 'public') assertStaffChannel(state, channel);
  if (actor.type === 'user' && input.kind === 'public' && ticket?.status === 'new') {
    return {
      kind: 'public',
      channel,
      body,
      ticketChange: {
        ticket: { ...ticket, status: 'open', updatedAt: at, version: ticket.version + 1 },
        events: [
          {
            type: 'ticket.status_changed',
            from: 'new',
            to: 'open',
            cause: 'agent_reply',
            actor,
            at,
          },
        ],
      },
    };
  }
  return { kind: input.kind, channel, body, ticketChange: null };
}

function assertStaffChannel(state: ConversationState, channel: Channel): void {
  if (channel === 'messaging' && !messagingOpen(state)) {
    throw new DomainError(
      'session/ended',
      'The messaging session has ended: reply by email or write an internal note',
      'channel',
    );
  }
  if (channel === 'email' && !state.requesterEmail) {
    throw new DomainError(
      'requester/no-email',
      'The requester has no known email address: write an internal note',
      'channel',
    );
  }
  if (channel === 'api' && state.conversation.channel !== 'api') {
    throw new DomainError(
      'validation/invalid',
      'Only API-channel conversations take API replies',
      'channel',
    );
  }
}

function validateBody(body: string, attachments: number): string {
  if (body.trim().length === 0 && attachments === 0)
    throw new DomainError('message/empty', 'A message needs some text or an attachment', 'body');
  if (body.length > MAX_MESSAGE_LENGTH) {
    throw new DomainError(
      'message/too-long',
      `A message is at most ${MAX_MESSAGE_LENGTH} characters`,
      'body',
    );
  }
  return body;
}
