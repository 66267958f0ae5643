import type { AgentSnapshot, GroupRouting } from './agent-snapshot.js';
import type { Decision } from './decision.js';
import { pickAgent } from './pick-agent.js';
import { compareQueueOrder, type QueuedTicket } from './queued-ticket.js';
import { RoutingIndex } from './routing-index.js';

export { compareQueueOrder } from './queued-ticket.js';

export interface PlannedOffer {
  readonly ticketId: string;
  readonly agentId: string;
  readonly decision: Decision;
}

/**
 * Plans offers for a queue in one pass: tickets in queue order (priority urgent>high>normal>low,
 * then eligibleAt, then id); each chosen agent's load (+1 in the ticket's channel) and
 * lastOfferedAt (= now) are updated before the next ticket, so no agent is planned over capacity
 * and round robin rotates within a batch (openCount +1 too, so least open spreads a batch).
 * Tickets with no eligible agent are returned as waiting with their decision. A ticket id that
 * appears twice is planned once. Given a RoutingIndex (a long-lived one, say), it plans against
 * it and leaves it updated with the planned offers.
 */
export function planOffers(
  queue: readonly QueuedTicket[],
  groups: ReadonlyMap<string, GroupRouting>,
  agents: readonly AgentSnapshot[] | RoutingIndex,
  now: number,
): { offers: PlannedOffer[]; waiting: Decision[] } {
  const index = agents instanceof RoutingIndex ? agents : new RoutingIndex(agents);
  const offers: PlannedOffer[] = [];
  const waiting: Decision[] = [];
  const seen = new Set<string>();
  for (const ticket of [...queue].sort(compareQueueOrder)) {
    if (seen.has(ticket.id)) continue;
    seen.add(ticket.id);
    const group = ticket.groupId === null ? null : (groups.get(ticket.groupId) ?? null);
    const decision = pickAgent(ticket, group, index);
    if (decision.agentId === null) {
      waiting.push(decision);
    } else {
      index.recordOffer(decision.agentId, ticket.channel, now);
      offers.push({ ticketId: ticket.id, agentId: decision.agentId, decision });
    }
  }
  return { offers, waiting };
}
