import type { Ticket } from '@parlour/core';
import type { Db } from '@parlour/storage';

/**
 * What ticket and conversation use cases tell routing, inside their own transaction. Each returns
 * what to do after commit (publish, drain the queue).
 */
export interface RoutingHooks {
  ticketHandedOff(trx: Db, ticketId: string, at: Date): Promise<() => Promise<void>>;
  ticketChanged(trx: Db, before: Ticket, after: Ticket, at: Date): Promise<() => Promise<void>>;
  /** The messaging session ended: a waiting ticket leaves the queue (no routing applies to it any more). */
  sessionEnded(trx: Db, ticketId: string, at: Date): Promise<() => Promise<void>>;
  /** Capacity may have freed (a session ended, a status changed): offer waiting tickets. */
  kick(): void;
}
