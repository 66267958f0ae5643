import {
  DomainError,
  planOffers,
  type Actor,
  type Decision,
  type RoutingEventData,
  type Ticket,
  type TicketEvent,
} from '@parlour/core';
import type { Offer, QueueEntry, ServerFrame } from '@parlour/protocol';
import {
  closeOffer,
  getEndUser,
  getOffer,
  getTicket,
  getTicketRouting,
  groupRoutingSettings,
  insertOffers,
  insertManyTicketEvents,
  insertTicketEvents,
  loadQueue,
  setTicketRouting,
  touchLastOffered,
  type Db,
  type StoredOffer,
} from '@parlour/storage';
import { sql } from 'kysely';
import type { DurableTimers } from '../../timers/durable-timers.js';
import type { ServiceContext } from '../context.js';
import { publishFeed, type FeedSignal } from '../feed-publisher.js';
import { changeTicket } from './change-ticket.js';
import type { TicketWrites } from '../rules/ticket-writes.js';
import type { RoutingHooks } from '../routing-hooks.js';
import { liveQueue } from './live-queue.js';
import { SYSTEM, TIMER } from './routing-timers.js';
import { loadRoutingSnapshot } from './routing-snapshot.js';
import { publishToUser } from './user-topic.js';

/** Serializes routing decisions across processes (PostgreSQL advisory lock key). */
export const ROUTING_LOCK = 4_242_424_243;
const PAGE = 500;
const SWEEP_MS = 2_000;

interface Outbox {
  feed: FeedSignal[];
  frames: { userId: string; frame: ServerFrame }[];
  /** Steps after commit that rules asked for (the triggers run on an accepted offer). */
  after?: (() => Promise<void>)[];
}

/**
 * Omnichannel routing: offers each queued ticket to the best agent (the core decides), one drain
 * at a time across all processes (an advisory lock), so a ticket is never offered twice and no
 * agent is offered more than their spare capacity. Offers time out on durable timers (RONA).
 */
export class RoutingService implements RoutingHooks {
  /** Runs the triggers after an accepted offer (set at wiring time). */
  rules: Pick<TicketWrites, 'afterUpdate'> | null = null;
  private draining: Promise<void> | null = null;
  private again = false;
  private sweep: NodeJS.Timeout | null = null;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly timers: DurableTimers,
  ) {
    timers.on(TIMER.offerTimeout, async (timer, trx) =>
      this.onOfferTimeout(trx, String(timer.payload.offerId)),
    );
  }

  /** A safety net: the queue is drained every two seconds even if a kick was lost. */
  start(): void {
    this.sweep = setInterval(() => this.kick(), SWEEP_MS);
    this.sweep.unref();
  }

  async stop(): Promise<void> {
    if (this.sweep) clearInterval(this.sweep);
    await this.idle();
  }

  /** Something changed that may let a waiting ticket be offered: drain soon (coalesced). */
  kick(): void {
    if (this.draining) {
      this.again = true;
      return;
    }
    this.draining = (async () => {
      try {
        do {
          this.again = false;
          await this.drain();
        } while (this.again);
      } catch (error) {
        this.ctx.logger.error({ err: error }, 'routing drain failed');
      } finally {
        this.draining = null;
      }
    })();
  }

  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  /** Offers as many waiting tickets as agents have room for. Returns how many were offered. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const { offered, full, outbox } = await this.ctx.database.db
        .transaction()
        .execute(async (trx) => {
          if (this.ctx.database.kind === 'postgres')
            await sql`SELECT pg_advisory_xact_lock(${ROUTING_LOCK})`.execute(trx);
          return this.drainPage(trx);
        });
      await this.flush(outbox);
      total += offered;
      if (!full || offered === 0) return total;
    }
  }

  private async drainPage(trx: Db): Promise<{ offered: number; full: boolean; outbox: Outbox }> {
    const outbox: Outbox = { feed: [], frames: [] };
    const rows = await loadQueue(trx, PAGE);
    if (rows.length === 0) return { offered: 0, full: false, outbox };
    const at = this.ctx.clock.now();
    const snapshot = await loadRoutingSnapshot(trx, rows, at);
    const plan = planOffers(snapshot.queue, snapshot.groups, snapshot.agents, at.getTime());
    // The snapshot is read without locks: a chosen agent may be leaving Available right now, in
    // a transaction that cannot see these offers to withdraw them. Offer only to agents still
    // Available whose row no status change holds; the others' tickets wait for the kick that
    // follows that change.
    const chosen = [...new Set(plan.offers.map((p) => p.agentId))];
    const stillAvailable = new Set(
      chosen.length === 0
        ? []
        : (
            await trx
              .selectFrom('agent_states')
              .select('user_id')
              .where('user_id', 'in', chosen)
              .where('status', '=', 'available')
              .forUpdate()
              .skipLocked()
              .execute()
          ).map((r) => r.user_id),
    );
    const offers: StoredOffer[] = [];
    for (const planned of plan.offers) {
      if (!stillAvailable.has(planned.agentId)) continue;
      const row = snapshot.rows.get(planned.ticketId)!;
      const group = row.groupId ? snapshot.groupSettings.get(row.groupId) : undefined;
      const offer: StoredOffer = {
        id: this.ctx.newId(),
        ticketId: planned.ticketId,
        agentId: planned.agentId,
        status: 'pending',
        channel: row.channel === 'email' ? 'email' : 'messaging',
        createdAt: at,
        expiresAt: new Date(at.getTime() + (group?.offerTimeoutS ?? 30) * 1000),
      };
      offers.push(offer);
    }
    await insertOffers(trx, offers);
    await touchLastOffered(
      trx,
      offers.map((o) => o.agentId),
      at,
    );
    // Written per page, not per offer: one insert for the explanations, one for the timeouts.
    const decisionOf = new Map(plan.offers.map((p) => [p.ticketId, p.decision]));
    const explanations: { ticketId: string; event: TicketEvent }[] = [];
    const timeouts: { at: Date; kind: string; payload: Record<string, unknown>; key: string }[] =
      [];
    for (const offer of offers) {
      const row = snapshot.rows.get(offer.ticketId)!;
      const group = row.groupId ? snapshot.groupSettings.get(row.groupId) : undefined;
      const explained = explain(offer, decisionOf.get(offer.ticketId)!, group?.autoAccept ?? false);
      if (group?.autoAccept) {
        await this.acceptInTx(trx, offer, { type: 'system', reason: 'auto-accept' }, at, outbox, [
          explained,
        ]);
        continue;
      }
      explanations.push({ ticketId: offer.ticketId, event: { ...explained, actor: SYSTEM, at } });
      timeouts.push({
        at: offer.expiresAt,
        kind: TIMER.offerTimeout,
        payload: { offerId: offer.id },
        key: `offer:${offer.ticketId}`,
      });
      outbox.frames.push({
        userId: offer.agentId,
        frame: {
          type: 'offer',
          offer: {
            id: offer.id,
            ticketId: offer.ticketId,
            ticketNumber: row.ticketNumber,
            conversationId: row.conversationId,
            channel: row.channel,
            customer: { id: row.requesterId, name: row.customerName, email: row.customerEmail },
            queue: { id: row.groupId, name: group?.name ?? null },
            priority: row.priority,
            waitingSince: row.eligibleAt.toISOString(),
            expiresAt: offer.expiresAt.toISOString(),
          },
        },
      });
    }
    await insertManyTicketEvents(trx, explanations);
    await this.timers.scheduleMany(timeouts, trx);
    return { offered: offers.length, full: rows.length > 0, outbox };
  }

  /** The agent takes the offer: the ticket is theirs and Open. */
  async accept(agentId: string, offerId: string): Promise<void> {
    const outbox: Outbox = { feed: [], frames: [] };
    await this.ctx.database.db.transaction().execute(async (trx) => {
      const offer = await this.liveOfferOf(trx, agentId, offerId);
      await this.acceptInTx(
        trx,
        offer,
        { type: 'user', id: agentId, role: 'agent' },
        this.ctx.clock.now(),
        outbox,
        [],
      );
    });
    await this.flush(outbox);
    this.kick();
  }

  /** The agent passes: the ticket goes back to its place in the queue; no RONA. */
  async decline(agentId: string, offerId: string): Promise<void> {
    const outbox: Outbox = { feed: [], frames: [] };
    await this.ctx.database.db.transaction().execute(async (trx) => {
      const offer = await this.liveOfferOf(trx, agentId, offerId);
      const at = this.ctx.clock.now();
      await closeOffer(trx, offer.id, 'declined', at);
      await this.timers.cancel({ key: `offer:${offer.ticketId}` }, trx);
      await setTicketRouting(trx, offer.ticketId, { routing: 'queued' });
      await insertTicketEvents(trx, offer.ticketId, [
        {
          type: 'routing.offer_declined',
          offerId: offer.id,
          agentId,
          actor: { type: 'user', id: agentId, role: 'agent' },
          at,
        },
      ]);
      outbox.frames.push({
        userId: agentId,
        frame: {
          type: 'offer.closed',
          offerId: offer.id,
          ticketId: offer.ticketId,
          outcome: 'declined',
        },
      });
    });
    await this.flush(outbox);
    this.kick();
  }

  /** Offers still pending for an agent (after a reconnect the popover comes back). */
  async pendingFor(agentId: string): Promise<Offer[]> {
    const db = this.ctx.database.db;
    const rows = await db
      .selectFrom('offers')
      .selectAll()
      .where('agent_id', '=', agentId)
      .where('status', '=', 'pending')
      .execute();
    return Promise.all(
      rows.map((r) =>
        this.offerView(db, {
          id: r.id,
          ticketId: r.ticket_id,
          agentId: r.agent_id,
          status: r.status,
          channel: r.channel,
          createdAt: r.created_at,
          expiresAt: r.expires_at,
        }),
      ),
    );
  }

  /**
   * Withdraws an agent's pending offers (they went Idle or Offline): the tickets go back to their
   * place in the queue. Runs in the caller's transaction.
   */
  async withdrawOffersOf(
    trx: Db,
    agentId: string,
    reason: string,
    at: Date,
    outbox: Outbox,
  ): Promise<void> {
    await this.withdrawOffers(trx, { agentId }, reason, at, outbox, true);
  }

  /** Closes pending offers (of an agent, or of a ticket), telling each agent; optionally re-queues. */
  private async withdrawOffers(
    trx: Db,
    of: { agentId: string } | { ticketId: string },
    reason: string,
    at: Date,
    outbox: Outbox,
    requeue: boolean,
  ): Promise<void> {
    let query = trx.selectFrom('offers').selectAll().where('status', '=', 'pending');
    query =
      'agentId' in of
        ? query.where('agent_id', '=', of.agentId)
        : query.where('ticket_id', '=', of.ticketId);
    for (const r of await query.execute()) {
      if (!(await closeOffer(trx, r.id, 'withdrawn', at))) continue;
      await this.timers.cancel({ key: `offer:${r.ticket_id}` }, trx);
      if (requeue) await setTicketRouting(trx, r.ticket_id, { routing: 'queued' });
      await insertTicketEvents(trx, r.ticket_id, [
        {
          type: 'routing.offer_withdrawn',
          offerId: r.id,
          agentId: r.agent_id,
          reason,
          actor: SYSTEM,
          at,
        },
      ]);
      outbox.frames.push({
        userId: r.agent_id,
        frame: { type: 'offer.closed', offerId: r.id, ticketId: r.ticket_id, outcome: 'withdrawn' },
      });
    }
  }

  /**
   * Puts a ticket in its group's queue (after a handoff, a transfer, or when its agent left). Its
   * place is `eligibleAt`. Skill relaxation and overflow are scheduled on durable timers.
   */
  async enqueue(
    trx: Db,
    ticketId: string,
    at: Date,
    reason: string,
    options: { keepPlace?: boolean } = {},
  ): Promise<void> {
    const ticket = await getTicket(trx, ticketId);
    if (!ticket || ticket.status === 'closed' || ticket.status === 'solved') return;
    const routing = await getTicketRouting(trx, ticketId);
    const eligibleAt = options.keepPlace && routing?.eligibleAt ? routing.eligibleAt : at;
    await setTicketRouting(trx, ticketId, { routing: 'queued', eligibleAt });
    await insertTicketEvents(trx, ticketId, [
      { type: 'routing.queued', groupId: ticket.groupId, reason, actor: SYSTEM, at },
    ]);
    if (!ticket.groupId) return;
    const group = (await groupRoutingSettings(trx, [ticket.groupId])).get(ticket.groupId);
    if (
      group?.skillRelaxAfterS &&
      routing &&
      routing.requiredSkills.length > 0 &&
      !routing.skillsRelaxed
    ) {
      await this.timers.schedule(
        new Date(eligibleAt.getTime() + group.skillRelaxAfterS * 1000),
        TIMER.relaxSkills,
        { ticketId },
        { key: `relax:${ticketId}`, db: trx },
      );
    }
    if (group?.overflowGroupId && group.overflowAfterS) {
      await this.timers.schedule(
        new Date(eligibleAt.getTime() + group.overflowAfterS * 1000),
        TIMER.overflow,
        { ticketId },
        { key: `overflow:${ticketId}`, db: trx },
      );
    }
  }

  /** Required skills on a ticket (by API now, by rules later); relaxation restarts from its place. */
  async setRequiredSkills(ticketId: string, skillIds: readonly string[]): Promise<void> {
    const db = this.ctx.database.db;
    const outbox: Outbox = { feed: [], frames: [] };
    await db.transaction().execute(async (trx) => {
      const routing = await getTicketRouting(trx, ticketId);
      if (!routing) throw new DomainError('ticket/not-found', 'No such ticket', 'ticketId');
      const known = await trx
        .selectFrom('skills')
        .select('id')
        .where(
          'id',
          'in',
          skillIds.length ? [...skillIds] : ['00000000-0000-0000-0000-000000000000'],
        )
        .execute();
      const unknown = skillIds.find((id) => !known.some((k) => k.id === id));
      if (unknown) throw new DomainError('not-found', `No such skill ${unknown}`, 'skillIds');
      await setTicketRouting(trx, ticketId, { requiredSkills: skillIds, skillsRelaxed: false });
      const at = this.ctx.clock.now();
      // A pending offer was chosen without these skills: the ticket is planned again (and its
      // relaxation scheduled) from its place.
      if (routing.routing === 'offered')
        await this.withdrawTicketOffer(trx, ticketId, 'required skills changed', at, outbox);
      if (routing.routing === 'queued' || routing.routing === 'offered')
        await this.enqueue(trx, ticketId, at, 'required skills changed', { keepPlace: true });
    });
    await this.flush(outbox);
    this.kick();
  }

  /** The live queue: each waiting ticket, its wait, and why it still waits (a dry run of the next drain). */
  liveQueue(): Promise<QueueEntry[]> {
    return liveQueue(this.ctx.database.db, this.ctx.clock.now(), PAGE);
  }

  /**
   * Transfer to a queue (the ticket waits there, unassigned) or to a named agent (offered to them
   * only, when they have room). An Offline agent is refused: they could not answer, and the list
   * the agent picks from shows each agent's status.
   */
  async transfer(
    actor: Actor,
    ticketId: string,
    to: { groupId: string } | { agentId: string },
  ): Promise<void> {
    const outbox: Outbox = { feed: [], frames: [] };
    await this.ctx.database.db.transaction().execute(async (trx) => {
      const ticket = await getTicket(trx, ticketId);
      if (!ticket) throw new DomainError('ticket/not-found', 'No such ticket', 'ticketId');
      if (ticket.status === 'closed')
        throw new DomainError('ticket/closed', 'A closed ticket cannot be transferred', 'ticketId');
      const at = this.ctx.clock.now();
      if ('groupId' in to) {
        if (!(await groupRoutingSettings(trx, [to.groupId])).has(to.groupId))
          throw new DomainError('not-found', 'No such queue', 'groupId');
      } else {
        const agent = await trx
          .selectFrom('users')
          .select(['id', 'active'])
          .where('id', '=', to.agentId)
          .executeTakeFirst();
        if (!agent || !agent.active) throw new DomainError('not-found', 'No such agent', 'agentId');
        const state = await trx
          .selectFrom('agent_states')
          .select('status')
          .where('user_id', '=', to.agentId)
          .executeTakeFirst();
        if (!state || state.status === 'offline') {
          throw new DomainError(
            'routing/agent-offline',
            'This agent is offline: transfer to a queue or to an agent who is online',
            'agentId',
          );
        }
      }
      await this.withdrawTicketOffer(trx, ticketId, 'transferred', at, outbox);
      const result = await changeTicket(trx, {
        conversationId: ticket.conversationId,
        patch: { assigneeId: null, ...('groupId' in to ? { groupId: to.groupId } : {}) },
        routingEvents: [
          {
            type: 'routing.transferred',
            toGroupId: 'groupId' in to ? to.groupId : null,
            toAgentId: 'agentId' in to ? to.agentId : null,
          },
        ],
        actor,
        at,
      });
      outbox.feed.push(...result.signals);
      await setTicketRouting(trx, ticketId, { directAgentId: 'agentId' in to ? to.agentId : null });
      await this.timers.cancel({ key: `first-reply:${ticketId}` }, trx);
      await this.enqueue(trx, ticketId, at, 'transferred');
    });
    await this.flush(outbox);
    this.kick();
  }

  // --- hooks from the ticket and conversation use cases ---------------------------------------

  async ticketHandedOff(trx: Db, ticketId: string, at: Date): Promise<() => Promise<void>> {
    const ticket = await getTicket(trx, ticketId);
    if (ticket?.groupId) await this.enqueue(trx, ticketId, at, 'handed off to the group');
    return async () => this.kick();
  }

  async ticketChanged(
    trx: Db,
    before: Ticket,
    after: Ticket,
    at: Date,
  ): Promise<() => Promise<void>> {
    const outbox: Outbox = { feed: [], frames: [] };
    const routing = await getTicketRouting(trx, after.id);
    const waiting = routing?.routing === 'queued' || routing?.routing === 'offered';
    if (after.assigneeId !== before.assigneeId) {
      // Someone assigned or unassigned by hand: routing follows the person's decision.
      await this.withdrawTicketOffer(trx, after.id, 'assigned by hand', at, outbox);
      if (after.assigneeId) {
        await setTicketRouting(trx, after.id, {
          routing: 'assigned',
          assignedAt: at,
          directAgentId: null,
        });
        await this.cancelWaitTimers(trx, after.id);
      } else if (after.status === 'new' || after.status === 'open') {
        await this.enqueue(trx, after.id, at, 'unassigned', { keepPlace: true });
      } else {
        await setTicketRouting(trx, after.id, { routing: 'none' });
      }
    } else if (waiting && after.status !== 'new' && after.status !== 'open') {
      await this.withdrawTicketOffer(trx, after.id, `ticket is ${after.status}`, at, outbox);
      await setTicketRouting(trx, after.id, { routing: 'none' });
      await this.cancelWaitTimers(trx, after.id);
    } else if (waiting && after.groupId !== before.groupId) {
      await this.withdrawTicketOffer(trx, after.id, 'moved to another group', at, outbox);
      await this.enqueue(trx, after.id, at, 'moved to another group', { keepPlace: true });
    }
    return async () => {
      await this.flush(outbox);
      this.kick();
    };
  }

  async sessionEnded(trx: Db, ticketId: string, at: Date): Promise<() => Promise<void>> {
    const outbox: Outbox = { feed: [], frames: [] };
    const routing = await getTicketRouting(trx, ticketId);
    if (routing?.routing === 'queued' || routing?.routing === 'offered') {
      await this.withdrawTicketOffer(trx, ticketId, 'the session ended', at, outbox);
      await setTicketRouting(trx, ticketId, { routing: 'none' });
      await this.cancelWaitTimers(trx, ticketId);
    }
    return async () => {
      await this.flush(outbox);
      this.kick();
    };
  }

  private async withdrawTicketOffer(
    trx: Db,
    ticketId: string,
    reason: string,
    at: Date,
    outbox: Outbox,
  ): Promise<void> {
    await this.withdrawOffers(trx, { ticketId }, reason, at, outbox, false);
  }

  private async cancelWaitTimers(trx: Db, ticketId: string): Promise<void> {
    await this.timers.cancel({ key: `relax:${ticketId}` }, trx);
    await this.timers.cancel({ key: `overflow:${ticketId}` }, trx);
  }

  // --- timers -------------------------------------------------------------------------------

  private async onOfferTimeout(trx: Db, offerId: string) {
    const offer = await getOffer(trx, offerId, { lock: true });
    if (!offer || offer.status !== 'pending') return;
    const at = this.ctx.clock.now();
    const outbox: Outbox = { feed: [], frames: [] };
    await closeOffer(trx, offer.id, 'expired', at);
    await setTicketRouting(trx, offer.ticketId, { routing: 'queued' });
    await insertTicketEvents(trx, offer.ticketId, [
      { type: 'routing.offer_expired', offerId, agentId: offer.agentId, actor: SYSTEM, at },
    ]);
    outbox.frames.push({
      userId: offer.agentId,
      frame: { type: 'offer.closed', offerId, ticketId: offer.ticketId, outcome: 'expired' },
    });
    await this.onNoAnswer(trx, offer.agentId, at, outbox);
    return async () => {
      await this.flush(outbox);
      this.kick();
    };
  }

  /**
   * A wait (relaxation, overflow) that ends while the ticket is being offered applies when the
   * offer is over: declined or missed, the ticket must not stay in its first group for good.
   */
  /** Set by the agent-status service: an unanswered offer puts the agent in RONA. */
  onNoAnswer: (trx: Db, agentId: string, at: Date, outbox: Outbox) => Promise<void> = async () =>
    undefined;

  // --- helpers ------------------------------------------------------------------------------

  private async liveOfferOf(trx: Db, agentId: string, offerId: string): Promise<StoredOffer> {
    const offer = await getOffer(trx, offerId, { lock: true });
    if (!offer || offer.agentId !== agentId)
      throw new DomainError('not-found', 'No such offer for you', 'offerId');
    if (offer.status !== 'pending') {
      throw new DomainError(
        'routing/offer-closed',
        `This offer is no longer open (${offer.status})`,
        'offerId',
      );
    }
    if (offer.expiresAt.getTime() <= this.ctx.clock.now().getTime()) {
      throw new DomainError('routing/offer-closed', 'This offer timed out', 'offerId');
    }
    return offer;
  }

  private async acceptInTx(
    trx: Db,
    offer: StoredOffer,
    actor: Actor,
    at: Date,
    outbox: Outbox,
    extra: RoutingEventData[],
  ): Promise<void> {
    await closeOffer(trx, offer.id, 'accepted', at);
    await this.timers.cancel({ key: `offer:${offer.ticketId}` }, trx);
    const ticket = await getTicket(trx, offer.ticketId);
    if (!ticket) throw new DomainError('ticket/not-found', 'No such ticket', 'ticketId');
    const result = await changeTicket(trx, {
      conversationId: ticket.conversationId,
      patch: {
        assigneeId: offer.agentId,
        ...(ticket.status === 'new' || ticket.status === 'pending' || ticket.status === 'on_hold'
          ? { status: 'open' }
          : {}),
      },
      routingEvents: [
        ...extra,
        { type: 'routing.offer_accepted', offerId: offer.id, agentId: offer.agentId },
      ],
      actor,
      at,
    });
    await setTicketRouting(trx, offer.ticketId, {
      routing: 'assigned',
      assignedAt: at,
      directAgentId: null,
      firstReplyAt: null,
    });
    await this.cancelWaitTimers(trx, offer.ticketId);
    const group = ticket.groupId
      ? (await groupRoutingSettings(trx, [ticket.groupId])).get(ticket.groupId)
      : undefined;
    // Seed 003: the check applies to the first assignment of a conversation only; a ticket that was
    // already reassigned once is not moved again automatically.
    const reassignedBefore = group?.reassignAfterS
      ? await trx
          .selectFrom('ticket_events')
          .select('id')
          .where('ticket_id', '=', offer.ticketId)
          .where('type', '=', 'routing.reassigned')
          .executeTakeFirst()
      : undefined;
    if (group?.reassignAfterS && !reassignedBefore) {
      await this.timers.schedule(
        new Date(at.getTime() + group.reassignAfterS * 1000),
        TIMER.firstReply,
        { ticketId: offer.ticketId, agentId: offer.agentId },
        { key: `first-reply:${offer.ticketId}`, db: trx },
      );
    }
    outbox.feed.push(...result.signals);
    outbox.frames.push({
      userId: offer.agentId,
      frame: {
        type: 'offer.closed',
        offerId: offer.id,
        ticketId: offer.ticketId,
        outcome: 'accepted',
      },
    });
    // Accepting is a ticket update like any other: the triggers run once routing is settled.
    if (this.rules && result.state.ticket) {
      const outcome = await this.rules.afterUpdate(trx, {
        conversation: result.state.conversation,
        before: result.state.ticket,
        beforeSession: result.state.session,
        ticket: result.ticket,
        session: result.state.session,
        requesterEmail: result.state.requesterEmail,
        lastSeq: result.state.lastSeq + result.signals.length,
        comment: null,
        at,
      });
      outbox.feed.push(...outcome.signals);
      (outbox.after ??= []).push(...outcome.afterCommit);
    }
  }

  private async offerView(db: Db, offer: StoredOffer): Promise<Offer> {
    const ticket = await getTicket(db, offer.ticketId);
    if (!ticket) throw new Error(`ticket ${offer.ticketId} vanished`);
    const [customer, routing, group] = await Promise.all([
      getEndUser(db, ticket.requesterId),
      getTicketRouting(db, ticket.id),
      ticket.groupId
        ? groupRoutingSettings(db, [ticket.groupId]).then((m) => m.get(ticket.groupId!))
        : Promise.resolve(undefined),
    ]);
    return {
      id: offer.id,
      ticketId: ticket.id,
      ticketNumber: ticket.number,
      conversationId: ticket.conversationId,
      channel: ticket.channel,
      customer: {
        id: ticket.requesterId,
        name: customer?.name ?? null,
        email: customer?.email ?? null,
      },
      queue: { id: ticket.groupId, name: group?.name ?? null },
      priority: ticket.priority,
      waitingSince: (routing?.eligibleAt ?? ticket.createdAt).toISOString(),
      expiresAt: offer.expiresAt.toISOString(),
    };
  }

  async flush(outbox: Outbox): Promise<void> {
    await publishFeed(this.ctx.bus, outbox.feed);
    await Promise.all(outbox.frames.map((f) => publishToUser(this.ctx.bus, f.userId, f.frame)));
    for (const fn of outbox.after ?? []) await fn();
  }
}

export type { Outbox };

function explain(offer: StoredOffer, decision: Decision, autoAccepted: boolean): RoutingEventData {
  return {
    type: 'routing.offered',
    offerId: offer.id,
    agentId: offer.agentId,
    autoAccepted,
    considered: decision.considered.map((c) => ({
      agentId: c.agentId,
      outcome: c.outcome,
      ...(c.detail ? { detail: c.detail } : {}),
    })),
    passedCounts: { ...decision.passedCounts } as Record<string, number>,
  };
}
