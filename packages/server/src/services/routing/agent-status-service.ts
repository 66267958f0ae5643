import { changeAgentStatus, DomainError, isDomainError, type AgentStatus } from '@parlour/core';
import {
  addConnection,
  countConnections,
  ensureAgentStates,
  getAgentState,
  removeConnection,
  removeConnectionsOfProcess,
  setTicketRouting,
  writeAgentStatus,
  type Db,
} from '@parlour/storage';
import type { DurableTimers } from '../../timers/durable-timers.js';
import type { ServiceContext } from '../context.js';
import { publishFeed } from '../feed-publisher.js';
import { changeTicket } from './change-ticket.js';
import { readRoutingSettings } from './routing-settings.js';
import type { Outbox, RoutingService } from './routing-service.js';

const PRESENCE_TIMER = 'routing.presence-offline';

/**
 * Agent status (Available, Idle with a reason, Offline, RONA) and presence. Every change is an
 * event. Leaving Available withdraws pending offers; going Offline also hands the agent's live
 * chats back to the queue, so no chat stays with someone who is gone. Presence follows sockets:
 * when an agent's last connection (in any process) drops, they go Offline after a grace period.
 */
export class AgentStatusService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly timers: DurableTimers,
    private readonly routing: RoutingService,
    private readonly processId: string,
  ) {
    routing.onNoAnswer = (trx, agentId, at, outbox) => this.toRona(trx, agentId, at, outbox);
    timers.on(PRESENCE_TIMER, async (timer, trx) =>
      this.onPresenceTimeout(trx, String(timer.payload.userId)),
    );
  }

  /** A process starting again: connections it held before a crash are gone. */
  async recover(): Promise<void> {
    const users = await removeConnectionsOfProcess(this.ctx.database.db, this.processId);
    for (const userId of users) await this.onDisconnectedEverywhere(this.ctx.database.db, userId);
  }

  async set(
    userId: string,
    to: AgentStatus,
    idleReasonId: string | null,
    cause = 'agent',
  ): Promise<{ status: AgentStatus }> {
    const outbox: Outbox = { feed: [], frames: [] };
    const at = this.ctx.clock.now();
    await this.ctx.database.db.transaction().execute(async (trx) => {
      if (idleReasonId) {
        const reason = await trx
          .selectFrom('idle_reasons')
          .select(['id', 'active'])
          .where('id', '=', idleReasonId)
          .executeTakeFirst();
        if (!reason || !reason.active)
          throw new DomainError('not-found', 'No such idle reason', 'idleReasonId');
      }
      await this.changeInTx(
        trx,
        userId,
        to,
        to === 'idle' ? idleReasonId : null,
        cause,
        at,
        outbox,
        // The agent or a supervisor: a person chooses, so RONA stays the system's alone.
        'agent',
      );
    });
    await this.routing.flush(outbox);
    this.routing.kick();
    return { status: to };
  }

  private async changeInTx(
    trx: Db,
    userId: string,
    to: AgentStatus,
    idleReasonId: string | null,
    cause: string,
    at: Date,
    outbox: Outbox,
    by: 'agent' | 'system' = 'system',
  ): Promise<void> {
    await ensureAgentStates(trx, [userId], at);
    const state = await getAgentState(trx, userId, { lock: true });
    if (!state) throw new DomainError('not-found', 'No such agent', 'userId');
    let next: AgentStatus;
    try {
      next = changeAgentStatus(state.status, to, by, idleReasonId);
    } catch (error) {
      if (isDomainError(error) && error.code === 'validation/invalid') throw error;
      throw new DomainError(
        'routing/status-illegal',
        isDomainError(error) ? error.message : 'Illegal status change',
        'status',
      );
    }
    if (next === state.status && idleReasonId === state.idleReasonId) return;
    await writeAgentStatus(trx, { userId, from: state.status, to: next, idleReasonId, cause, at });
    outbox.frames.push({
      userId,
      frame: { type: 'agent.status', status: next, idleReasonId, cause },
    });
    if (next !== 'available')
      await this.routing.withdrawOffersOf(trx, userId, `agent went ${next}`, at, outbox);
    if (next === 'offline') await this.requeueLiveChats(trx, userId, at, outbox);
  }

  private async toRona(trx: Db, agentId: string, at: Date, outbox: Outbox): Promise<void> {
    const state = await getAgentState(trx, agentId, { lock: true });
    if (!state || state.status !== 'available') return;
    await this.changeInTx(trx, agentId, 'rona', null, 'no answer to an offer', at, outbox);
  }

  /** Live messaging chats of an agent who went Offline go back to the queue, keeping their place. */
  private async requeueLiveChats(trx: Db, userId: string, at: Date, outbox: Outbox): Promise<void> {
    const live = await trx
      .selectFrom('tickets')
      .innerJoin('sessions', 'sessions.conversation_id', 'tickets.conversation_id')
      .select(['tickets.id', 'tickets.conversation_id'])
      .where('tickets.assignee_id', '=', userId)
      .where('tickets.status', 'in', ['new', 'open'])
      .where('sessions.state', '=', 'active')
      .execute();
    for (const t of live) {
      const result = await changeTicket(trx, {
        conversationId: t.conversation_id,
        patch: { assigneeId: null },
        routingEvents: [
          { type: 'routing.requeued', fromAgentId: userId, reason: 'the agent went offline' },
        ],
        actor: { type: 'system', reason: 'routing' },
        at,
      });
      outbox.feed.push(...result.signals);
      await this.routing.enqueue(trx, t.id, at, 'the agent went offline', { keepPlace: true });
    }
    // Tickets transferred to them would wait for someone who is gone: back to their group.
    const directed = await trx
      .selectFrom('tickets')
      .select('id')
      .where('direct_agent_id', '=', userId)
      .where('routing', '=', 'queued')
      .execute();
    for (const t of directed) {
      await setTicketRouting(trx, t.id, { directAgentId: null });
      await this.routing.enqueue(trx, t.id, at, 'the agent it was transferred to went offline', {
        keepPlace: true,
      });
    }
  }

  async connected(userId: string, connectionId: string): Promise<void> {
    const at = this.ctx.clock.now();
    await ensureAgentStates(this.ctx.database.db, [userId], at);
    await addConnection(this.ctx.database.db, {
      id: connectionId,
      userId,
      processId: this.processId,
      at,
    });
    await this.timers.cancel({ key: `presence:${userId}` });
  }

  /**
   * The connection row goes and, if it was the user's last one anywhere, the Offline timer is set,
   * in one transaction: nobody can see the agent gone without the timer that will act on it.
   */
  async disconnected(userId: string, connectionId: string): Promise<void> {
    await this.ctx.database.db.transaction().execute(async (trx) => {
      // One user's sockets closing at once are counted one after the other.
      await getAgentState(trx, userId, { lock: true });
      if ((await removeConnection(trx, connectionId, userId)) === 0)
        await this.onDisconnectedEverywhere(trx, userId);
    });
  }

  private async onDisconnectedEverywhere(db: Db, userId: string): Promise<void> {
    const settings = await readRoutingSettings(db);
    const at = new Date(this.ctx.clock.now().getTime() + settings.presenceGraceS * 1000);
    await this.timers.schedule(at, PRESENCE_TIMER, { userId }, { key: `presence:${userId}`, db });
  }

  private async onPresenceTimeout(trx: Db, userId: string) {
    if ((await countConnections(trx, userId)) > 0) return;
    const state = await getAgentState(trx, userId, { lock: true });
    if (!state || state.status === 'offline') return;
    const outbox: Outbox = { feed: [], frames: [] };
    await this.changeInTx(
      trx,
      userId,
      'offline',
      null,
      'presence: all connections closed',
      this.ctx.clock.now(),
      outbox,
    );
    return async () => {
      await publishFeed(this.ctx.bus, outbox.feed);
      await this.routing.flush(outbox);
      this.routing.kick();
    };
  }
}
