import { DomainError, type Conversation, type Message } from '@parlour/core';
import type { ApiDelivery, ApiDeliveryQuery, SendApiTemplateBody } from '@parlour/protocol';
import {
  getApiContactOfEndUser,
  getApiDelivery,
  getApiInbox,
  insertApiDelivery,
  listApiDeliveries,
  loadConversationState,
  updateApiDelivery,
  type Db,
  type StoredApiDelivery,
  type StoredApiInbox,
} from '@parlour/storage';
import type { Principal } from '../../principal.js';
import { actorOf } from '../../principal.js';
import type { DurableTimers, TimerRecord } from '../../timers/durable-timers.js';
import type { ServiceContext } from '../context.js';
import type { MessageWriter } from '../message-writer.js';
import type { OutboundChannelHook, OutboundTemplate } from '../outbound-channel.js';
import { maskOutgoing } from '../pci/mask-outgoing.js';
import { webhookRetryDelayMs, webhookUrlProblem } from '../outbound/webhook-service.js';
import { signWebhook } from '../outbound/webhook-signature.js';
import { inboxNotFound } from './api-inbox-service.js';
import { renderTemplate, replyWindowOpen } from './reply-window.js';

export const API_DELIVERY_TIMER = 'api-channel.deliver';
export const apiDeliveryTimerKey = (deliveryId: string) => `api-delivery:${deliveryId}`;
const ERROR_MAX = 500;

export interface ApiOutboundOptions {
  /** How long one request may take (default 10 s). */
  readonly timeoutMs?: number;
  /** Tries before a delivery is dead-lettered (default 6). */
  readonly maxAttempts?: number;
  /** How long a started try holds its timer off; a crash mid-request retries after it (default 60 s). */
  readonly leaseMs?: number;
  /** Requests under way at once per inbox endpoint (default 4); more wait for that endpoint only. */
  readonly perEndpoint?: number;
  readonly fetch?: typeof fetch;
}

type AttemptResult =
  | { readonly ok: true; readonly status: number }
  | {
      readonly ok: false;
      readonly status: number | null;
      readonly error: string;
      readonly permanent?: boolean;
    };

interface Attempt {
  readonly delivery: StoredApiDelivery;
  readonly inbox: StoredApiInbox;
  readonly controller: AbortController;
  readonly done: Promise<void>;
  finish(): void;
}

interface Lane {
  running: number;
  readonly waiting: Attempt[];
}

/**
 * The API channel's way out: staff public messages (agents' replies, templates, trigger and
 * workflow messages) on an API conversation are POSTed to the inbox's webhook, signed with the
 * inbox's secret, at least once.
 *
 * - The writer asks `assertCanSend` inside its transaction: outside the inbox's reply window
 *   (hours after the customer's last message) only a template may go.
 * - `queue` stores the delivery and a durable timer due now in the writer's transaction.
 * - The timer's handler only pushes its timer ahead (a lease: a crash mid-request retries) and
 *   starts the request after commit; each inbox is its own lane with at most `perEndpoint`
 *   requests under way, so a hanging endpoint fills only its own lane and never delays another.
 * - The outcome is recorded in a new transaction: delivered, another try after 10 s, 20 s, 40 s …,
 *   or after `maxAttempts` tries dead-lettered as failed (an admin may retry it).
 */
export class ApiOutbound implements OutboundChannelHook {
  /** Set at wiring time: templates are sent through the writer like any message. */
  messages: MessageWriter | null = null;
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;
  private readonly leaseMs: number;
  private readonly perEndpoint: number;
  private readonly fetch: typeof fetch;
  private readonly inFlight = new Map<string, Attempt>();
  private readonly lanes = new Map<string, Lane>();
  private stopped = false;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly timers: DurableTimers,
    options: ApiOutboundOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.maxAttempts = options.maxAttempts ?? 6;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.perEndpoint = Math.max(1, options.perEndpoint ?? 4);
    this.fetch = options.fetch ?? fetch;
    timers.on(API_DELIVERY_TIMER, (timer, trx) => this.fire(timer, trx));
  }

  /** Refuses free text outside the inbox's reply window (templates always go). */
  async assertCanSend(
    trx: Db,
    conversation: Conversation,
    message: { readonly template: boolean },
    at: Date,
  ): Promise<void> {
    if (conversation.channel !== 'api' || message.template) return;
    const found = await getApiContactOfEndUser(trx, conversation.endUserId);
    if (!found) return;
    const { inbox, contact } = found;
    if (replyWindowOpen(inbox.replyWindowHours, contact.lastInboundAt, at)) return;
    const names = inbox.templates.map((t) => t.name).join(', ') || 'none configured';
    throw new DomainError(
      'api-channel/reply-window-closed',
      `The ${inbox.replyWindowHours}-hour reply window since the customer's last message has closed: ` +
        `only a template may be sent (${names})`,
      'body',
    );
  }

  /** Stores the message's delivery to the inbox's webhook, in the writer's transaction. */
  async queue(
    trx: Db,
    conversation: Conversation,
    message: Message,
    template: OutboundTemplate | null,
    at: Date,
  ): Promise<(() => Promise<void>) | null> {
    if (conversation.channel !== 'api' || message.kind !== 'public') return null;
    if (message.authorType === 'end_user') return null;
    const found = await getApiContactOfEndUser(trx, conversation.endUserId);
    if (!found) return null;
    const id = this.ctx.newId();
    const payload = {
      type: 'message.created',
      inboxId: found.inbox.id,
      conversationId: conversation.id,
      ticketId: message.ticketId,
      contact: { id: found.contact.externalId },
      message: {
        id: message.id,
        text: message.body,
        authorType: message.authorType,
        createdAt: message.createdAt.toISOString(),
      },
      template: template ? { name: template.name, parameters: template.parameters } : null,
    };
    await insertApiDelivery(trx, {
      id,
      inboxId: found.inbox.id,
      conversationId: conversation.id,
      messageId: message.id,
      // PCI DSS: the last check before a payload leaves (guarded at ingress already).
      payload: maskOutgoing(payload),
      at,
    });
    const key = apiDeliveryTimerKey(id);
    await this.timers.schedule(at, API_DELIVERY_TIMER, { deliveryId: id }, { key, db: trx });
    return async () => {
      await this.timers.runKey(key);
    };
  }

  /** An agent sends one of the inbox's templates (allowed outside the reply window). */
  async sendTemplate(principal: Principal, conversationId: string, body: SendApiTemplateBody) {
    const db = this.ctx.database.db;
    const state = await loadConversationState(db, conversationId);
    if (!state)
      throw new DomainError('conversation/not-found', 'No such conversation', 'conversationId');
    const found =
      state.conversation.channel === 'api'
        ? await getApiContactOfEndUser(db, state.conversation.endUserId)
        : null;
    if (!found)
      throw new DomainError(
        'validation/invalid',
        'Templates are sent on API-channel conversations only',
        'conversationId',
      );
    const parameters = body.parameters ?? {};
    const text = renderTemplate(found.inbox.templates, body.name, parameters);
    if (!this.messages) throw new Error('ApiOutbound.messages is not wired');
    const posted = await this.messages.post({
      actor: actorOf(principal),
      conversationId,
      kind: 'public',
      channel: 'api',
      body: text,
      clientMessageId: null,
      template: { name: body.name, parameters },
    });
    return posted.message;
  }

  async list(inboxId: string, query: ApiDeliveryQuery): Promise<ApiDelivery[]> {
    const db = this.ctx.database.db;
    if (!(await getApiInbox(db, inboxId))) throw inboxNotFound();
    const rows = await listApiDeliveries(db, {
      inboxId,
      ...(query.status ? { status: query.status } : {}),
      limit: query.limit ?? 50,
    });
    return rows.map(apiDeliveryDto);
  }

  /** Gives a dead-lettered delivery a fresh round of tries, starting now. */
  async retry(inboxId: string, deliveryId: string): Promise<ApiDelivery> {
    const at = this.ctx.clock.now();
    return this.ctx.database.db.transaction().execute(async (trx) => {
      const delivery = await getApiDelivery(trx, deliveryId, { lock: true });
      if (!delivery || delivery.inboxId !== inboxId)
        throw new DomainError('not-found', 'No such delivery of this inbox', 'deliveryId');
      if (delivery.status !== 'failed')
        throw new DomainError(
          'conflict',
          `Only a failed delivery can be retried (this one is ${delivery.status})`,
          'deliveryId',
        );
      const change = {
        status: 'pending' as const,
        attempts: 0,
        lastStatus: delivery.lastStatus,
        lastError: delivery.lastError,
        at,
      };
      await updateApiDelivery(trx, deliveryId, change);
      await this.timers.schedule(
        at,
        API_DELIVERY_TIMER,
        { deliveryId },
        { key: apiDeliveryTimerKey(deliveryId), db: trx },
      );
      return apiDeliveryDto({ ...delivery, ...change, updatedAt: at });
    });
  }

  /** Resolves when the requests under way (or waiting in a lane) are done and recorded. */
  async settle(): Promise<void> {
    while (this.inFlight.size > 0)
      await Promise.allSettled([...this.inFlight.values()].map((a) => a.done));
  }

  /** Aborts the requests under way; their deliveries stay pending and the lease retries them. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const lane of this.lanes.values()) {
      for (const waiting of lane.waiting.splice(0)) {
        this.inFlight.delete(waiting.delivery.id);
        waiting.finish();
      }
    }
    for (const attempt of this.inFlight.values()) attempt.controller.abort();
    await this.settle();
  }

  private async fire(timer: TimerRecord, trx: Db): Promise<void | (() => void)> {
    const deliveryId = timer.payload.deliveryId;
    if (typeof deliveryId !== 'string') return;
    const delivery = await getApiDelivery(trx, deliveryId, { lock: true });
    if (!delivery || delivery.status !== 'pending') return;
    const inbox = await getApiInbox(trx, delivery.inboxId);
    if (!inbox) return;
    const at = this.ctx.clock.now();
    await this.timers.schedule(
      new Date(at.getTime() + this.leaseMs),
      API_DELIVERY_TIMER,
      { deliveryId },
      { key: apiDeliveryTimerKey(deliveryId), db: trx },
    );
    if (this.inFlight.has(deliveryId) || this.stopped) return;
    return () => this.enter(delivery, inbox);
  }

  /** Puts a try in its inbox's lane: it starts now, or when that lane has room. */
  private enter(delivery: StoredApiDelivery, inbox: StoredApiInbox): void {
    if (this.inFlight.has(delivery.id) || this.stopped) return;
    let finish = () => {};
    const done = new Promise<void>((resolve) => (finish = resolve));
    const attempt: Attempt = { delivery, inbox, controller: new AbortController(), done, finish };
    this.inFlight.set(delivery.id, attempt);
    let lane = this.lanes.get(inbox.id);
    if (!lane) {
      lane = { running: 0, waiting: [] };
      this.lanes.set(inbox.id, lane);
    }
    if (lane.running < this.perEndpoint) this.run(lane, attempt);
    else lane.waiting.push(attempt);
  }

  private run(lane: Lane, attempt: Attempt): void {
    lane.running++;
    const { delivery } = attempt;
    void this.post(attempt)
      .then(async (result) => {
        // Stopping aborted it: not the endpoint's outcome; the lease retries it later.
        if (this.stopped && attempt.controller.signal.aborted) return;
        await this.record(delivery.id, delivery.attempts + 1, result);
      })
      .catch((err: unknown) =>
        this.ctx.logger.error({ err, deliveryId: delivery.id }, 'recording an API delivery failed'),
      )
      .finally(() => {
        this.inFlight.delete(delivery.id);
        lane.running--;
        attempt.finish();
        const next = lane.waiting.shift();
        if (next) this.run(lane, next);
        else if (lane.running === 0) this.lanes.delete(attempt.inbox.id);
      });
  }

  private async post(attempt: Attempt): Promise<AttemptResult> {
    const { delivery, inbox, controller } = attempt;
    const problem = webhookUrlProblem(inbox.webhookUrl);
    if (problem) return { ok: false, status: null, error: problem, permanent: true };
    const body = JSON.stringify(delivery.payload);
    const timestamp = Math.floor(this.ctx.clock.now().getTime() / 1000);
    let timedOut = false;
    const timeout = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.timeoutMs);
    try {
      const response = await this.fetch(inbox.webhookUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Parlour-Api-Channel/1',
          'x-parlour-delivery': delivery.id,
          'x-parlour-timestamp': String(timestamp),
          'x-parlour-signature': signWebhook(inbox.secret, timestamp, body),
        },
        body,
        redirect: 'manual',
        signal: controller.signal,
      });
      await response.body?.cancel().catch(() => undefined);
      if (response.status >= 200 && response.status < 300)
        return { ok: true, status: response.status };
      return { ok: false, status: response.status, error: `HTTP ${response.status}` };
    } catch (err) {
      const error = timedOut
        ? `No answer within ${Math.round(this.timeoutMs / 1000)} s`
        : describeFetchError(err);
      return { ok: false, status: null, error };
    } finally {
      clearTimeout(timeout);
    }
  }

  /** Records a try's outcome, unless the delivery moved on meanwhile (an admin's retry). */
  private async record(deliveryId: string, attempt: number, result: AttemptResult): Promise<void> {
    const at = this.ctx.clock.now();
    await this.ctx.database.db.transaction().execute(async (trx) => {
      // The timer row first, then the delivery: the order a timers batch takes them in.
      await trx
        .selectFrom('timers')
        .select('id')
        .where('key', '=', apiDeliveryTimerKey(deliveryId))
        .forUpdate()
        .execute();
      const delivery = await getApiDelivery(trx, deliveryId, { lock: true });
      if (!delivery || delivery.status !== 'pending' || delivery.attempts !== attempt - 1) return;
      const status = result.ok
        ? 'delivered'
        : result.permanent || attempt >= this.maxAttempts
          ? 'failed'
          : 'pending';
      await updateApiDelivery(trx, deliveryId, {
        status,
        attempts: attempt,
        lastStatus: result.status,
        lastError: result.ok ? null : result.error.slice(0, ERROR_MAX),
        at,
      });
      const key = apiDeliveryTimerKey(deliveryId);
      if (status === 'pending')
        await this.timers.schedule(
          new Date(at.getTime() + webhookRetryDelayMs(attempt)),
          API_DELIVERY_TIMER,
          { deliveryId },
          { key, db: trx },
        );
      else await this.timers.cancel({ key }, trx);
    });
  }
}

function describeFetchError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as { cause?: unknown }).cause;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${cause.message}` : cause.message;
  }
  return err.message;
}

export function apiDeliveryDto(d: StoredApiDelivery): ApiDelivery {
  return {
    id: d.id,
    inboxId: d.inboxId,
    conversationId: d.conversationId,
    messageId: d.messageId,
    payload: d.payload,
    status: d.status,
    attempts: d.attempts,
    lastStatus: d.lastStatus,
    lastError: d.lastError,
    createdAt: d.createdAt.toISOString(),
    updatedAt: d.updatedAt.toISOString(),
  };
}
