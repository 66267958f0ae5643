/**
 * Test-only builders: plain data with sensible defaults, so each test states only what matters to
 * its rule. Not exported from the package index.
 */
import type { ConversationState } from '../conversation/conversation-state.js';
import type { Conversation } from '../conversation/conversation.js';
import { DomainError } from '../errors.js';
import type { Actor, Role } from '../identity/actor.js';
import type { Session } from '../session/session.js';
import type { Ticket } from '../ticket/ticket.js';

/** The fixed "now" of every test: the core never reads the clock, and neither do its tests. */
export const AT = new Date('2026-01-05T09:00:00Z');
/** A moment after AT, to tell "when it was made" from "when it changed". */
export const LATER = new Date('2026-01-05T09:30:00Z');

export function staff(id = 'agent-1', role: Role = 'agent'): Actor {
  return { type: 'user', id, role };
}

export function customer(id = 'end-user-1'): Actor {
  return { type: 'end_user', id };
}

export const BOT: Actor = { type: 'bot' };
export const SYSTEM: Actor = { type: 'system', reason: 'automation' };

export function buildTicket(overrides: Partial<Ticket> = {}): Ticket {
  return {
    id: 'ticket-1',
    conversationId: 'conversation-1',
    requesterId: 'end-user-1',
    channel: 'messaging',
    status: 'new',
    priority: 'normal',
    groupId: null,
    assigneeId: null,
    tags: [],
    subject: null,
    createdAt: AT,
    updatedAt: AT,
    solvedAt: null,
    closedAt: null,
    version: 1,
    ...overrides,
  };
}

export function buildConversation(overrides: Partial<Conversation> = {}): Conversation {
  return {
    id: 'conversation-1',
    endUserId: 'end-user-1',
    channel: 'messaging',
    state: 'open',
    ticketId: null,
    createdAt: AT,
    closedAt: null,
    ...overrides,
  };
}

export function buildSession(overrides: Partial<Session> = {}): Session {
  return {
    id: 'session-1',
    conversationId: 'conversation-1',
    state: 'active',
    endReason: null,
    startedAt: AT,
    endedAt: null,
    ...overrides,
  };
}

export function endedSession(overrides: Partial<Session> = {}): Session {
  return buildSession({ state: 'ended', endReason: 'ended_by_agent', endedAt: AT, ...overrides });
}

/**
 * A conversation as the rules see it. By default: an open messaging conversation with an active
 * session, not yet handed off, requester email unknown. Giving a ticket links the conversation to it.
 */
export function buildState(overrides: Partial<ConversationState> = {}): ConversationState {
  const ticket = overrides.ticket ?? null;
  const conversation =
    overrides.conversation ?? buildConversation({ ticketId: ticket?.id ?? null });
  return {
    conversation,
    session:
      overrides.session === undefined
        ? buildSession({ conversationId: conversation.id })
        : overrides.session,
    ticket,
    requesterEmail: overrides.requesterEmail ?? null,
  };
}

/** Runs an action that must fail with a DomainError and returns that error for inspection. */
export function thrown(action: () => unknown): DomainError {
  try {
    action();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('Expected a DomainError, but nothing was thrown');
}
