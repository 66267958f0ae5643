import {
  DomainError,
  actorId,
  decideMessage,
  isDomainError,
  type Actor,
  type Channel,
  type Message,
  type MessageKind,
  type TicketEvent,
} from '@parlour/core';
import type { Attachment, FeedEntry } from '@parlour/protocol';
import {
  clientKey,
  findMessagesByClientIds,
  appendToFeeds,
  insertTicketEvents,
  loadConversationStates,
  markReplies,
  saveTicket,
  type Db,
  type StoredConversationState,
  type StoredTicket,
} from '@parlour/storage';
import type { ServiceContext } from './context.js';
import { historyDto, messageWithAttachmentsDto, ticketDto } from './dto.js';
import { storedFeedEvents } from './conversation-feed.js';
import { publishFeed, type FeedSignal } from './feed-publisher.js';
import { SerialBatcher } from './serial-batcher.js';
import type { OutboundChannelHook, OutboundTemplate } from './outbound-channel.js';
import { emailSubject } from './email/email-subject.js';
import { isEmailAddress, type EmailOutbox } from './outbound/email-outbox.js';
import type { TicketWrites } from './rules/ticket-writes.js';
import { AttachmentLinks } from './attachments/attachment-links.js';
import {
  droppedError,
  redactionEvent,
  type ContentGuard,
  type GuardOutcome,
} from './pci/content-guard.js';

export interface PostMessage {
  readonly actor: Actor;
  readonly conversationId: string;
  readonly kind: MessageKind;
  readonly channel?: Channel | undefined;
  readonly body: string;
  readonly clientMessageId: string | null;
  /** Files uploaded to the conversation earlier, sent with this message. */
  readonly attachmentIds?: readonly string[] | undefined;
  /** The API channel's template this text was rendered from (allowed outside the reply window). */
  readonly template?: OutboundTemplate | undefined;
}

/** Told, inside the writer's transaction, of customer messages in conversations without a ticket (the bot). */
export interface CustomerMessageHook {
  customerWrote(trx: Db, conversationIds: readonly string[]): Promise<(() => Promise<void>) | null>;
}

/** A message after the PCI guard: its body masked, or marked to be dropped. */
interface GuardedMessage extends PostMessage {
  readonly guard: GuardOutcome;
}

export interface PostedMessage {
  readonly message: Message;
  /** True when this client message id was already stored: the earlier message is returned. */
  readonly duplicate: boolean;
}

interface Working {
  state: StoredConversationState;
  lastSeq: number;
  ticket: StoredTicket | null;
  ticketVersionRead: number | null;
  ticketEvents: TicketEvent[];
}

/**
 * Writes messages: authorizes, lets the core decide, stores message, ticket change and feed events
 * in one transaction, then publishes. Concurrent messages are written in batches (group commit).
 */
export class MessageWriter {
  /**
   * Lanes write in parallel on separate connections; a conversation always uses the same lane, so
   * its messages keep their order and two lanes never lock the same conversation. PGlite has one
   * connection, so one lane.
   */
  private readonly lanes: SerialBatcher<GuardedMessage, PostedMessage>[];
  /** Runs the rules after each message that belongs to a ticket. */
  private readonly writes: TicketWrites | null;
  /** Keeps card data out (PCI DSS); null only in the benchmark's baseline. */
  private readonly guard: ContentGuard | null;
  /** The conversation bot, answering customers before the handoff (set at wiring time). */
  bot: CustomerMessageHook | null = null;
  /** The API channel: reply window and webhook delivery (set at wiring time). */
  outbound: OutboundChannelHook | null = null;
  /** Where staff replies on the email channel are queued, in the message's transaction (set at wiring time). */
  outbox: EmailOutbox | null = null;

  constructor(
    private readonly ctx: ServiceContext,
    options: { writeLanes?: number; writes?: TicketWrites; guard?: ContentGuard | null } = {},
  ) {
    this.writes = options.writes ?? null;
    this.guard = options.guard ?? null;
    const count = ctx.database.kind === 'postgres' ? Math.max(1, options.writeLanes ?? 1) : 1;
    this.lanes = Array.from(
      { length: count },
      () => new SerialBatcher((batch) => this.writeBatch(batch)),
    );
  }

  async post(request: PostMessage): Promise<PostedMessage> {
    // Card data is masked (or the message marked as dropped) before anything else sees the body.
    const guard: GuardOutcome = this.guard
      ? this.guard.inspect(request.body, await this.guard.policy())
      : { action: 'clean', text: request.body };
    const guarded: GuardedMessage = { ...request, body: guard.text, guard };
    return this.lanes[laneOf(request.conversationId, this.lanes.length)]!.submit(guarded);
  }

  idle(): Promise<void> {
    return Promise.all(this.lanes.map((lane) => lane.idle())).then(() => undefined);
  }

  private async writeBatch(
    batch: readonly GuardedMessage[],
  ): Promise<readonly (PostedMessage | Error)[]> {
    try {
      return await this.writeTogether(batch);
    } catch (error) {
      if (batch.length === 1) throw error;
      // One unexpected failure must not fail the others: write each on its own.
      const results: (PostedMessage | Error)[] = [];
      for (const request of batch) {
        try {
          const [result] = await this.writeTogether([request]);
          results.push(result ?? new Error('no result'));
        } catch (single) {
          results.push(single instanceof Error ? single : new Error(String(single)));
        }
      }
      return results;
    }
  }

  private async writeTogether(
    batch: readonly GuardedMessage[],
  ): Promise<(PostedMessage | Error)[]> {
    const { database, clock } = this.ctx;
    const at = clock.now();
    const signals: FeedSignal[] = [];
    const afterCommit: (() => Promise<void>)[] = [];
    const results = await database.db
      .transaction()
      .execute((trx) => this.writeInTx(trx, batch, at, signals, afterCommit));
    await publishFeed(this.ctx.bus, signals).catch((error: unknown) =>
      this.ctx.logger.warn(
        { err: error },
        'publishing to the bus failed; clients will catch up from the database',
      ),
    );
    for (const fn of afterCommit) {
      await fn().catch((error: unknown) =>
        this.ctx.logger.warn({ err: error }, 'a step after a message commit failed'),
      );
    }
    return results;
  }

  /**
   * One message inside the caller's transaction (a new email's ticket and its first message are
   * stored together): refused messages throw, so the caller's transaction rolls back. The caller
   * publishes the signals after commit, then runs afterCommit.
   */
  async postInTx(
    trx: Db,
    request: PostMessage,
  ): Promise<{
    posted: PostedMessage;
    signals: FeedSignal[];
    afterCommit: () => Promise<void>;
  }> {
    const guard: GuardOutcome = this.guard
      ? this.guard.inspect(request.body, await this.guard.policy(trx))
      : { action: 'clean', text: request.body };
    const signals: FeedSignal[] = [];
    const after: (() => Promise<void>)[] = [];
    const [result] = await this.writeInTx(
      trx,
      [{ ...request, body: guard.text, guard }],
      this.ctx.clock.now(),
      signals,
      after,
    );
    if (!result) throw new Error('the message writer returned no result');
    if (result instanceof Error) throw result;
    return {
      posted: result,
      signals,
      afterCommit: async () => {
        for (const fn of after) {
          await fn().catch((error: unknown) =>
            this.ctx.logger.warn({ err: error }, 'a step after a message commit failed'),
          );
        }
      },
    };
  }

  private async writeInTx(
    trx: Db,
    batch: readonly GuardedMessage[],
    at: Date,
    signals: FeedSignal[],
    afterCommit: (() => Promise<void>)[],
  ): Promise<(PostedMessage | Error)[]> {
    const { newId } = this.ctx;
    const states = await loadConversationStates(
      trx,
      batch.map((r) => r.conversationId),
      { lock: true },
    );
    const stored = await findMessagesByClientIds(
      trx,
      batch.flatMap((r) =>
        r.clientMessageId
          ? [{ conversationId: r.conversationId, clientMessageId: r.clientMessageId }]
          : [],
      ),
    );
    const links = await AttachmentLinks.load(trx, batch);
    const working = new Map<string, Working>();
    for (const [id, state] of states) {
      working.set(id, {
        state,
        lastSeq: state.lastSeq,
        ticket: state.ticket,
        ticketVersionRead: state.ticket?.version ?? null,
        ticketEvents: [],
      });
    }
    const messages: Message[] = [];
    const redactions: { ticketId: string; event: TicketEvent }[] = [];
    const updates: { message: Message; before: StoredTicket; changed: boolean }[] = [];
    const outgoing: { message: Message; template: OutboundTemplate | null }[] = [];
    const out: (PostedMessage | Error)[] = [];
    for (const request of batch) {
      const w = working.get(request.conversationId);
      if (
        !w ||
        (request.actor.type === 'end_user' && w.state.conversation.endUserId !== request.actor.id)
      ) {
        out.push(
          new DomainError('conversation/not-found', 'No such conversation', 'conversationId'),
        );
        continue;
      }
      const key = request.clientMessageId
        ? clientKey(request.conversationId, request.clientMessageId)
        : null;
      const earlier = key ? stored.get(key) : undefined;
      if (earlier) {
        out.push({ message: earlier, duplicate: true });
        continue;
      }
      try {
        if (this.outbound && request.kind === 'public' && request.actor.type !== 'end_user')
          await this.outbound.assertCanSend(
            trx,
            w.state.conversation,
            { template: request.template !== undefined },
            at,
          );
        const decision = decideMessage(
          { ...w.state, ticket: w.ticket },
          {
            kind: request.kind,
            // A dropped message's body is gone; the core still decides whether it could be posted.
            body: request.guard.action === 'dropped' ? '[removed]' : request.body,
            ...(request.channel ? { channel: request.channel } : {}),
            attachments: request.attachmentIds?.length ?? 0,
          },
          request.actor,
          at,
        );
        const attached = links.claim(request);
        if (request.guard.action !== 'clean') {
          // What was kept out, for staff: counts per kind, never the data.
          const data = redactionEvent(
            decision.kind === 'internal' ? 'internal_note' : sourceOf(request),
            request.guard,
          );
          if (w.ticket)
            redactions.push({
              ticketId: w.ticket.id,
              event: { ...data, actor: request.actor, at },
            });
          signals.push({
            entry: {
              conversationId: request.conversationId,
              seq: ++w.lastSeq,
              at: at.toISOString(),
              event: { ...data, counts: { ...data.counts }, authorType: request.actor.type },
            },
            audience: 'staff',
          });
          if (request.guard.action === 'dropped') {
            out.push(droppedError(request.guard.counts));
            continue;
          }
        }
        const message: Message = {
          id: newId(),
          conversationId: request.conversationId,
          ticketId: w.ticket?.id ?? null,
          seq: ++w.lastSeq,
          kind: decision.kind,
          authorType: request.actor.type,
          authorId: actorId(request.actor),
          channel: decision.channel,
          body: decision.body,
          clientMessageId: request.clientMessageId,
          createdAt: at,
        };
        messages.push(message);
        if (this.outbound && message.channel === 'api')
          outgoing.push({ message, template: request.template ?? null });
        if (w.ticket) {
          updates.push({ message, before: w.ticket, changed: decision.ticketChange !== null });
        }
        if (key) stored.set(key, message);
        signals.push({
          entry: messageEntry(message, links.link(message.id, attached)),
          audience: message.kind === 'public' ? 'all' : 'staff',
        });
        if (decision.ticketChange && w.ticket) {
          w.ticket = { ...decision.ticketChange.ticket, number: w.ticket.number };
          w.ticketEvents.push(...decision.ticketChange.events);
          signals.push({
            entry: {
              conversationId: request.conversationId,
              seq: ++w.lastSeq,
              at: at.toISOString(),
              event: {
                type: 'ticket.updated',
                ticket: ticketDto(w.ticket),
                changes: decision.ticketChange.events.map((e, i) =>
                  ticketEventDto(w.ticket!.id, e, i),
                ),
              },
            },
            audience: 'staff',
          });
        }
        out.push({ message, duplicate: false });
      } catch (error) {
        if (!isDomainError(error)) throw error;
        out.push(error);
      }
    }

    const counts = new Map<string, number>();
    for (const [id, w] of working)
      if (w.lastSeq > w.state.lastSeq) counts.set(id, w.lastSeq - w.state.lastSeq);
    for (const w of working.values()) {
      if (w.ticket && w.ticketVersionRead !== null && w.ticket.version !== w.ticketVersionRead) {
        await saveTicket(trx, w.ticket, w.ticketVersionRead);
        await insertTicketEvents(trx, w.ticket.id, w.ticketEvents);
      }
    }
    await appendToFeeds(trx, {
      at,
      seqCounts: counts,
      messages,
      events: storedFeedEvents(signals, at),
    });
    await links.save(trx);
    for (const { message, template } of outgoing) {
      const w = working.get(message.conversationId)!;
      const deliver = await this.outbound?.queue(trx, w.state.conversation, message, template, at);
      if (deliver) afterCommit.push(deliver);
    }
    for (const r of redactions) await insertTicketEvents(trx, r.ticketId, [r.event]);
    // A public reply by email goes out through the outbox: sent if and only if this commits.
    for (const m of messages) {
      if (!this.outbox || m.kind !== 'public' || m.channel !== 'email') continue;
      if (m.authorType === 'end_user') continue;
      const w = working.get(m.conversationId);
      const to = w?.state.requesterEmail;
      if (!w || !to || !isEmailAddress(to)) continue;
      await this.outbox.enqueue(trx, {
        ticketId: m.ticketId,
        to,
        subject: emailSubject(w.ticket),
        text: m.body,
        kind: 'reply',
        at,
      });
    }
    // Before the handoff the bot answers: its durable timer is created with the message.
    const toBot = messages
      .filter((m) => m.authorType === 'end_user' && m.kind === 'public' && m.ticketId === null)
      .map((m) => m.conversationId);
    if (this.bot && toBot.length > 0) {
      const answer = await this.bot.customerWrote(trx, toBot);
      if (answer) afterCommit.push(answer);
    }
    // Who wrote last (time-based rules), and the agent's first answer (seed 003).
    const ticketsOf = (authorType: Message['authorType']) => [
      ...new Set(
        messages
          .filter((m) => m.authorType === authorType && m.kind === 'public' && m.ticketId)
          .map((m) => m.ticketId!),
      ),
    ];
    await markReplies(trx, at, ticketsOf('user'), ticketsOf('end_user'));
    // Each message is a ticket update: the rules run after it, in order.
    if (this.writes) {
      for (const update of updates) {
        const w = working.get(update.message.conversationId);
        if (!w?.ticket) continue;
        const outcome = await this.writes.afterUpdate(trx, {
          conversation: w.state.conversation,
          before: update.before,
          beforeSession: w.state.session,
          ticket: w.ticket,
          session: w.state.session,
          requesterEmail: w.state.requesterEmail,
          lastSeq: w.lastSeq,
          comment: {
            kind: update.message.kind,
            text: update.message.body,
            authorType: update.message.authorType,
          },
          at,
          ...(update.changed ? { routingBefore: update.before } : {}),
        });
        w.ticket = outcome.ticket;
        w.lastSeq = outcome.lastSeq;
        signals.push(...outcome.signals);
        afterCommit.push(...outcome.afterCommit);
      }
    }
    return out;
  }
}

function sourceOf(request: PostMessage): 'message' | 'email' | 'api' {
  return request.channel === 'email' || request.channel === 'api' ? request.channel : 'message';
}

function laneOf(conversationId: string, lanes: number): number {
  if (lanes === 1) return 0;
  // The last hex digits of a UUIDv7 are random.
  return parseInt(conversationId.slice(-4), 16) % lanes;
}

export function messageEntry(message: Message, attachments: readonly Attachment[] = []): FeedEntry {
  return {
    conversationId: message.conversationId,
    seq: message.seq,
    at: message.createdAt.toISOString(),
    event: { type: 'message.created', message: messageWithAttachmentsDto(message, attachments) },
  };
}

/** A change event as the wire's history line (ids of live events are provisional). */
export function ticketEventDto(ticketId: string, event: TicketEvent, index: number) {
  const { type, actor, at, ...data } = event;
  return historyDto({
    id: `live-${at.getTime()}-${index}`,
    ticketId,
    type,
    actorType: actor.type,
    actorId: actorId(actor),
    data,
    at,
  });
}
