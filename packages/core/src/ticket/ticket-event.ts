import type { Channel } from '../channel.js';
import type { Actor } from '../identity/actor.js';
import type { SessionEndReason } from '../session/session.js';
import type { TicketPriority, TicketStatus } from './ticket.js';

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
    };

export type TicketEventType = TicketEventData['type'];

export type TicketEvent = TicketEventData & { readonly actor: Actor; readonly at: Date };
