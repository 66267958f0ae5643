import { DomainError, type AgentStatus } from '@parlour/core';
import type { LiveMonitorReply, LiveReassignBody, Message } from '@parlour/protocol';
import { loadConversationState, type Db } from '@parlour/storage';
import { sql } from 'kysely';
import { actorOf, type Principal } from '../../principal.js';
import type { ServiceContext } from '../context.js';
import { appendFeedEvents } from '../conversation-feed.js';
import { messageDto } from '../dto.js';
import { publishFeed, type FeedSignal } from '../feed-publisher.js';
import type { MessageWriter } from '../message-writer.js';
import type { AgentStatusService } from '../routing/agent-status-service.js';
import type { RoutingService } from '../routing/routing-service.js';
import {
  assertAgentInScope,
  assertConversationInScope,
  assertGroupInScope,
  loadScope,
} from './live-scope.js';

/**
 * What a supervisor does from the live view, each refused (403) outside their groups: set an
 * agent's status, reassign a conversation, monitor it silently, whisper to its agent (an internal
 * note: staff only, never the customer), barge in (a public message; the customer sees them join).
 */
export class LiveViewActions {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly deps: {
      readonly agentStatus: AgentStatusService;
      readonly routing: RoutingService;
      readonly messages: MessageWriter;
    },
  ) {}

  /** Admins manage everyone; a supervisor only agents who share one of their groups. */
  async assertCanManageAgent(principal: Principal, userId: string): Promise<void> {
    const db = this.ctx.database.db;
    const user = await db
      .selectFrom('users')
      .select('id')
      .where('id', '=', userId)
      .executeTakeFirst();
    if (!user) throw new DomainError('not-found', 'No such agent', 'userId');
    await assertAgentInScope(db, await loadScope(db, principal), userId);
  }

  async setStatus(
    principal: Principal & { kind: 'user' },
    userId: string,
    status: AgentStatus,
    idleReasonId: string | null,
  ): Promise<{ status: AgentStatus }> {
    await this.assertCanManageAgent(principal, userId);
    return this.deps.agentStatus.set(userId, status, idleReasonId, `set by ${principal.id}`);
  }

  async reassign(
    principal: Principal & { kind: 'user' },
    conversationId: string,
    to: LiveReassignBody,
  ): Promise<void> {
    const db = this.ctx.database.db;
    const scope = await loadScope(db, principal);
    const chat = await assertConversationInScope(db, scope, conversationId);
    if ('groupId' in to) assertGroupInScope(scope, to.groupId);
    else await assertAgentInScope(db, scope, to.agentId);
    if (!chat.ticketId)
      throw new DomainError(
        'ticket/not-found',
        'This conversation has no ticket yet',
        'conversationId',
      );
    await this.deps.routing.transfer(actorOf(principal), chat.ticketId, to);
  }

  /**
   * Silent monitoring: nothing is written to the conversation (no one joined, the customer sees
   * nothing); the reply says where the feed is, and the supervisor subscribes on the socket.
   */
  async monitor(principal: Principal, conversationId: string): Promise<LiveMonitorReply> {
    const db = this.ctx.database.db;
    const chat = await assertConversationInScope(
      db,
      await loadScope(db, principal),
      conversationId,
    );
    const row = await db
      .selectFrom('conversations')
      .select('last_seq')
      .where('id', '=', conversationId)
      .executeTakeFirstOrThrow();
    return {
      conversationId,
      ticketId: chat.ticketId,
      assigneeId: chat.assigneeId,
      lastSeq: Number(row.last_seq),
    };
  }

  /** A note only staff (the agent on the chat among them) see: an internal message. */
  async whisper(principal: Principal, conversationId: string, body: string): Promise<Message> {
    const db = this.ctx.database.db;
    await assertConversationInScope(db, await loadScope(db, principal), conversationId);
    const posted = await this.deps.messages.post({
      actor: actorOf(principal),
      conversationId,
      kind: 'internal',
      body,
      clientMessageId: null,
    });
    return messageDto(posted.message);
  }

  /** A public message from the supervisor; in a live chat the customer first sees them join. */
  async barge(
    principal: Principal & { kind: 'user' },
    conversationId: string,
    body: string,
  ): Promise<Message> {
    const db = this.ctx.database.db;
    await assertConversationInScope(db, await loadScope(db, principal), conversationId);
    const signals = await db.transaction().execute(async (trx) => {
      const state = await loadConversationState(trx, conversationId, { lock: true });
      if (!state) throw new DomainError('conversation/not-found', 'No such conversation');
      const live = state.conversation.channel === 'messaging' && state.session?.state === 'active';
      if (!live || (await hasJoined(trx, conversationId, principal.id))) return [] as FeedSignal[];
      const me = await trx
        .selectFrom('users')
        .select('name')
        .where('id', '=', principal.id)
        .executeTakeFirstOrThrow();
      return appendFeedEvents(
        trx,
        conversationId,
        state.lastSeq,
        [
          {
            event: { type: 'agent.joined', agentId: principal.id, agentName: me.name },
            audience: 'all',
          },
        ],
        this.ctx.clock.now(),
      );
    });
    await publishFeed(this.ctx.bus, signals);
    const posted = await this.deps.messages.post({
      actor: actorOf(principal),
      conversationId,
      kind: 'public',
      body,
      clientMessageId: null,
    });
    return messageDto(posted.message);
  }
}

/** Whether the user's latest join/leave in this conversation is a join (a second barge adds none). */
async function hasJoined(trx: Db, conversationId: string, userId: string): Promise<boolean> {
  const last = await trx
    .selectFrom('conversation_events')
    .select('type')
    .where('conversation_id', '=', conversationId)
    .where('type', 'in', ['agent.joined', 'agent.left'])
    .where(sql<boolean>`data->>'agentId' = ${userId}`)
    .orderBy('seq', 'desc')
    .executeTakeFirst();
  return last?.type === 'agent.joined';
}
