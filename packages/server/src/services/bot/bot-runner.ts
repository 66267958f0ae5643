import {
  NEW_BOT_STATE,
  startBot,
  stepBot,
  type BotArticle,
  type BotFlow,
  type BotHandoffPlan,
  type BotReply,
  type BotState,
  type KnownFields,
  type Message,
} from '@parlour/core';
import {
  appendToFeeds,
  customerMessagesAfter,
  findMessagesByClientIds,
  getBotFlow,
  getBotState,
  getEndUser,
  listBotArticles,
  loadConversationState,
  saveBotState,
  setCollectedIdentity,
  type Db,
  type StoredConversationState,
} from '@parlour/storage';
import type { DurableTimers } from '../../timers/durable-timers.js';
import type { ServiceContext } from '../context.js';
import type { ConversationService } from '../conversation-service.js';
import { publishFeed, type FeedSignal } from '../feed-publisher.js';
import { messageEntry } from '../message-writer.js';
import type { ContentGuard } from '../pci/content-guard.js';
import type { TicketWrites } from '../rules/ticket-writes.js';

export const BOT_TIMER = 'bot.answer';
export const botTimerKey = (conversationId: string) => `bot:${conversationId}`;

/** How long this process trusts its knowledge of whether a flow exists (another process may save one). */
const FLOW_CACHE_MS = 5_000;

/**
 * Runs the conversation bot. A customer message in a conversation without a ticket creates the
 * durable timer `bot:<conversationId>` (due now) in the message's own transaction; the timer's
 * handler answers under the conversation's lock, so a crash still answers and two processes never
 * answer the same message twice: the bot's state (which message it answered last) is saved with
 * its replies, and each reply carries the client id `bot:<customerMessageId>`. After commit the
 * writer fires the timer at once instead of waiting for the poller.
 *
 * No saved flow: the bot stays out (integrations hand off through the API themselves).
 */
export class BotRunner {
  private known: { on: boolean; until: number } | null = null;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly timers: DurableTimers,
    private readonly conversations: ConversationService,
    private readonly writes: TicketWrites,
    private readonly guard: ContentGuard | null,
  ) {
    timers.on(BOT_TIMER, async (timer, trx) => {
      const conversationId = timer.payload.conversationId;
      if (typeof conversationId !== 'string') return;
      return this.answer(trx, conversationId);
    });
  }

  /** The flow was saved (in this process): look again. */
  flowChanged(): void {
    this.known = null;
  }

  /**
   * Inside the writer's transaction (which holds the conversations' locks): customer messages
   * arrived in these conversations, none of which has a ticket. Returns what to run after commit.
   */
  async customerWrote(
    trx: Db,
    conversationIds: readonly string[],
  ): Promise<(() => Promise<void>) | null> {
    if (conversationIds.length === 0 || !(await this.isOn(trx))) return null;
    const ids = [...new Set(conversationIds)];
    for (const id of ids) await this.schedule(trx, id);
    return async () => {
      for (const id of ids) await this.runNow(id);
    };
  }

  /** A conversation started: the bot greets (durably, like an answer). */
  async conversationStarted(trx: Db, conversationId: string): Promise<boolean> {
    if (!(await this.isOn(trx))) return false;
    await this.schedule(trx, conversationId);
    return true;
  }

  /** Fires the conversation's bot timer now (the poller would soon). Failures are retried by the timer. */
  async runNow(conversationId: string): Promise<void> {
    try {
      await this.timers.runKey(botTimerKey(conversationId));
    } catch (error) {
      this.ctx.logger.warn({ err: error, conversationId }, 'the bot could not answer yet');
    }
  }

  private async schedule(trx: Db, conversationId: string): Promise<void> {
    await this.timers.scheduleIfAbsent(
      this.ctx.clock.now(),
      BOT_TIMER,
      { conversationId },
      { key: botTimerKey(conversationId), db: trx },
    );
  }

  private async isOn(trx: Db): Promise<boolean> {
    const now = this.ctx.clock.now().getTime();
    if (this.known && this.known.until > now) return this.known.on;
    const on = (await getBotFlow(trx)) !== null;
    this.known = { on, until: now + FLOW_CACHE_MS };
    return on;
  }

  /** The timer's work: greet and answer what the customer wrote since the bot last answered. */
  private async answer(trx: Db, conversationId: string): Promise<() => Promise<void>> {
    const none = async () => {};
    const stored = await getBotFlow(trx);
    if (!stored) return none;
    const flow = stored.flow as unknown as BotFlow;
    const state = await loadConversationState(trx, conversationId, { lock: true });
    if (!state || !botMaySpeak(state)) return none;
    const saved = await getBotState(trx, conversationId);
    let bot: BotState = saved ? (saved.state as unknown as BotState) : NEW_BOT_STATE;
    let handledSeq = saved?.handledSeq ?? 0;
    if (bot.status === 'handed_off') return none;
    const endUser = await getEndUser(trx, state.conversation.endUserId);
    const known: KnownFields = {
      ...(endUser?.name ? { name: endUser.name } : {}),
      ...(endUser?.email ? { email: endUser.email } : {}),
    };
    const pending = await customerMessagesAfter(trx, conversationId, handledSeq);
    const outgoing: { reply: BotReply; clientMessageId: string }[] = [];
    let handoff: BotHandoffPlan | null = null;
    if (pending.length === 0) {
      const greeting = startBot(flow, bot, known);
      greeting.replies.forEach((reply, i) =>
        outgoing.push({ reply, clientMessageId: replyId('greeting', i) }),
      );
      bot = greeting.state;
    } else {
      let articles: BotArticle[] | null = null;
      for (const message of pending) {
        articles ??= await listBotArticles(trx, { activeOnly: true });
        const step = stepBot(flow, articles, bot, message.body, known);
        step.replies.forEach((reply, i) =>
          outgoing.push({ reply, clientMessageId: replyId(message.id, i) }),
        );
        bot = step.state;
        handledSeq = message.seq;
        if (step.handoff) {
          handoff = step.handoff;
          break;
        }
      }
    }
    const signals = await this.writeReplies(trx, state, outgoing);
    await saveBotState(trx, conversationId, { state: bot, handledSeq, at: this.ctx.clock.now() });
    let after = async () => {};
    if (handoff) {
      const done = await this.handOff(trx, state, handoff);
      signals.push(...done.signals);
      after = done.afterCommit;
    }
    return async () => {
      await publishFeed(this.ctx.bus, signals);
      await after();
    };
  }

  /** The bot's messages, on the normal feed path: masked by the PCI guard, numbered, stored once. */
  private async writeReplies(
    trx: Db,
    state: StoredConversationState,
    outgoing: readonly { reply: BotReply; clientMessageId: string }[],
  ): Promise<FeedSignal[]> {
    if (outgoing.length === 0) return [];
    const conversationId = state.conversation.id;
    const earlier = await findMessagesByClientIds(
      trx,
      outgoing.map((o) => ({ conversationId, clientMessageId: o.clientMessageId })),
    );
    const policy = this.guard ? await this.guard.policy(trx) : null;
    const at = this.ctx.clock.now();
    let seq = state.lastSeq;
    const messages: Message[] = [];
    for (const { reply, clientMessageId } of outgoing) {
      if (
        earlier.size > 0 &&
        [...earlier.values()].some((m) => m.clientMessageId === clientMessageId)
      )
        continue;
      // Admin-written text, but still: no card data goes out, even in drop mode (masked instead).
      const body = this.guard && policy ? this.guard.mask(reply.text, policy).text : reply.text;
      messages.push({
        id: this.ctx.newId(),
        conversationId,
        ticketId: null,
        seq: ++seq,
        kind: 'public',
        authorType: 'bot',
        authorId: null,
        channel: 'messaging',
        body,
        clientMessageId,
        createdAt: at,
        ...(reply.quickReplies.length > 0
          ? { quickReplies: reply.quickReplies.map((q) => ({ ...q })) }
          : {}),
      });
    }
    if (messages.length === 0) return [];
    await appendToFeeds(trx, {
      at,
      seqCounts: new Map([[conversationId, messages.length]]),
      messages,
      events: [],
    });
    return messages.map((m) => ({ entry: messageEntry(m), audience: 'all' as const }));
  }

  /**
   * Hands off as the flow says: the collected name and email go onto the end user (a verified
   * identity is never changed), the ticket is created with group, skills, priority, tags and
   * subject, and the other collected fields become an internal note on it.
   */
  private async handOff(trx: Db, state: StoredConversationState, plan: BotHandoffPlan) {
    const at = this.ctx.clock.now();
    const { name, email, ...rest } = plan.collected;
    const onEndUser = await setCollectedIdentity(trx, state.conversation.endUserId, {
      ...(name !== undefined ? { name } : {}),
      ...(email !== undefined ? { email } : {}),
      at,
    });
    // A verified identity stays as the company's JWT says: what the bot heard goes into the note.
    const others: Record<string, string> = onEndUser
      ? rest
      : {
          ...(name !== undefined ? { name } : {}),
          ...(email !== undefined ? { email } : {}),
          ...rest,
        };
    const target = plan.target;
    const done = await this.conversations.handOffInTx(trx, {
      conversationId: state.conversation.id,
      input: {
        groupId: target.groupId,
        ...(target.priority ? { priority: target.priority } : {}),
        ...(target.tags ? { tags: [...target.tags] } : {}),
        ...(target.subject !== undefined ? { subject: target.subject } : {}),
      },
      actor: { type: 'bot' },
      principal: null,
      source: 'contact',
      ...(target.skillIds ? { skillIds: target.skillIds } : {}),
    });
    const signals = [...done.signals];
    const after = [done.afterCommit];
    const lines = Object.entries(others).map(([field, value]) => `${field}: ${value}`);
    if (lines.length > 0) {
      const note = await this.writes.post(trx, {
        conversationId: state.conversation.id,
        kind: 'internal',
        body: `Collected by the bot:\n${lines.join('\n')}`,
        // Internal notes are staff-side: the system writes this one on the bot's behalf.
        actor: { type: 'system', reason: 'conversation bot' },
        at,
      });
      signals.push(...note.signals);
      after.push(note.afterCommit);
    }
    return {
      signals,
      afterCommit: async () => {
        for (const fn of after) await fn();
      },
    };
  }
}

/** The bot speaks only before the handoff, while the chat is live. */
function botMaySpeak(state: StoredConversationState): boolean {
  return (
    state.conversation.state === 'open' &&
    state.conversation.ticketId === null &&
    state.ticket === null &&
    state.conversation.channel === 'messaging' &&
    state.session?.state === 'active'
  );
}

/** `bot:<customerMessageId>` for the first reply to a message, `bot:<id>:2` … for the next. */
function replyId(to: string, index: number): string {
  return index === 0 ? `bot:${to}` : `bot:${to}:${index + 1}`;
}
