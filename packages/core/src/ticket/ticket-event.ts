import type { Channel } from '../channel.js';
import type { Actor } from '../identity/actor.js';
import type { SessionEndReason } from '../session/session.js';
import type { TicketPriority, TicketStatus } from './ticket.js';
import type { SensitiveKind } from '../redaction/sensitive-data.js';

/** What changed on a ticket. Every change the core makes yields one of these. */
export type TicketEventData =
  | {
      readonly type: 'ticket.created';
      readonly status: TicketStatus;
      readonly channel: Channel;
      readonly groupId: string | null;
      readonly priority: TicketPriority;
    }
  | {
      readonly type: 'ticket.status_changed';
      readonly from: TicketStatus;
      readonly to: TicketStatus;
      readonly cause?: 'customer_reply' | 'agent_reply' | 'assignment';
    }
  | {
      readonly type: 'ticket.assignee_changed';
      readonly from: string | null;
      readonly to: string | null;
    }
  | {
      readonly type: 'ticket.group_changed';
      readonly from: string | null;
      readonly to: string | null;
    }
  | {
      readonly type: 'ticket.priority_changed';
      readonly from: TicketPriority;
      readonly to: TicketPriority;
    }
  | {
      readonly type: 'ticket.tags_changed';
      readonly added: readonly string[];
      readonly removed: readonly string[];
    }
  | {
      readonly type: 'ticket.subject_changed';
      readonly from: string | null;
      readonly to: string | null;
    }
  | {
      readonly type: 'session.ended';
      readonly sessionId: string;
      readonly reason: SessionEndReason;
    }
  | {
      readonly type: 'ticket.skills_changed';
      readonly from: readonly string[];
      readonly to: readonly string[];
    }
  | RuleEventData
  | RoutingEventData
  | ContentRedactedEventData;

/** Where sensitive data came in (PCI DSS, seed 004). */
export type RedactionSource =
  | 'message'
  | 'internal_note'
  | 'attachment'
  | 'attachment_name'
  | 'ticket_field'
  | 'end_user_profile'
  | 'email'
  | 'api';

/**
 * Sensitive data was found and kept out: how many items of which kind, never the data itself.
 * masked: the items were masked and the rest kept; dropped: the whole message was refused;
 * discarded: the attachment was refused.
 */
export interface ContentRedactedEventData {
  readonly type: 'content.redacted';
  readonly source: RedactionSource;
  readonly action: 'masked' | 'dropped' | 'discarded';
  readonly counts: Readonly<Partial<Record<SensitiveKind, number>>>;
}

/** What rules, macros, surveys and wrap-ups did to a ticket: every firing is in its history. */
export type RuleEventData =
  | {
      readonly type: 'rule.fired';
      readonly ruleType: 'trigger' | 'automation' | 'workflow' | 'macro';
      readonly ruleId: string;
      readonly name: string;
      /** The types of the actions it ran, in order. */
      readonly actions: readonly string[];
    }
  | {
      readonly type: 'rule.action_failed';
      readonly ruleType: 'trigger' | 'automation' | 'workflow' | 'macro';
      readonly ruleId: string;
      readonly name: string;
      readonly action: string;
      readonly reason: string;
    }
  | {
      readonly type: 'webhook.delivered' | 'webhook.failed' | 'webhook.retrying';
      readonly deliveryId: string;
      readonly url: string;
      readonly attempts: number;
      readonly status: number | null;
      readonly error: string | null;
    }
  | {
      readonly type: 'csat.sent';
      readonly surveyId: string;
      readonly via: 'messaging' | 'email';
    }
  | {
      readonly type: 'csat.answered';
      readonly surveyId: string;
      readonly rating: 'good' | 'bad';
      readonly comment: string | null;
    }
  | {
      readonly type: 'ticket.wrapped_up';
      readonly reasonIds: readonly string[];
      readonly reasons: readonly string[];
    };

/** What routing did to a ticket, with why: every decision is explained in the ticket's history. */
export type RoutingEventData =
  | { readonly type: 'routing.queued'; readonly groupId: string | null; readonly reason: string }
  | {
      readonly type: 'routing.offered';
      readonly offerId: string;
      readonly agentId: string;
      readonly autoAccepted: boolean;
      readonly considered: readonly {
        readonly agentId: string;
        readonly outcome: string;
        readonly detail?: string;
      }[];
      readonly passedCounts: Readonly<Record<string, number>>;
    }
  | { readonly type: 'routing.offer_accepted'; readonly offerId: string; readonly agentId: string }
  | { readonly type: 'routing.offer_declined'; readonly offerId: string; readonly agentId: string }
  | { readonly type: 'routing.offer_expired'; readonly offerId: string; readonly agentId: string }
  | {
      readonly type: 'routing.offer_withdrawn';
      readonly offerId: string;
      readonly agentId: string;
      readonly reason: string;
    }
  | { readonly type: 'routing.skills_relaxed'; readonly droppedSkills: readonly string[] }
  | {
      readonly type: 'routing.overflowed';
      readonly fromGroupId: string | null;
      readonly toGroupId: string;
    }
  | {
      readonly type: 'routing.transferred';
      readonly toGroupId: string | null;
      readonly toAgentId: string | null;
    }
  | { readonly type: 'routing.reassigned'; readonly fromAgentId: string; readonly reason: string }
  | { readonly type: 'routing.requeued'; readonly fromAgentId: string; readonly reason: string }
  | { readonly type: 'conference.requested'; readonly agentId: string }
  | { readonly type: 'conference.joined'; readonly agentId: string }
  | { readonly type: 'conference.declined'; readonly agentId: string }
  | { readonly type: 'conference.left'; readonly agentId: string; readonly endedBy: string };

export type TicketEventType = TicketEventData['type'];

export type TicketEvent = TicketEventData & { readonly actor: Actor; readonly at: Date };
