import {
  getTicket,
  getTicketRouting,
  groupRoutingSettings,
  insertTicketEvents,
  pendingOffers,
  setTicketRouting,
  type Db,
} from '@parlour/storage';
import type { DurableTimers } from '../../timers/durable-timers.js';
import type { ServiceContext } from '../context.js';
import { publishFeed } from '../feed-publisher.js';
import { changeTicket } from './change-ticket.js';
import type { RoutingService } from './routing-service.js';
import { SYSTEM, TIMER } from './routing-timers.js';

/**
 * What happens to a ticket while it waits or after it was taken, on durable timers: the skill
 * requirement is dropped after a while, the ticket overflows to a secondary group, and (seed 003)
 * an assigned agent who does not answer in time loses it to another agent.
 */
export class WaitingRules {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly timers: DurableTimers,
    private readonly routing: RoutingService,
  ) {
    timers.on(TIMER.relaxSkills, async (timer, trx) =>
      this.onRelaxSkills(trx, String(timer.payload.ticketId)),
    );
    timers.on(TIMER.overflow, async (timer, trx) =>
      this.onOverflow(trx, String(timer.payload.ticketId)),
    );
    timers.on(TIMER.firstReply, async (timer, trx) =>
      this.onFirstReplyDue(trx, String(timer.payload.ticketId), String(timer.payload.agentId)),
    );
  }

  private kick(): void {
    this.routing.kick();
  }

  private enqueue(...args: Parameters<RoutingService['enqueue']>) {
    return this.routing.enqueue(...args);
  }

  /** A timer that fires while the ticket is being offered waits for the offer to end. */
  private async waitForOfferEnd(trx: Db, ticketId: string, kind: string, key: string) {
    const offer = (await pendingOffers(trx, { ticketId }))[0];
    const soon = this.ctx.clock.now().getTime() + 1000;
    const at = new Date(Math.max(offer?.expiresAt.getTime() ?? soon, soon));
    await this.timers.schedule(at, kind, { ticketId }, { key, db: trx });
  }

  private async onRelaxSkills(trx: Db, ticketId: string) {
    const routing = await getTicketRouting(trx, ticketId);
    if (routing?.routing === 'offered')
      return this.waitForOfferEnd(trx, ticketId, TIMER.relaxSkills, `relax:${ticketId}`);
    if (
      !routing ||
      routing.routing !== 'queued' ||
      routing.skillsRelaxed ||
      routing.requiredSkills.length === 0
    )
      return;
    const at = this.ctx.clock.now();
    await setTicketRouting(trx, ticketId, { skillsRelaxed: true });
    await insertTicketEvents(trx, ticketId, [
      { type: 'routing.skills_relaxed', droppedSkills: routing.requiredSkills, actor: SYSTEM, at },
    ]);
    return () => this.kick();
  }

  private async onOverflow(trx: Db, ticketId: string) {
    const ticket = await getTicket(trx, ticketId);
    const routing = await getTicketRouting(trx, ticketId);
    if (routing?.routing === 'offered')
      return this.waitForOfferEnd(trx, ticketId, TIMER.overflow, `overflow:${ticketId}`);
    if (!ticket || !routing || routing.routing !== 'queued' || !ticket.groupId) return;
    const group = (await groupRoutingSettings(trx, [ticket.groupId])).get(ticket.groupId);
    if (!group?.overflowGroupId) return;
    const at = this.ctx.clock.now();
    const result = await changeTicket(trx, {
      conversationId: ticket.conversationId,
      patch: { groupId: group.overflowGroupId },
      routingEvents: [
        {
          type: 'routing.overflowed',
          fromGroupId: ticket.groupId,
          toGroupId: group.overflowGroupId,
        },
      ],
      actor: SYSTEM,
      at,
    });
    return async () => {
      await publishFeed(this.ctx.bus, result.signals);
      this.kick();
    };
  }

  /** Seed 003: no first reply from the assigned agent in time → offer the ticket to another agent. */
  private async onFirstReplyDue(trx: Db, ticketId: string, agentId: string) {
    const ticket = await getTicket(trx, ticketId);
    const routing = await getTicketRouting(trx, ticketId);
    if (
      !ticket ||
      !routing ||
      ticket.assigneeId !== agentId ||
      routing.firstReplyAt ||
      ticket.status !== 'open'
    )
      return;
    const at = this.ctx.clock.now();
    const result = await changeTicket(trx, {
      conversationId: ticket.conversationId,
      patch: { assigneeId: null },
      routingEvents: [
        { type: 'routing.reassigned', fromAgentId: agentId, reason: 'no first reply in time' },
      ],
      actor: SYSTEM,
      at,
    });
    // Kept away from this ticket's next offers for a while, as if they had declined it.
    await trx
      .insertInto('offers')
      .values({
        id: this.ctx.newId(),
        ticket_id: ticketId,
        agent_id: agentId,
        status: 'declined',
        channel: ticket.channel === 'email' ? 'email' : 'messaging',
        created_at: at,
        expires_at: at,
        responded_at: at,
      })
      .execute();
    await this.enqueue(trx, ticketId, at, 'reassigned: no first reply in time', {
      keepPlace: true,
    });
    return async () => {
      await publishFeed(this.ctx.bus, result.signals);
      this.kick();
    };
  }
}
