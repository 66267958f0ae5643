import { DomainError, type Actor, type TicketEvent } from '@parlour/core';
import type { WebhookDelivery, WebhookDeliveryQuery } from '@parlour/protocol';
import {
  getTicket,
  getWebhookDelivery,
  insertTicketEvents,
  insertWebhookDelivery,
  listWebhookDeliveries,
  loadConversationState,
  updateWebhookDelivery,
  type Db,
  type StoredWebhookDelivery,
  type WebhookRuleType,
} from '@parlour/storage';
import type { DurableTimers, TimerRecord } from '../../timers/durable-timers.js';
import type { ServiceContext } from '../context.js';
import type { SettingsService } from '../settings-service.js';
import { signWebhook } from './webhook-signature.js';
import { maskOutgoing } from '../pci/mask-outgoing.js';

export const WEBHOOK_TIMER = 'webhook.deliver';
const timerKey = (deliveryId: string) => `webhook:${deliveryId}`;
const SYSTEM: Actor = { type: 'system', reason: 'webhook' };
const ERROR_MAX = 500;
const URL_MAX = 2_000;

export interface WebhookEnqueueInput {
  readonly ticketId: string | null;
  readonly url: string;
  /** Sent as the JSON body, exactly. */
  readonly payload: unknown;
  readonly ruleType: WebhookRuleType;
  readonly ruleId: string;
  readonly ruleName: string;
  readonly at: Date;
}

export interface WebhookServiceOptions {
  /** How long one request may take (default 10 s). */
  readonly timeoutMs?: number;
  /** Tries before a delivery is dead-lettered as failed (default 6). */
  readonly maxAttempts?: number;
  /** How long a started try holds its timer off; a crash mid-request retries after it (default 60 s). */
  readonly leaseMs?: number;
  readonly fetch?: typeof fetch;
}

/** The wait after the n-th failed try: 10 s, 20 s, 40 s … capped at one hour. */
export function webhookRetryDelayMs(failures: number): number {
  const exponent = Math.max(0, failures - 1);
  return Math.min(10_000 * 2 ** Math.min(exponent, 20), 60 * 60_000);
}

/** Why a URL cannot take webhooks, or null when it can (rules check this when saved). */
export function webhookUrlProblem(url: string): string | null {
  if (url.length > URL_MAX) return `A webhook URL is at most ${URL_MAX} characters`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'A webhook URL must be an absolute http:// or https:// URL';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    return 'A webhook URL must be an absolute http:// or https:// URL';
  return null;
}

interface Attempt {
  readonly deliveryId: string;
  readonly controller: AbortController;
  promise: Promise<void>;
}

type AttemptResult =
  | { readonly ok: true; readonly status: number }
  | {
      readonly ok: false;
      readonly status: number | null;
      readonly error: string;
      readonly permanent?: boolean;
    };

/**
 * Webhook calls of rules, delivered at least once, signed, retried with backoff, outcome recorded.
 *
 * - `enqueue` stores the delivery and a durable timer due at once, in the caller's transaction:
 *   the ticket update that caused it never waits for, or fails because of, the endpoint.
 * - The timer's handler holds no transaction over the network: inside its transaction it only
 *   pushes the same timer a minute ahead (a lease — if the process dies mid-request, the timer
 *   fires again) and returns an after-commit callback that starts the request without awaiting
 *   it. So one slow endpoint never delays another delivery, nor the other timers of its batch.
 * - When the request ends, a new transaction records the outcome: delivered (the lease is
 *   cancelled), or another try after 10 s, 20 s, 40 s …, or after `maxAttempts` tries the
 *   delivery is dead-lettered as failed (an admin may retry it). Each outcome is a ticket event
 *   (`webhook.delivered`, `webhook.retrying`, `webhook.failed`), written under the conversation's
 *   lock like every other ticket write.
 */
export class WebhookService {
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;
  private readonly leaseMs: number;
  private readonly fetch: typeof fetch;
  private readonly inFlight = new Map<string, Attempt>();
  private stopped = false;
  private secret: string | null = null;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly timers: DurableTimers,
    private readonly settings: SettingsService,
    options: WebhookServiceOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.maxAttempts = options.maxAttempts ?? 6;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.fetch = options.fetch ?? fetch;
    timers.on(WEBHOOK_TIMER, (timer, trx) => this.fire(timer, trx));
  }

  /** Stores a delivery and its timer in the caller's transaction; returns the delivery's id. */
  async enqueue(trx: Db, input: WebhookEnqueueInput): Promise<string> {
    const id = this.ctx.newId();
    await insertWebhookDelivery(trx, {
      id,
      ticketId: input.ticketId,
      url: input.url,
      // PCI DSS: the last check before a payload leaves (guarded at ingress already).
      payload: input.payload === undefined ? null : maskOutgoing(input.payload),
      ruleType: input.ruleType,
      ruleId: input.ruleId,
      ruleName: input.ruleName,
      createdAt: input.at,
    });
    await this.timers.schedule(
      input.at,
      WEBHOOK_TIMER,
      { deliveryId: id },
      { key: timerKey(id), db: trx },
    );
    return id;
  }

  async list(query: WebhookDeliveryQuery): Promise<WebhookDelivery[]> {
    const rows = await listWebhookDeliveries(this.ctx.database.db, {
      ...(query.ticketId ? { ticketId: query.ticketId } : {}),
      ...(query.status ? { status: query.status } : {}),
      limit: query.limit ?? 50,
    });
    return rows.map(deliveryDto);
  }

  /** Gives a dead-lettered delivery a fresh round of tries, starting now. */
  async retry(deliveryId: string): Promise<WebhookDelivery> {
    const at = this.ctx.clock.now();
    return this.ctx.database.db.transaction().execute(async (trx) => {
      const delivery = await getWebhookDelivery(trx, deliveryId, { lock: true });
      if (!delivery) throw new DomainError('not-found', 'No such webhook delivery', 'deliveryId');
      if (delivery.status !== 'failed') {
        throw new DomainError(
          'conflict',
          `Only a failed delivery can be retried (this one is ${delivery.status})`,
          'deliveryId',
        );
      }
      const change = {
        status: 'pending' as const,
        attempts: 0,
        lastStatus: delivery.lastStatus,
        lastError: delivery.lastError,
        at,
      };
      await updateWebhookDelivery(trx, deliveryId, change);
      await this.timers.schedule(
        at,
        WEBHOOK_TIMER,
        { deliveryId },
        { key: timerKey(deliveryId), db: trx },
      );
      return deliveryDto({ ...delivery, ...change, updatedAt: at });
    });
  }

  /** The workspace's signing secret, for receivers to check `X-Parlour-Signature`. */
  async signingSecret(): Promise<string> {
    this.secret ??= await this.settings.webhookSecret();
    return this.secret;
  }

  /** Resolves when the requests under way (or the one of `deliveryId`) are done and recorded. */
  async settle(deliveryId?: string): Promise<void> {
    if (deliveryId !== undefined) {
      await this.inFlight.get(deliveryId)?.promise;
      return;
    }
    while (this.inFlight.size > 0)
      await Promise.allSettled([...this.inFlight.values()].map((a) => a.promise));
  }

  /** Whether a request of this delivery is under way in this process. */
  isInFlight(deliveryId: string): boolean {
    return this.inFlight.has(deliveryId);
  }

  /**
   * Aborts the requests under way and waits for them. Their deliveries stay pending: the lease
   * timer tries them again (here after a restart, or in another process).
   */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const attempt of this.inFlight.values()) attempt.controller.abort();
    await this.settle();
  }

  private async fire(timer: TimerRecord, trx: Db): Promise<void | (() => void)> {
    const deliveryId = timer.payload.deliveryId;
    if (typeof deliveryId !== 'string') return;
    const delivery = await getWebhookDelivery(trx, deliveryId, { lock: true });
    if (!delivery || delivery.status !== 'pending') return;
    const at = this.ctx.clock.now();
    await this.timers.schedule(
      new Date(at.getTime() + this.leaseMs),
      WEBHOOK_TIMER,
      { deliveryId },
      { key: timerKey(deliveryId), db: trx },
    );
    if (this.inFlight.has(deliveryId) || this.stopped) return;
    return () => this.start(delivery);
  }

  /** Starts one try and returns at once; the try records its own outcome. */
  private start(delivery: StoredWebhookDelivery): void {
    if (this.inFlight.has(delivery.id) || this.stopped) return;
    const attempt: Attempt = {
      deliveryId: delivery.id,
      controller: new AbortController(),
      promise: Promise.resolve(),
    };
    this.inFlight.set(delivery.id, attempt);
    attempt.promise = this.post(delivery, attempt.controller)
      .then(async (result) => {
        // Stopping aborted it: not an outcome of the endpoint's; the lease retries it later.
        if (this.stopped && attempt.controller.signal.aborted) return;
        await this.record(delivery.id, delivery.attempts + 1, result);
      })
      .catch((err: unknown) =>
        this.ctx.logger.error(
          { err, deliveryId: delivery.id },
          'recording a webhook outcome failed',
        ),
      )
      .finally(() => this.inFlight.delete(delivery.id));
  }

  private async post(
    delivery: StoredWebhookDelivery,
    controller: AbortController,
  ): Promise<AttemptResult> {
    const problem = webhookUrlProblem(delivery.url);
    if (problem) return { ok: false, status: null, error: problem, permanent: true };
    const body = JSON.stringify(delivery.payload);
    const timestamp = Math.floor(this.ctx.clock.now().getTime() / 1000);
    let timedOut = false;
    const timeout = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.timeoutMs);
    try {
      const secret = await this.signingSecret();
      const response = await this.fetch(delivery.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Parlour-Webhooks/1',
          'x-parlour-delivery': delivery.id,
          'x-parlour-timestamp': String(timestamp),
          'x-parlour-signature': signWebhook(secret, timestamp, body),
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

  /** Records a try's outcome, unless the delivery moved on meanwhile (an admin's retry, a rerun). */
  private async record(deliveryId: string, attempt: number, result: AttemptResult): Promise<void> {
    const at = this.ctx.clock.now();
    await this.ctx.database.db.transaction().execute(async (trx) => {
      const seen = await getWebhookDelivery(trx, deliveryId);
      if (!seen) return;
      // Lock order of every ticket writer: the conversation first, then the rest.
      const ticket = seen.ticketId ? await getTicket(trx, seen.ticketId) : null;
      if (ticket) await loadConversationState(trx, ticket.conversationId, { lock: true });
      // Then the timer row, before the delivery: a timers batch claims timers first (skipping
      // locked ones) and the delivery next, so taking them in that order cannot deadlock.
      await trx
        .selectFrom('timers')
        .select('id')
        .where('key', '=', timerKey(deliveryId))
        .forUpdate()
        .execute();
      const delivery = await getWebhookDelivery(trx, deliveryId, { lock: true });
      if (!delivery || delivery.status !== 'pending' || delivery.attempts !== attempt - 1) return;
      const status = result.ok
        ? 'delivered'
        : result.permanent || attempt >= this.maxAttempts
          ? 'failed'
          : 'pending';
      const error = result.ok ? null : result.error.slice(0, ERROR_MAX);
      await updateWebhookDelivery(trx, deliveryId, {
        status,
        attempts: attempt,
        lastStatus: result.status,
        lastError: error,
        at,
      });
      if (status === 'pending') {
        await this.timers.schedule(
          new Date(at.getTime() + webhookRetryDelayMs(attempt)),
          WEBHOOK_TIMER,
          { deliveryId },
          { key: timerKey(deliveryId), db: trx },
        );
      } else {
        await this.timers.cancel({ key: timerKey(deliveryId) }, trx);
      }
      if (!ticket) return;
      const event: TicketEvent = {
        type:
          status === 'delivered'
            ? 'webhook.delivered'
            : status === 'failed'
              ? 'webhook.failed'
              : 'webhook.retrying',
        deliveryId,
        url: delivery.url,
        attempts: attempt,
        status: result.status,
        error,
        actor: SYSTEM,
        at,
      };
      await insertTicketEvents(trx, ticket.id, [event]);
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

export function deliveryDto(d: StoredWebhookDelivery): WebhookDelivery {
  return {
    id: d.id,
    ticketId: d.ticketId,
    url: d.url,
    payload: d.payload,
    ruleType: d.ruleType,
    ruleId: d.ruleId,
    ruleName: d.ruleName,
    status: d.status,
    attempts: d.attempts,
    lastStatus: d.lastStatus,
    lastError: d.lastError,
    createdAt: d.createdAt.toISOString(),
    updatedAt: d.updatedAt.toISOString(),
  };
}
