import type { QuickReply } from '../message/message.js';
import type { TicketPriority } from '../ticket/ticket.js';

/** Where a handoff sends the conversation: the ticket the bot creates. */
export interface BotHandoffTarget {
  readonly groupId: string | null;
  readonly skillIds?: readonly string[];
  readonly priority?: TicketPriority;
  readonly tags?: readonly string[];
  readonly subject?: string | null;
}

export interface BotButton {
  readonly label: string;
  readonly next: string;
}

export type FieldCheck = 'email' | 'name' | 'phone' | 'text';

export type BotNode =
  | {
      readonly type: 'message';
      readonly text: string;
      readonly buttons?: readonly BotButton[];
      readonly next?: string;
    }
  | {
      readonly type: 'collect';
      readonly field: string;
      readonly prompt: string;
      readonly validate?: FieldCheck;
      readonly invalidText?: string;
      readonly next: string;
    }
  | { readonly type: 'handoff'; readonly text?: string; readonly handoff: BotHandoffTarget };

/** An admin-defined conversation flow (the wire shape is packages/protocol/src/bot.ts). */
export interface BotFlow {
  readonly enabled: boolean;
  readonly start: string;
  readonly nodes: Readonly<Record<string, BotNode>>;
  readonly defaultHandoff: BotHandoffTarget;
  readonly personNode?: string;
  readonly fallbackText?: string;
  readonly personLabel?: string;
}

export interface BotArticle {
  readonly id: string;
  readonly title: string;
  readonly keywords: readonly string[];
  readonly body: string;
}

/** Where one conversation stands in the flow. */
export interface BotState {
  /** `handed_off`: people have it; the bot says nothing more. */
  readonly status: 'new' | 'active' | 'handed_off';
  /** The node whose answer the bot waits for (its buttons, or the field it asked for). */
  readonly nodeId: string | null;
  readonly collected: Readonly<Record<string, string>>;
}

export const NEW_BOT_STATE: BotState = { status: 'new', nodeId: null, collected: {} };

export interface BotReply {
  readonly text: string;
  /** Empty when the message offers no choices. */
  readonly quickReplies: readonly QuickReply[];
}

export interface BotHandoffPlan {
  readonly target: BotHandoffTarget;
  /** Every field the bot collected (name and email go onto the end user, the rest into a note). */
  readonly collected: Readonly<Record<string, string>>;
}

export interface BotStep {
  readonly replies: readonly BotReply[];
  readonly state: BotState;
  readonly handoff: BotHandoffPlan | null;
}

export const DEFAULT_PERSON_LABEL = 'Talk to a person';
export const PERSON_VALUE = 'handoff';
export const DEFAULT_FALLBACK_TEXT =
  'Sorry, I did not understand that. Choose one of these, or talk to a person.';
