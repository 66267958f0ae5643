import type { Channel } from '../channel.js';
import type { ActorType } from '../identity/actor.js';

/** A public reply is seen by the customer; an internal note only by staff. */
export type MessageKind = 'public' | 'internal';
export const MESSAGE_KINDS: readonly MessageKind[] = ['public', 'internal'];

export type MessageAuthorType = Exclude<ActorType, never>;

export interface Message {
  readonly id: string;
  readonly conversationId: string;
  readonly ticketId: string | null;
  /** Position in the conversation's event sequence (shared with the conversation's other events). */
  readonly seq: number;
  readonly kind: MessageKind;
  readonly authorType: MessageAuthorType;
  readonly authorId: string | null;
  readonly channel: Channel;
  readonly body: string;
  readonly clientMessageId: string | null;
  readonly createdAt: Date;
  /** The buttons a bot message offers (absent on every other message). */
  readonly quickReplies?: readonly QuickReply[];
}

/** A button under a bot message: the customer's press sends its label as an ordinary message. */
export interface QuickReply {
  readonly label: string;
  readonly value: string;
}

export const MAX_MESSAGE_LENGTH = 10_000;
