import type { Conversation, Message } from '@parlour/core';
import type { Db } from '@parlour/storage';

/** The API channel's template a message's text was rendered from. */
export interface OutboundTemplate {
  readonly name: string;
  readonly parameters: Readonly<Record<string, string>>;
}

/**
 * A channel that carries staff messages elsewhere (the API channel's webhook), told inside the
 * writer's transaction: it may refuse a message (a closed reply window), and it queues delivery.
 * Both `MessageWriter` and `TicketWrites.post` (rules' and workflows' messages) call it.
 */
export interface OutboundChannelHook {
  assertCanSend(
    trx: Db,
    conversation: Conversation,
    message: { readonly template: boolean },
    at: Date,
  ): Promise<void>;
  queue(
    trx: Db,
    conversation: Conversation,
    message: Message,
    template: OutboundTemplate | null,
    at: Date,
  ): Promise<(() => Promise<void>) | null>;
}
