import { createHash } from 'node:crypto';
import { DomainError, isDomainError, type Conversation, type Session } from '@parlour/core';
import type { ApiInboundMessageBody, ApiInboundResult } from '@parlour/protocol';
import {
  claimApiSignature,
  getApiInbox,
  getApiReceipt,
  insertApiReceipt,
  insertConversation,
  loadConversationState,
  lockOrCreateApiContact,
  purgeApiSignatures,
  setApiContactConversation,
  touchApiContact,
  type StoredApiInbox,
} from '@parlour/storage';
import type { ServiceContext } from '../context.js';
import type { ConversationService } from '../conversation-service.js';
import { publishFeed } from '../feed-publisher.js';
import type { MessageWriter } from '../message-writer.js';
import { droppedError, guardField, type ContentGuard } from '../pci/content-guard.js';
import { WEBHOOK_REPLAY_WINDOW_S } from '../outbound/webhook-signature.js';
import { inboxNotFound } from './api-inbox-service.js';
import { verifyInboundSignature } from './verify-inbound-signature.js';
import { isUuid } from '../../ids.js';

export interface InboundHeaders {
  readonly timestamp: string | undefined;
  readonly signature: string | undefined;
  readonly idempotencyKey: string | undefined;
}

/** A request whose inbox, signature and Idempotency-Key checked out. */
export interface AuthenticatedInbound {
  readonly inbox: StoredApiInbox;
  readonly idempotencyKey: string;
  readonly bodySha256: string;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;
const PURGE_EVERY_MS = 60_000;
const REPLAY_WINDOW_MS = WEBHOOK_REPLAY_WINDOW_S * 1000;

/**
 * Inbound messages of the API channel: signed by the inbox's secret, de-duplicated by
 * Idempotency-Key. The external contact maps to an end user (per inbox and external id); their
 * open conversation takes the message, or a new conversation on channel 'api' is started and
 * handed to the inbox's default group (a routed ticket). The text goes through MessageWriter like
 * every message (card data masked, or refused in drop mode before anything is stored).
 */
export class ApiInbound {
  private lastPurge = 0;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly deps: {
      readonly conversations: ConversationService;
      readonly messages: MessageWriter;
      readonly guard: ContentGuard;
    },
  ) {}

  /**
   * Before the body is even validated: the inbox exists (404), the Idempotency-Key is there (400),
   * the signature matches (401 bad-signature), its timestamp is recent (401 stale-timestamp) and
   * the signature was not used before within the window (401 replayed).
   */
  async authenticate(
    inboxId: string,
    headers: InboundHeaders,
    rawBody: string,
  ): Promise<AuthenticatedInbound> {
    const db = this.ctx.database.db;
    // Checked before the path is validated: an id that is not a UUID names no inbox either.
    if (!isUuid(inboxId)) throw inboxNotFound();
    const inbox = await getApiInbox(db, inboxId);
    if (!inbox) throw inboxNotFound();
    const key = headers.idempotencyKey;
    if (key === undefined || !IDEMPOTENCY_KEY.test(key))
      throw new DomainError(
        'api-channel/idempotency-key',
        'Send an Idempotency-Key header (1–200 printable ASCII characters) naming this message: a redelivery repeats it',
        'Idempotency-Key',
      );
    const now = this.ctx.clock.now();
    const { signature } = verifyInboundSignature(
      inbox.secret,
      headers,
      rawBody,
      Math.floor(now.getTime() / 1000),
    );
    if (!(await claimApiSignature(db, { inboxId, signature, at: now })))
      throw new DomainError(
        'api-channel/replayed',
        'This signature was used already: sign each delivery (and each redelivery) afresh',
        'X-Parlour-Signature',
      );
    await this.purgeOldSignatures(now);
    return {
      inbox,
      idempotencyKey: key,
      bodySha256: createHash('sha256').update(rawBody).digest('hex'),
    };
  }

  async receive(
    request: AuthenticatedInbound,
    body: ApiInboundMessageBody,
  ): Promise<ApiInboundResult> {
    const { inbox, idempotencyKey } = request;
    const earlier = await this.earlierAnswer(request);
    if (earlier) return earlier;
    // Card data: in drop mode the message is refused before anything is stored; the contact's
    // name and address are masked (or refused) like any field.
    const policy = await this.deps.guard.policy();
    const text = this.deps.guard.inspect(body.text, policy);
    if (text.action === 'dropped') throw droppedError(text.counts, 'text');
    const name = guardField(
      this.deps.guard,
      policy,
      body.contact.name,
      'contact.name',
      'ticket_field',
    );
    const email = body.contact.email
      ? guardField(this.deps.guard, policy, body.contact.email, 'contact.email', 'ticket_field')
          .value
      : null;
    const contact = { externalId: body.contact.id, name: name.value, email };

    // A conversation closed between choosing it and writing to it: choose again, once.
    for (let attempt = 1; ; attempt++) {
      const conversationId = await this.conversationFor(inbox, contact);
      try {
        const posted = await this.deps.messages.post({
          actor: { type: 'end_user', id: conversationId.endUserId },
          conversationId: conversationId.id,
          kind: 'public',
          channel: 'api',
          body: body.text,
          // The writer stores a client id once per conversation: concurrent duplicates too.
          clientMessageId: `api:${idempotencyKey}`,
        });
        const answer = {
          conversationId: conversationId.id,
          ticketId: posted.message.ticketId,
          messageId: posted.message.id,
        };
        await insertApiReceipt(this.ctx.database.db, {
          inboxId: inbox.id,
          idempotencyKey,
          bodySha256: request.bodySha256,
          ...answer,
          at: this.ctx.clock.now(),
        });
        return { ...answer, duplicate: posted.duplicate };
      } catch (error) {
        const closed =
          isDomainError(error) &&
          (error.code === 'conversation/closed' || error.code === 'ticket/closed');
        if (!closed || attempt >= 2) throw error;
      }
    }
  }

  /** The answer stored for this Idempotency-Key, if this is a redelivery. */
  private async earlierAnswer(request: AuthenticatedInbound): Promise<ApiInboundResult | null> {
    const receipt = await getApiReceipt(
      this.ctx.database.db,
      request.inbox.id,
      request.idempotencyKey,
    );
    if (!receipt) return null;
    if (receipt.bodySha256 !== request.bodySha256)
      throw new DomainError(
        'api-channel/idempotency-conflict',
        'This Idempotency-Key was used for a different message: use a new key for a new message',
        'Idempotency-Key',
      );
    return {
      conversationId: receipt.conversationId,
      ticketId: receipt.ticketId,
      messageId: receipt.messageId,
      duplicate: true,
    };
  }

  /**
   * The contact's open conversation, or a new one handed to the inbox's default group. The
   * contact's row is locked meanwhile, so two messages of a new contact start one conversation.
   */
  private async conversationFor(
    inbox: StoredApiInbox,
    contact: { externalId: string; name: string; email: string | null },
  ): Promise<{ id: string; endUserId: string }> {
    const { database, clock, newId } = this.ctx;
    const at = clock.now();
    const outcome = await database.db.transaction().execute(async (trx) => {
      const row = await lockOrCreateApiContact(trx, {
        inboxId: inbox.id,
        externalId: contact.externalId,
        name: contact.name,
        email: contact.email,
        newContactId: newId(),
        newEndUserId: newId(),
        at,
      });
      await touchApiContact(trx, row.id, at);
      if (row.conversationId) {
        const state = await loadConversationState(trx, row.conversationId);
        if (state && state.conversation.state === 'open' && state.ticket?.status !== 'closed')
          return { id: row.conversationId, endUserId: row.endUserId, signals: [], after: null };
      }
      const conversation: Conversation = {
        id: newId(),
        endUserId: row.endUserId,
        channel: 'api',
        state: 'open',
        ticketId: null,
        createdAt: at,
        closedAt: null,
      };
      // A live conversation like a chat: it counts against messaging capacity while open.
      const session: Session = {
        id: newId(),
        conversationId: conversation.id,
        state: 'active',
        endReason: null,
        startedAt: at,
        endedAt: null,
      };
      await insertConversation(trx, conversation, session, at);
      await setApiContactConversation(trx, row.id, conversation.id);
      const handed = await this.deps.conversations.handOffInTx(trx, {
        conversationId: conversation.id,
        input: { ...(inbox.defaultGroupId ? { groupId: inbox.defaultGroupId } : {}) },
        actor: { type: 'end_user', id: row.endUserId },
        principal: null,
        source: 'contact',
      });
      return {
        id: conversation.id,
        endUserId: row.endUserId,
        signals: handed.signals,
        after: handed.afterCommit,
      };
    });
    await publishFeed(this.ctx.bus, outcome.signals).catch((err: unknown) =>
      this.ctx.logger.warn({ err }, 'publishing an API conversation failed'),
    );
    await outcome
      .after?.()
      .catch((err: unknown) =>
        this.ctx.logger.warn({ err }, 'a step after an API conversation started failed'),
      );
    return { id: outcome.id, endUserId: outcome.endUserId };
  }

  private async purgeOldSignatures(now: Date): Promise<void> {
    if (now.getTime() - this.lastPurge < PURGE_EVERY_MS) return;
    this.lastPurge = now.getTime();
    await purgeApiSignatures(this.ctx.database.db, new Date(now.getTime() - 2 * REPLAY_WINDOW_MS));
  }
}
