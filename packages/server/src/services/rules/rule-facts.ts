import type { Session, Ticket, TicketFacts } from '@parlour/core';
import type { TicketRuleExtras } from '@parlour/storage';

/** A ticket as rules see it: the ticket, its session, what is known of the requester, and when things last happened. */
export function factsOf(
  ticket: Ticket,
  session: Session | null,
  requesterEmail: string | null,
  extras: TicketRuleExtras | undefined,
): TicketFacts {
  return {
    ticket,
    skills: extras?.skills ?? [],
    requesterEmailKnown: requesterEmail !== null,
    sessionState: session?.state ?? null,
    sessionEndReason: session?.endReason ?? null,
    channel: ticket.channel,
    pendingSince:
      ticket.status === 'pending' ? (extras?.statusChangedAt ?? ticket.updatedAt) : null,
    lastAgentReplyAt: extras?.lastAgentReplyAt ?? null,
    lastCustomerMessageAt: extras?.lastCustomerMessageAt ?? null,
  };
}
