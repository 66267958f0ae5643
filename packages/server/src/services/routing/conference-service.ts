import { DomainError, type Actor, type RoutingEventData, type TicketEvent } from '@parlour/core';
import type { FeedEvent, Participant, ServerFrame } from '@parlour/protocol';
import {
  agentLoads,
  getAgentState,
  getTicket,
  insertTicketEvents,
  listParticipants,
  loadConversationState,
  moveParticipant,
  requestParticipant,
  type Audience,
  type Db,
  type StoredConversationState,
  type StoredParticipant,
  type StoredTicket,
} from '@parlour/storage';
import { sql } from 'kysely';
import { actorOf, type Principal } from '../../principal.js';
import type { ServiceContext } from '../context.js';
import { appendFeedEvents } from '../conversation-feed.js';
import { ticketDto } from '../dto.js';
import { publishFeed, type FeedSignal } from '../feed-publisher.js';
import { ticketEventDto } from '../message-writer.js';
import type { RoutingHooks } from '../routing-hooks.js';
import { readRoutingSettings } from './routing-settings.js';
import { ROUTING_LOCK } from './routing-service.js';
import { publishToUser } from './user-topic.js';

type Staff = Principal & { kind: 'user' };

interface Outbox {
  feed: FeedSignal[];
  frames: { userId: string; frame: ServerFrame }[];
}

const SESSION_ENDED: Actor = { type: 'system', reason: 'session ended' };

/**
 * Conference (seed 004, "Konferenz"): the agent who has a chat invites a second agent
 * (Conference requested); the guest accepts (Conference) or declines; either agent ends it. While
 * the guest is requested or joined, the chat counts against their messaging capacity too (the
 * routing loads count participants). Every step is a ticket event; the customer sees the guest
 * join and leave. One guest at a time.
 */
export class ConferenceService {
  constructor(
    private readonly ctx: ServiceContext,
    /** Capacity freed (a guest declined or left): let routing offer waiting chats. */
    private readonly kick: () => void,
  ) {}

  async invite(staff: Staff, conversationId: string, agentId: string): Promise<Participant> {
    const outbox: Outbox = { feed: [], frames: [] };
    const at = this.ctx.clock.now();
    const guest = await this.ctx.database.db.transaction().execute(async (trx) => {
      // Routing decides on agents' loads under this lock; an invitation adds to a load, so it
      // takes the same lock (before the conversation's, as the drain does) and no offer races it.
      if (this.ctx.database.kind === 'postgres')
        await sql`SELECT pg_advisory_xact_lock(${ROUTING_LOCK})`.execute(trx);
      const { state, ticket } = await this.lockChat(trx, conversationId);
      if (ticket.assigneeId !== staff.id && staff.role === 'agent') {
        throw new DomainError(
          'auth/forbidden',
          'Only the agent who has this chat, or a supervisor, can start a conference',
        );
      }
      assertLive(state);
      if (agentId === staff.id)
        throw new DomainError('validation/invalid', 'You cannot invite yourself', 'agentId');
      if (agentId === ticket.assigneeId) {
        throw new DomainError(
          'validation/invalid',
          'This agent already has the chat: invite someone else',
          'agentId',
        );
      }
      const current = activeGuest(await listParticipants(trx, conversationId));
      if (current) {
        throw new DomainError(
          'conflict',
          `${current.name} is already ${current.state === 'joined' ? 'in the conference' : 'invited'}: end that conference first`,
          'agentId',
        );
      }
      await this.assertCanJoin(trx, agentId);
      await requestParticipant(trx, { conversationId, userId: agentId, invitedBy: staff.id, at });
      await this.record(trx, state, ticket, actorOf(staff), at, outbox, [
        { type: 'conference.requested', agentId },
      ]);
      outbox.frames.push({
        userId: agentId,
        frame: {
          type: 'conference.invited',
          conversationId,
          ticketId: ticket.id,
          invitedBy: staff.id,
        },
      });
      return this.participant(trx, conversationId, agentId);
    });
    await this.flush(outbox);
    return guest;
  }

  /** The invited agent joins: Conference. The customer sees that an agent joined. */
  async accept(staff: Staff, conversationId: string): Promise<Participant> {
    const outbox: Outbox = { feed: [], frames: [] };
    const at = this.ctx.clock.now();
    const guest = await this.ctx.database.db.transaction().execute(async (trx) => {
      const { state, ticket } = await this.lockChat(trx, conversationId);
      const invitation = await this.invitationOf(trx, conversationId, staff.id);
      assertLive(state);
      await moveParticipant(trx, {
        conversationId,
        userId: staff.id,
        from: ['requested'],
        to: 'joined',
        at,
      });
      await this.record(
        trx,
        state,
        ticket,
        actorOf(staff),
        at,
        outbox,
        [{ type: 'conference.joined', agentId: staff.id }],
        { type: 'agent.joined', agentId: staff.id, agentName: invitation.name },
      );
      return this.participant(trx, conversationId, staff.id);
    });
    await this.flush(outbox);
    return guest;
  }

  /** The invited agent passes: the chat stays with its agent, and the guest's capacity frees. */
  async decline(staff: Staff, conversationId: string): Promise<Participant> {
    const outbox: Outbox = { feed: [], frames: [] };
    const at = this.ctx.clock.now();
    const guest = await this.ctx.database.db.transaction().execute(async (trx) => {
      const { state, ticket } = await this.lockChat(trx, conversationId);
      await this.invitationOf(trx, conversationId, staff.id);
      await moveParticipant(trx, {
        conversationId,
        userId: staff.id,
        from: ['requested'],
        to: 'declined',
        at,
      });
      await this.record(trx, state, ticket, actorOf(staff), at, outbox, [
        { type: 'conference.declined', agentId: staff.id },
      ]);
      return this.participant(trx, conversationId, staff.id);
    });
    await this.flush(outbox);
    this.kick();
    return guest;
  }

  /**
   * Either agent (or a supervisor) ends the conference: the guest leaves, the chat stays with its
   * agent. Ending while the invitation is still open withdraws it.
   */
  async end(staff: Staff, conversationId: string): Promise<Participant> {
    const outbox: Outbox = { feed: [], frames: [] };
    const at = this.ctx.clock.now();
    const guest = await this.ctx.database.db.transaction().execute(async (trx) => {
      const { state, ticket } = await this.lockChat(trx, conversationId);
      const current = activeGuest(await listParticipants(trx, conversationId));
      if (
        ticket.assigneeId !== staff.id &&
        current?.userId !== staff.id &&
        staff.role === 'agent'
      ) {
        throw new DomainError(
          'auth/forbidden',
          'Only the agents in this conference, or a supervisor, can end it',
        );
      }
      if (!current)
        throw new DomainError('conflict', 'There is no conference in this chat', 'conversationId');
      await this.leave(trx, state, ticket, current, actorOf(staff), staff.id, at, outbox);
      return this.participant(trx, conversationId, current.userId);
    });
    await this.flush(outbox);
    this.kick();
    return guest;
  }

  /** Everyone invited into the chat and where they are (requested, joined, left, declined). */
  async participants(conversationId: string): Promise<Participant[]> {
    const db = this.ctx.database.db;
    if (!(await loadConversationState(db, conversationId)))
      throw new DomainError('conversation/not-found', 'No such conversation', 'conversationId');
    return (await listParticipants(db, conversationId)).map(participantDto);
  }

  /**
   * Wraps the hooks that ticket and conversation use cases call inside their transactions: when a
   * chat's session ends (the customer left, the agent ended it, the ticket closed), its
   * conference ends with it, so no one stays "in" a chat that is over.
   */
  endingWithSessions(hooks: RoutingHooks): RoutingHooks {
    return {
      ticketHandedOff: (trx, ticketId, at) => hooks.ticketHandedOff(trx, ticketId, at),
      ticketChanged: async (trx, before, after, at) => {
        const then = await hooks.ticketChanged(trx, before, after, at);
        // Closing a ticket is the one ticket change that ends its session.
        return after.status === 'closed' && before.status !== 'closed'
          ? this.alsoEnd(trx, after.conversationId, at, then)
          : then;
      },
      sessionEnded: async (trx, ticketId, at) => {
        const then = await hooks.sessionEnded(trx, ticketId, at);
        const ticket = await getTicket(trx, ticketId);
        return ticket ? this.alsoEnd(trx, ticket.conversationId, at, then) : then;
      },
      kick: () => hooks.kick(),
    };
  }

  /** Called after the caller's own feed entries: the state is read again for the current seq. */
  private async alsoEnd(
    trx: Db,
    conversationId: string,
    at: Date,
    then: () => Promise<void>,
  ): Promise<() => Promise<void>> {
    const state = await loadConversationState(trx, conversationId, { lock: true });
    const ticket = state?.ticket;
    if (!state || !ticket || state.session?.state === 'active') return then;
    const current = activeGuest(await listParticipants(trx, conversationId));
    if (!current) return then;
    const outbox: Outbox = { feed: [], frames: [] };
    await this.leave(trx, state, ticket, current, SESSION_ENDED, 'session', at, outbox);
    return async () => {
      await then();
      await this.flush(outbox);
    };
  }

  // --- steps --------------------------------------------------------------------------------

  private async lockChat(
    trx: Db,
    conversationId: string,
  ): Promise<{ state: StoredConversationState; ticket: StoredTicket }> {
    const state = await loadConversationState(trx, conversationId, { lock: true });
    if (!state)
      throw new DomainError('conversation/not-found', 'No such conversation', 'conversationId');
    if (!state.ticket) {
      throw new DomainError(
        'ticket/not-found',
        'This conversation has not been handed to an agent yet',
        'conversationId',
      );
    }
    return { state, ticket: state.ticket };
  }

  private async invitationOf(
    trx: Db,
    conversationId: string,
    userId: string,
  ): Promise<StoredParticipant> {
    const mine = (await listParticipants(trx, conversationId)).find((p) => p.userId === userId);
    if (!mine) {
      throw new DomainError(
        'not-found',
        'You have not been invited to this conversation',
        'conversationId',
      );
    }
    if (mine.state !== 'requested') {
      throw new DomainError(
        'conflict',
        `This invitation is no longer open (${mine.state})`,
        'conversationId',
      );
    }
    return mine;
  }

  /** The guest must be an active staff member who is online and has room for one more chat. */
  private async assertCanJoin(trx: Db, agentId: string): Promise<void> {
    const user = await trx
      .selectFrom('users')
      .select(['id', 'name', 'active'])
      .where('id', '=', agentId)
      .executeTakeFirst();
    if (!user || !user.active) throw new DomainError('not-found', 'No such agent', 'agentId');
    const agent = await getAgentState(trx, agentId);
    if (!agent || agent.status === 'offline') {
      throw new DomainError(
        'routing/agent-offline',
        `${user.name} is offline: invite an agent who is online`,
        'agentId',
      );
    }
    const capacity = agent.messagingCapacity ?? (await readRoutingSettings(trx)).messagingCapacity;
    const load = (await agentLoads(trx, [agentId])).get(agentId)?.messaging ?? 0;
    if (load >= capacity) {
      throw new DomainError(
        'conflict',
        `${user.name} has no room for another chat (${load} of ${capacity})`,
        'agentId',
      );
    }
  }

  private async leave(
    trx: Db,
    state: StoredConversationState,
    ticket: StoredTicket,
    guest: StoredParticipant,
    actor: Actor,
    endedBy: string,
    at: Date,
    outbox: Outbox,
  ): Promise<void> {
    await moveParticipant(trx, {
      conversationId: state.conversation.id,
      userId: guest.userId,
      from: ['requested', 'joined'],
      to: 'left',
      at,
    });
    await this.record(
      trx,
      state,
      ticket,
      actor,
      at,
      outbox,
      [{ type: 'conference.left', agentId: guest.userId, endedBy }],
      guest.state === 'joined'
        ? { type: 'agent.left', agentId: guest.userId, agentName: guest.name }
        : undefined,
    );
  }

  /**
   * The ticket's events, and the feed: staff see the conference change with the ticket, the
   * customer sees an agent join or leave.
   */
  private async record(
    trx: Db,
    state: StoredConversationState,
    ticket: StoredTicket,
    actor: Actor,
    at: Date,
    outbox: Outbox,
    changes: readonly RoutingEventData[],
    forCustomer?: FeedEvent,
  ): Promise<void> {
    const events = changes.map((e) => ({ ...e, actor, at }) as TicketEvent);
    await insertTicketEvents(trx, ticket.id, events);
    const feed: { event: FeedEvent; audience: Audience }[] = [];
    if (forCustomer) feed.push({ event: forCustomer, audience: 'all' });
    feed.push({
      event: {
        type: 'ticket.updated',
        ticket: ticketDto(ticket),
        changes: events.map((e, i) => ticketEventDto(ticket.id, e, i)),
      },
      audience: 'staff',
    });
    outbox.feed.push(
      ...(await appendFeedEvents(trx, state.conversation.id, state.lastSeq, feed, at)),
    );
  }

  private async participant(trx: Db, conversationId: string, userId: string) {
    const p = (await listParticipants(trx, conversationId)).find((x) => x.userId === userId);
    if (!p) throw new Error(`participant ${userId} vanished`);
    return participantDto(p);
  }

  private async flush(outbox: Outbox): Promise<void> {
    await publishFeed(this.ctx.bus, outbox.feed);
    await Promise.all(outbox.frames.map((f) => publishToUser(this.ctx.bus, f.userId, f.frame)));
  }
}

function activeGuest(participants: readonly StoredParticipant[]): StoredParticipant | undefined {
  return participants.find((p) => p.state === 'requested' || p.state === 'joined');
}

function assertLive(state: StoredConversationState): void {
  if (state.session?.state !== 'active') {
    throw new DomainError(
      'session/ended',
      'This chat has ended: a conference needs a live chat',
      'conversationId',
    );
  }
}

function participantDto(p: StoredParticipant): Participant {
  return {
    conversationId: p.conversationId,
    userId: p.userId,
    name: p.name,
    role: p.role,
    state: p.state,
    invitedBy: p.invitedBy,
    invitedAt: p.createdAt.toISOString(),
    joinedAt: p.joinedAt ? p.joinedAt.toISOString() : null,
    leftAt: p.leftAt ? p.leftAt.toISOString() : null,
  };
}
