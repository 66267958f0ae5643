import type { Conversation } from '@parlour/protocol';

/** What the composer's channel switch offers: the conversation's channels plus the internal note. */
export type ComposerChannel = 'messaging' | 'email' | 'api' | 'internal';

export interface ComposerChoice {
  readonly available: readonly ComposerChannel[];
  readonly initial: ComposerChannel;
}

/**
 * The channels the agent may write on and the one the composer starts on. The server decides
 * (seed 000: once the session ended, email when the customer's email is known, else an internal
 * note); without its hint the conversation's own channel and the internal note are offered.
 */
export function composerChoice(
  conversation: Pick<Conversation, 'channel' | 'composer'>,
): ComposerChoice {
  const hint = conversation.composer;
  if (hint && hint.available.length > 0) {
    const available = hint.available.includes('internal')
      ? hint.available
      : [...hint.available, 'internal' as const];
    const initial = available.includes(hint.default) ? hint.default : (available[0] ?? 'internal');
    return { available, initial };
  }
  return { available: [conversation.channel, 'internal'], initial: conversation.channel };
}

/** Keep the agent's pick while it stays possible; else move to the server's default. */
export function keepOrDefault(
  current: ComposerChannel | null,
  choice: ComposerChoice,
): ComposerChannel {
  return current && choice.available.includes(current) ? current : choice.initial;
}

export const CHANNEL_LABELS: Readonly<Record<ComposerChannel, string>> = {
  messaging: 'Messaging',
  email: 'Email',
  api: 'API',
  internal: 'Internal note',
};
