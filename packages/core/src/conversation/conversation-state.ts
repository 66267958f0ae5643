import type { Session } from '../session/session.js';
import type { Ticket } from '../ticket/ticket.js';
import type { Conversation } from './conversation.js';

/** A conversation with what belongs to it, as the rules need to see it. */
export interface ConversationState {
  readonly conversation: Conversation;
  readonly session: Session | null;
  readonly ticket: Ticket | null;
  /** The requester's email, when known: it decides whether a public reply can go by email. */
  readonly requesterEmail: string | null;
}

/** Whether the messaging channel is usable: a messaging conversation whose session is active. */
export function messagingOpen(state: ConversationState): boolean {
  return (
    state.conversation.state === 'open' &&
    state.session !== null &&
    state.session.state === 'active'
  );
}
