import type { Actor } from '../identity/actor.js';
import { endSession } from '../session/end-session.js';
import type { Session, SessionEndReason } from '../session/session.js';
import type { TicketEvent } from '../ticket/ticket-event.js';
import { DomainError } from '../errors.js';
import type { ConversationState } from './conversation-state.js';
import type { Conversation } from './conversation.js';

export interface SessionEnding {
  readonly session: Session;
  readonly conversation: Conversation;
  readonly events: readonly TicketEvent[];
}

/**
 * Ends the messaging session of a conversation. The ticket keeps its status (seed 000); before a
 * handoff there is no ticket to continue on, so the conversation closes with the session.
 */
export function endConversationSession(
  state: ConversationState,
  reason: Exclude<SessionEndReason, 'ticket_closed'>,
  actor: Actor,
  at: Date,
): SessionEnding {
  if (state.session === null) {
    throw new DomainError(
      'validation/invalid',
      'Only messaging conversations have a session',
      'conversationId',
    );
  }
  if (state.conversation.state === 'closed') {
    throw new DomainError('conversation/closed', 'This conversation is closed', 'conversationId');
  }
  const session = endSession(state.session, reason, actor, at);
  const conversation: Conversation =
    state.ticket === null
      ? { ...state.conversation, state: 'closed', closedAt: at }
      : state.conversation;
  const events: TicketEvent[] = state.ticket
    ? [{ type: 'session.ended', sessionId: session.id, reason, actor, at }]
    : [];
  return { session, conversation, events };
}
