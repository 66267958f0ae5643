import {
  DomainError,
  composerOptions,
  endConversationSession,
  handOff,
  type Actor,
  type Conversation,
  type Session,
  type TicketEvent,
} from '@parlour/core';
import type { Conversation as ConversationDto, FeedEntry, HandoffBody } from '@parlour/protocol';
import {
  getGroup,
  insertConversation,
  insertTicket,
  insertTicketEvents,
  listConversationsOfEndUser,
  loadConversationState,
  readFeed,
  saveConversation,
  saveSession,
  setRequiredSkills,
  type Db,
  type StoredConversationState,
} from '@parlour/storage';
import type { Principal } from '../principal.js';
import { actorOf } from '../principal.js';
import type { ServiceContext } from './context.js';
import type { RoutingHooks } from './routing-hooks.js';
import type { TicketWrites } from './rules/ticket-writes.js';
import { appendFeedEvents } from './conversation-feed.js';
import { conversationDto, feedEntryOf, ticketDto } from './dto.js';
import { publishFeed } from './feed-publisher.js';
import type { MessageWriter, PostedMessage } from './message-writer.js';
import { ticketEventDto } from './message-writer.js';
import { assertNoSensitiveTags, guardField, type ContentGuard } from './pci/content-guard.js';

/** Use cases of a conversation: start, hand off to people, end the session, read the feed. */
export class ConversationService {
  /** Set at wiring time (routing is built after this service). */
  routing: RoutingHooks | null = null;
  /** Keeps card data out of a new ticket's fields (PCI DSS); set at wiring time. */
  guard: ContentGuard | null = null;
  /** The conversation bot: greets a new conversation (set at wiring time; null: no bot). */
  bot: {
    conversationStarted(trx: Db, conversationId: string): Promise<boolean>;
    runNow(conversationId: string): Promise<void>;
  } | null = null;

  /** Records wrap-up reasons when an agent ends the chat (set at wiring time). */
  wrapUp:
    | ((
        trx: Db,
        input: { ticketId: string; reasonIds: readonly string[]; actor: Actor; at: Date },
      ) => Promise<unknown>)
    | null = null;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly writer: MessageWriter,
    private readonly writes: TicketWrites,
  ) {}

  /** An end user opens a messaging conversation (with its one session), optionally with a first message. */
  async start(endUserId: string, first?: { body: string; clientMessageId: string | null }) {
    const { database, clock, newId } = this.ctx;
    const at = clock.now();
    const conversation: Conversation = {
      id: newId(),
      endUserId,
      channel: 'messaging',
      state: 'open',
      ticketId: null,
      createdAt: at,
      closedAt: null,
    };
    const session: Session = {
      id: newId(),
      conversationId: conversation.id,
      state: 'active',
      endReason: null,
      startedAt: at,
      endedAt: null,
    };
    const bot = this.bot;
    const greets = await database.db.transaction().execute(async (trx) => {
      await insertConversation(trx, conversation, session, at);
      return bot ? bot.conversationStarted(trx, conversation.id) : false;
    });
    // The bot greets first; a first message is then answered like any other.
    if (greets) await bot?.runNow(conversation.id);
    let posted: PostedMessage | null = null;
    if (first) {
      posted = await this.writer.post({
        actor: { type: 'end_user', id: endUserId },
        conversationId: conversation.id,
        kind: 'public',
        body: first.body,
        clientMessageId: first.clientMessageId,
      });
    }
    const lastSeq = greets
      ? ((await loadConversationState(database.db, conversation.id))?.lastSeq ?? 0)
      : posted
        ? posted.message.seq
        : 0;
    return {
      conversation: conversationDto(conversation, session, lastSeq),
      message: posted?.message ?? null,
    };
  }

  /**
   * The widget writes to "my conversation": the end user's open conversation whose session is
   * still active, or a new one (after an agent ended the session, the next message starts over).
   */
  async postFromWidget(
    endUserId: string,
    body: string,
    clientMessageId: string | null,
    attachmentIds?: readonly string[],
  ) {
    const recent = await listConversationsOfEndUser(this.ctx.database.db, endUserId, 5);
    for (const { conversation } of recent) {
      if (conversation.state !== 'open') continue;
      const state = await loadConversationState(this.ctx.database.db, conversation.id);
      if (state?.session?.state === 'active') {
        const posted = await this.writer.post({
          actor: { type: 'end_user', id: endUserId },
          conversationId: conversation.id,
          kind: 'public',
          body,
          clientMessageId,
          attachmentIds,
        });
        return { conversationId: conversation.id, started: false, ...posted };
      }
    }
    // Files are uploaded to a conversation: none can belong to one not started yet.
    if (attachmentIds?.length) throw noSuchAttachments();
    const started = await this.start(endUserId, { body, clientMessageId });
    if (!started.message) throw new Error('the first message was not stored');
    return {
      conversationId: started.conversation.id,
      started: true,
      message: started.message,
      duplicate: false,
    };
  }

  async get(principal: Principal, conversationId: string): Promise<ConversationDto> {
    const state = await this.visibleState(principal, conversationId);
    const dto = conversationDto(state.conversation, state.session, state.lastSeq);
    return principal.kind === 'user' ? { ...dto, composer: composerDto(state) } : dto;
  }

  async listMine(endUserId: string): Promise<ConversationDto[]> {
    const db = this.ctx.database.db;
    const rows = await listConversationsOfEndUser(db, endUserId, 50);
    const out: ConversationDto[] = [];
    for (const row of rows) {
      const state = await loadConversationState(db, row.conversation.id);
      if (state) out.push(conversationDto(state.conversation, state.session, state.lastSeq));
    }
    return out;
  }

  /** Everything after `afterSeq` that this principal may see, in order. */
  async feed(
    principal: Principal,
    conversationId: string,
    afterSeq: number,
    limit = 500,
  ): Promise<FeedEntry[]> {
    assertFeedPosition(afterSeq, 'after');
    await this.visibleState(principal, conversationId);
    const items = await readFeed(
      this.ctx.database.db,
      conversationId,
      afterSeq,
      principal.kind === 'user' ? 'staff' : 'all',
      limit,
    );
    return items.map((item) => feedEntryOf(conversationId, item));
  }

  /** PCI DSS: no card data in the new ticket's subject or tags. (With `db`: inside a transaction.) */
  private async guardHandoff(input: HandoffBody, db?: Db) {
    if (!this.guard) return { subject: input.subject ?? null, redacted: null };
    const policy = await this.guard.policy(db);
    assertNoSensitiveTags(this.guard, policy, input.tags, 'tags');
    if (!input.subject) return { subject: input.subject ?? null, redacted: null };
    const guarded = guardField(this.guard, policy, input.subject, 'subject', 'ticket_field');
    return { subject: guarded.value, redacted: guarded.event };
  }

  /** The bot (or the customer asking for a person, or an integration) hands the conversation to people. */
  async handOff(principal: Principal, conversationId: string, input: HandoffBody) {
    const actor: Actor = principal.kind === 'end_user' ? { type: 'bot' } : actorOf(principal);
    const { result, signals, afterCommit } = await this.ctx.database.db
      .transaction()
      .execute(async (trx) =>
        this.handOffInTx(trx, {
          conversationId,
          input,
          actor,
          principal,
          source: principal.kind === 'end_user' ? 'contact' : 'agent',
        }),
      );
    await publishFeed(this.ctx.bus, signals);
    await afterCommit?.();
    return result;
  }

  /**
   * The handoff inside the caller's transaction (the bot's, from its timer): locks the
   * conversation, creates the ticket (with required skills when given), runs the rules. The
   * caller publishes the signals after commit, then runs afterCommit.
   */
  async handOffInTx(
    trx: Db,
    request: {
      conversationId: string;
      input: HandoffBody;
      actor: Actor;
      /** Who asked, when a person or an end user did (null: the bot on its own). */
      principal: Principal | null;
      source: 'contact' | 'agent';
      skillIds?: readonly string[];
    },
  ) {
    const { clock, newId } = this.ctx;
    const { conversationId, input, actor, principal } = request;
    const at = clock.now();
    const { subject, redacted } = await this.guardHandoff(input, trx);
    const state = await loadConversationState(trx, conversationId, { lock: true });
    if (principal) assertVisible(principal, state);
    else if (!state)
      throw new DomainError('conversation/not-found', 'No such conversation', 'conversationId');
    if (input.groupId && !(await getGroup(trx, input.groupId))) {
      throw new DomainError('not-found', 'No such group', 'groupId');
    }
    const handoff = handOff(
      state,
      {
        ticketId: newId(),
        groupId: input.groupId ?? null,
        ...(input.priority ? { priority: input.priority } : {}),
        tags: input.tags ?? [],
        subject,
      },
      actor,
      at,
    );
    const ticket = await insertTicket(trx, handoff.ticket);
    await saveConversation(trx, handoff.conversation, at);
    const skills = [...new Set(request.skillIds ?? [])].sort();
    const changes: TicketEvent[] = [...handoff.events];
    if (skills.length > 0) {
      await setRequiredSkills(trx, ticket.id, skills);
      changes.push({ type: 'ticket.skills_changed', from: [], to: skills, actor, at });
    }
    await insertTicketEvents(trx, ticket.id, [
      ...changes,
      ...(redacted ? [{ ...redacted, actor, at }] : []),
    ]);
    const signals = await appendFeedEvents(
      trx,
      conversationId,
      state.lastSeq,
      [
        {
          event: {
            type: 'conversation.handed_off',
            ticketId: ticket.id,
            groupId: ticket.groupId,
          },
          audience: 'all',
        },
        {
          event: {
            type: 'ticket.updated',
            ticket: ticketDto(ticket),
            changes: changes.map((e, i) => ticketEventDto(ticket.id, e, i)),
          },
          audience: 'staff',
        },
      ],
      at,
    );
    const routed = this.routing
      ? await this.routing.ticketHandedOff(trx, ticket.id, at)
      : async () => {};
    // A ticket was created: the triggers run (and workflows on "conversation opened" start).
    const rules = await this.writes.afterUpdate(trx, {
      conversation: handoff.conversation,
      before: null,
      beforeSession: state.session,
      ticket,
      session: state.session,
      requesterEmail: state.requesterEmail,
      lastSeq: state.lastSeq + signals.length,
      comment: null,
      at,
      source: request.source,
    });
    const afterCommit = async () => {
      await routed();
      for (const fn of rules.afterCommit) await fn();
    };
    return {
      result: ticketDto(rules.ticket),
      signals: [...signals, ...rules.signals],
      afterCommit,
    };
  }

  /** Ends the messaging session: by the agent (if allowed) or because the customer left. */
  async endSession(
    principal: Principal,
    conversationId: string,
    reason: 'ended_by_agent' | 'customer_left',
    wrapUpReasonIds?: readonly string[],
  ) {
    const { database, clock } = this.ctx;
    const at = clock.now();
    const actor = actorOf(principal);
    if (principal.kind === 'end_user' && reason !== 'customer_left') {
      throw new DomainError('auth/forbidden', 'A customer can only leave the chat', 'reason');
    }
    const { dto, signals, afterCommit } = await database.db.transaction().execute(async (trx) => {
      const state = await loadConversationState(trx, conversationId, { lock: true });
      assertVisible(principal, state);
      const ending = endConversationSession(state, reason, actor, at);
      await saveSession(trx, ending.session);
      if (ending.conversation !== state.conversation)
        await saveConversation(trx, ending.conversation, at);
      if (state.ticket) await insertTicketEvents(trx, state.ticket.id, ending.events);
      const feed: Parameters<typeof appendFeedEvents>[3][number][] = [
        { event: { type: 'session.ended', reason }, audience: 'all' },
      ];
      if (ending.conversation.state === 'closed')
        feed.push({ event: { type: 'conversation.closed' }, audience: 'all' });
      const signals = await appendFeedEvents(trx, conversationId, state.lastSeq, feed, at);
      let lastSeq = state.lastSeq + feed.length;
      const after: (() => Promise<void>)[] = [];
      if (state.ticket) {
        // The session end reason changed: triggers such as "end reason changed to Ended by agent" run.
        const rules = await this.writes.afterUpdate(trx, {
          conversation: ending.conversation,
          before: state.ticket,
          beforeSession: state.session,
          ticket: state.ticket,
          session: ending.session,
          requesterEmail: state.requesterEmail,
          lastSeq,
          comment: null,
          at,
        });
        signals.push(...rules.signals);
        lastSeq = rules.lastSeq;
        after.push(...rules.afterCommit);
        if (wrapUpReasonIds && wrapUpReasonIds.length > 0 && principal.kind === 'user') {
          await this.wrapUp?.(trx, {
            ticketId: state.ticket.id,
            reasonIds: wrapUpReasonIds,
            actor,
            at,
          });
        }
        if (this.routing) after.push(await this.routing.sessionEnded(trx, state.ticket.id, at));
      }
      const afterCommit = async () => {
        for (const fn of after) await fn();
      };
      const ended = conversationDto(ending.conversation, ending.session, lastSeq);
      return {
        dto:
          principal.kind === 'user'
            ? {
                ...ended,
                composer: composerDto({
                  conversation: ending.conversation,
                  session: ending.session,
                  ticket: null,
                  requesterEmail: state.requesterEmail,
                }),
              }
            : ended,
        signals,
        afterCommit,
      };
    });
    await publishFeed(this.ctx.bus, signals);
    await afterCommit?.();
    this.routing?.kick();
    return dto;
  }

  private async visibleState(
    principal: Principal,
    conversationId: string,
  ): Promise<StoredConversationState> {
    const state = await loadConversationState(this.ctx.database.db, conversationId);
    assertVisible(principal, state);
    return state;
  }
}

function composerDto(state: Parameters<typeof composerOptions>[0]) {
  const options = composerOptions(state);
  return { available: [...options.available], default: options.default };
}

function noSuchAttachments(): DomainError {
  return new DomainError(
    'attachment/not-found',
    'These attachments belong to a conversation whose chat has ended: upload them again',
    'attachmentIds',
  );
}

/** Sequence numbers are stored as 32-bit integers: a larger position names no point in any feed. */
export const MAX_SEQ = 2_147_483_647;

export function assertFeedPosition(afterSeq: number, field: string): void {
  if (afterSeq > MAX_SEQ)
    throw new DomainError('validation/invalid', `${field} is at most ${MAX_SEQ}`, field);
}

/**
 * Staff see every conversation; an end user sees only their own. A conversation someone may not
 * see answers "not found", so ids cannot be probed.
 */
export function assertVisible(
  principal: Principal,
  state: StoredConversationState | null,
): asserts state is StoredConversationState {
  if (!state || (principal.kind === 'end_user' && state.conversation.endUserId !== principal.id)) {
    throw new DomainError('conversation/not-found', 'No such conversation', 'conversationId');
  }
}
