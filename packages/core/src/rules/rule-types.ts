import type { Channel } from '../channel.js';
import type { SessionEndReason, SessionState } from '../session/session.js';
import type { Ticket, TicketPriority, TicketStatus } from '../ticket/ticket.js';

/**
 * The rule language shared by triggers, automations, workflow branches and the dry run.
 * A condition names a field of the ticket (or of the update that is being applied to it), an
 * operator and a value. Which operators fit which field is one table (`FIELD_CATALOG` in
 * rule-fields.ts); a rule that breaks it is refused when saved.
 */
export type RuleField =
  // ticket fields
  | 'status'
  | 'channel'
  | 'group'
  | 'assignee'
  | 'priority'
  | 'tags'
  | 'skills'
  | 'requester_email_known'
  | 'session_state'
  | 'session_end_reason'
  // the update being applied
  | 'update_type'
  | 'comment_kind'
  | 'comment_text'
  // time (automations and workflow branches), in hours since the moment named
  | 'hours_since_created'
  | 'hours_since_updated'
  | 'hours_since_solved'
  | 'hours_since_pending'
  | 'hours_since_last_agent_reply'
  | 'hours_since_last_customer_message'
  // workflow branches (seed 003)
  | 'minutes_since_last_outgoing_message';

export type RuleOperator =
  | 'is'
  | 'is_not'
  | 'changed'
  | 'not_changed'
  | 'changed_to'
  | 'changed_from'
  | 'contains'
  | 'not_contains'
  | 'less_than'
  | 'greater_than'
  | 'exists'
  | 'not_exists';

export type ConditionValue = string | number | boolean | null | readonly string[];

export interface Condition {
  readonly field: RuleField;
  readonly operator: RuleOperator;
  /** Absent for operators without a value (changed, exists, …). */
  readonly value?: ConditionValue;
}

/** Every condition of `all` must hold, and at least one of `any` when `any` is not empty. */
export interface ConditionSet {
  readonly all: readonly Condition[];
  readonly any: readonly Condition[];
}

export type RuleAction =
  | { readonly type: 'set_status'; readonly value: TicketStatus }
  | { readonly type: 'set_priority'; readonly value: TicketPriority }
  | { readonly type: 'set_group'; readonly value: string | null }
  | { readonly type: 'set_assignee'; readonly value: string | null }
  /** Replaces the ticket's required skills (skill ids). */
  | { readonly type: 'set_skills'; readonly value: readonly string[] }
  | { readonly type: 'add_tags'; readonly value: readonly string[] }
  | { readonly type: 'remove_tags'; readonly value: readonly string[] }
  /** An internal note on the ticket (placeholders such as {{requester.name}} are filled in). */
  | { readonly type: 'add_note'; readonly body: string }
  /** A public message: by messaging while the session is active, by email otherwise. */
  | { readonly type: 'send_message'; readonly body: string }
  | { readonly type: 'send_csat' }
  /** POST a JSON description of the ticket to a URL (signed, retried with backoff). */
  | { readonly type: 'webhook'; readonly url: string };

export type RuleActionType = RuleAction['type'];

/** Actions that change ticket fields (the rest have effects outside the ticket). */
export type FieldAction = Extract<
  RuleAction,
  {
    type:
      | 'set_status'
      | 'set_priority'
      | 'set_group'
      | 'set_assignee'
      | 'set_skills'
      | 'add_tags'
      | 'remove_tags';
  }
>;
export type EffectAction = Exclude<RuleAction, FieldAction>;

/**
 * Messaging triggers stop once the ticket's messaging session has ended; ticket triggers run on
 * every ticket whatever its session (seed 000).
 */
export type TriggerScope = 'ticket' | 'messaging';

export interface Trigger {
  readonly id: string;
  readonly name: string;
  readonly category: string | null;
  readonly scope: TriggerScope;
  readonly active: boolean;
  /** Order of evaluation: lower first. */
  readonly position: number;
  readonly conditions: ConditionSet;
  readonly actions: readonly RuleAction[];
  /** Set when a conversation-style preset made this rule (seed 001). */
  readonly preset: string | null;
}

export interface Automation {
  readonly id: string;
  readonly name: string;
  readonly active: boolean;
  readonly position: number;
  readonly conditions: ConditionSet;
  readonly actions: readonly RuleAction[];
  /** Fires at most once per ticket (instead of needing a condition its own action makes false). */
  readonly oncePerTicket: boolean;
  readonly preset: string | null;
}

/**
 * Everything a condition can look at on one ticket at one moment. `null` times mean "never"
 * (never solved, no agent reply yet…).
 */
export interface TicketFacts {
  readonly ticket: Ticket;
  /** Required skill ids. */
  readonly skills: readonly string[];
  readonly requesterEmailKnown: boolean;
  readonly sessionState: SessionState | null;
  readonly sessionEndReason: SessionEndReason | null;
  readonly channel: Channel;
  /** When the ticket last became Pending (null unless it is Pending now). */
  readonly pendingSince: Date | null;
  readonly lastAgentReplyAt: Date | null;
  readonly lastCustomerMessageAt: Date | null;
}

/** The message that came with this update, when there was one. */
export interface UpdateComment {
  readonly kind: 'public' | 'internal';
  readonly text: string;
  readonly authorType: 'user' | 'end_user' | 'bot' | 'system';
}

/** One ticket create or update, as triggers see it. */
export interface TicketUpdate {
  /** The ticket before this update started; null when the update created it. */
  readonly before: TicketFacts | null;
  /** The ticket now (after the change that was made, and after triggers fired so far). */
  readonly after: TicketFacts;
  readonly comment: UpdateComment | null;
  readonly at: Date;
}
