import { messagingOpen, type ConversationState } from './conversation-state.js';

export type ComposerChannel = 'messaging' | 'email' | 'api' | 'internal';

export interface ComposerOptions {
  /** Which ways of writing the agent's composer offers for this conversation. */
  readonly available: readonly ComposerChannel[];
  /** Which one it starts on. */
  readonly default: ComposerChannel;
}

/**
 * What the agent's composer offers (seeds 000 and 002): messaging while the session is active;
 * once it has ended, messaging is off and the composer defaults to a public email reply when the
 * requester's email is known, otherwise to an internal note. Internal notes always work.
 */
export function composerOptions(state: ConversationState): ComposerOptions {
  const { conversation } = state;
  if (conversation.state === 'closed') return { available: ['internal'], default: 'internal' };
  if (conversation.channel === 'api') return { available: ['api', 'internal'], default: 'api' };
  const email = state.requesterEmail !== null;
  if (conversation.channel === 'messaging' && messagingOpen(state)) {
    return {
      available: email ? ['messaging', 'email', 'internal'] : ['messaging', 'internal'],
      default: 'messaging',
    };
  }
  return email
    ? { available: ['email', 'internal'], default: 'email' }
    : { available: ['internal'], default: 'internal' };
}
