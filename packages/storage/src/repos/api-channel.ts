import type { Selectable } from 'kysely';
import type {
  ApiDeliveriesTable,
  ApiInboxesTable,
  ApiInboxTemplateColumn,
} from '../api-channel-tables.js';
import type { Db } from '../database.js';

export type ApiInboxTemplate = ApiInboxTemplateColumn;

export interface StoredApiInbox {
  readonly id: string;
  readonly name: string;
  readonly webhookUrl: string;
  readonly secret: string;
  readonly defaultGroupId: string | null;
  readonly replyWindowHours: number | null;
  readonly templates: readonly ApiInboxTemplate[];
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface StoredApiContact {
  readonly id: string;
  readonly inboxId: string;
  readonly externalId: string;
  readonly endUserId: string;
  readonly conversationId: string | null;
  readonly lastInboundAt: Date | null;
}

export interface StoredApiReceipt {
  readonly bodySha256: string;
  readonly conversationId: string;
  readonly ticketId: string | null;
  readonly messageId: string;
}

export type ApiDeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface StoredApiDelivery {
  readonly id: string;
  readonly inboxId: string;
  readonly conversationId: string;
  readonly messageId: string;
  readonly payload: unknown;
  readonly status: ApiDeliveryStatus;
  readonly attempts: number;
  readonly lastStatus: number | null;
  readonly lastError: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

function toInbox(row: Selectable<ApiInboxesTable>): StoredApiInbox {
  return {
    id: row.id,
    name: row.name,
    webhookUrl: row.webhook_url,
    secret: row.secret,
    defaultGroupId: row.default_group_id,
    replyWindowHours: row.reply_window_hours,
    templates: row.templates,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toDelivery(row: Selectable<ApiDeliveriesTable>): StoredApiDelivery {
  return {
    id: row.id,
    inboxId: row.inbox_id,
    conversationId: row.conversation_id,
    messageId: row.message_id,
    payload: row.payload,
    status: row.status,
    attempts: row.attempts,
    lastStatus: row.last_status,
    lastError: row.last_error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function insertApiInbox(
  db: Db,
  inbox: Omit<StoredApiInbox, 'updatedAt'>,
): Promise<StoredApiInbox> {
  const row = await db
    .insertInto('api_inboxes')
    .values({
      id: inbox.id,
      name: inbox.name,
      webhook_url: inbox.webhookUrl,
      secret: inbox.secret,
      default_group_id: inbox.defaultGroupId,
      reply_window_hours: inbox.replyWindowHours,
      templates: JSON.stringify(inbox.templates),
      created_at: inbox.createdAt,
      updated_at: inbox.createdAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toInbox(row);
}

export async function getApiInbox(
  db: Db,
  id: string,
  options: { lock?: boolean } = {},
): Promise<StoredApiInbox | null> {
  let query = db.selectFrom('api_inboxes').selectAll().where('id', '=', id);
  if (options.lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row ? toInbox(row) : null;
}

export async function listApiInboxes(db: Db): Promise<StoredApiInbox[]> {
  const rows = await db.selectFrom('api_inboxes').selectAll().orderBy('created_at').execute();
  return rows.map(toInbox);
}

export async function updateApiInbox(db: Db, inbox: StoredApiInbox): Promise<void> {
  await db
    .updateTable('api_inboxes')
    .set({
      name: inbox.name,
      webhook_url: inbox.webhookUrl,
      secret: inbox.secret,
      default_group_id: inbox.defaultGroupId,
      reply_window_hours: inbox.replyWindowHours,
      templates: JSON.stringify(inbox.templates),
      updated_at: inbox.updatedAt,
    })
    .where('id', '=', inbox.id)
    .execute();
}

export async function deleteApiInbox(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom('api_inboxes').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Records a signature as used; false when it was seen already (a replay). */
export async function claimApiSignature(
  db: Db,
  input: { inboxId: string; signature: string; at: Date },
): Promise<boolean> {
  const row = await db
    .insertInto('api_inbound_signatures')
    .values({ inbox_id: input.inboxId, signature: input.signature, seen_at: input.at })
    .onConflict((oc) => oc.doNothing())
    .returning('signature')
    .executeTakeFirst();
  return row !== undefined;
}

/** Forgets signatures older than the replay window (their timestamps are refused anyway). */
export async function purgeApiSignatures(db: Db, before: Date): Promise<void> {
  await db.deleteFrom('api_inbound_signatures').where('seen_at', '<', before).execute();
}

export async function getApiReceipt(
  db: Db,
  inboxId: string,
  idempotencyKey: string,
): Promise<StoredApiReceipt | null> {
  const row = await db
    .selectFrom('api_inbound_receipts')
    .select(['body_sha256', 'conversation_id', 'ticket_id', 'message_id'])
    .where('inbox_id', '=', inboxId)
    .where('idempotency_key', '=', idempotencyKey)
    .executeTakeFirst();
  return row
    ? {
        bodySha256: row.body_sha256,
        conversationId: row.conversation_id,
        ticketId: row.ticket_id,
        messageId: row.message_id,
      }
    : null;
}

/** Stores the answer to an Idempotency-Key once; a concurrent duplicate's insert is a no-op. */
export async function insertApiReceipt(
  db: Db,
  input: StoredApiReceipt & { inboxId: string; idempotencyKey: string; at: Date },
): Promise<void> {
  await db
    .insertInto('api_inbound_receipts')
    .values({
      inbox_id: input.inboxId,
      idempotency_key: input.idempotencyKey,
      body_sha256: input.bodySha256,
      conversation_id: input.conversationId,
      ticket_id: input.ticketId,
      message_id: input.messageId,
      created_at: input.at,
    })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

const contactColumns = [
  'id',
  'inbox_id',
  'external_id',
  'end_user_id',
  'conversation_id',
  'last_inbound_at',
] as const;

function toContact(row: {
  id: string;
  inbox_id: string;
  external_id: string;
  end_user_id: string;
  conversation_id: string | null;
  last_inbound_at: Date | null;
}): StoredApiContact {
  return {
    id: row.id,
    inboxId: row.inbox_id,
    externalId: row.external_id,
    endUserId: row.end_user_id,
    conversationId: row.conversation_id,
    lastInboundAt: row.last_inbound_at,
  };
}

/**
 * The contact of an inbox by its external id, made (with its end user) when new, and locked until
 * the caller's transaction ends: one contact's messages pick or start a conversation one at a time.
 */
export async function lockOrCreateApiContact(
  db: Db,
  input: {
    inboxId: string;
    externalId: string;
    name: string;
    email: string | null;
    newContactId: string;
    newEndUserId: string;
    at: Date;
  },
): Promise<StoredApiContact & { created: boolean }> {
  const found = await db
    .selectFrom('api_contacts')
    .select(contactColumns)
    .where('inbox_id', '=', input.inboxId)
    .where('external_id', '=', input.externalId)
    .forUpdate()
    .executeTakeFirst();
  if (found) return { ...toContact(found), created: false };
  await db
    .insertInto('end_users')
    .values({
      id: input.newEndUserId,
      external_id: null,
      email: input.email,
      name: input.name,
      verified: false,
      created_at: input.at,
      updated_at: input.at,
    })
    .execute();
  const inserted = await db
    .insertInto('api_contacts')
    .values({
      id: input.newContactId,
      inbox_id: input.inboxId,
      external_id: input.externalId,
      end_user_id: input.newEndUserId,
      conversation_id: null,
      last_inbound_at: null,
      created_at: input.at,
    })
    .onConflict((oc) => oc.doNothing())
    .returning(contactColumns)
    .executeTakeFirst();
  if (inserted) return { ...toContact(inserted), created: true };
  // Another request made the contact meanwhile: ours is not needed.
  await db.deleteFrom('end_users').where('id', '=', input.newEndUserId).execute();
  const row = await db
    .selectFrom('api_contacts')
    .select(contactColumns)
    .where('inbox_id', '=', input.inboxId)
    .where('external_id', '=', input.externalId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  return { ...toContact(row), created: false };
}

export async function setApiContactConversation(
  db: Db,
  contactId: string,
  conversationId: string,
): Promise<void> {
  await db
    .updateTable('api_contacts')
    .set({ conversation_id: conversationId })
    .where('id', '=', contactId)
    .execute();
}

export async function touchApiContact(db: Db, contactId: string, at: Date): Promise<void> {
  await db
    .updateTable('api_contacts')
    .set({ last_inbound_at: at })
    .where('id', '=', contactId)
    .execute();
}

/** The contact (and its inbox) behind an end user of the API channel, if they are one. */
export async function getApiContactOfEndUser(
  db: Db,
  endUserId: string,
): Promise<{ contact: StoredApiContact; inbox: StoredApiInbox } | null> {
  const contact = await db
    .selectFrom('api_contacts')
    .select(contactColumns)
    .where('end_user_id', '=', endUserId)
    .executeTakeFirst();
  if (!contact) return null;
  const inbox = await getApiInbox(db, contact.inbox_id);
  return inbox ? { contact: toContact(contact), inbox } : null;
}

export async function insertApiDelivery(
  db: Db,
  d: Pick<StoredApiDelivery, 'id' | 'inboxId' | 'conversationId' | 'messageId' | 'payload'> & {
    at: Date;
  },
): Promise<void> {
  await db
    .insertInto('api_deliveries')
    .values({
      id: d.id,
      inbox_id: d.inboxId,
      conversation_id: d.conversationId,
      message_id: d.messageId,
      payload: JSON.stringify(d.payload),
      last_status: null,
      last_error: null,
      created_at: d.at,
      updated_at: d.at,
    })
    .execute();
}

export async function getApiDelivery(
  db: Db,
  id: string,
  options: { lock?: boolean } = {},
): Promise<StoredApiDelivery | null> {
  let query = db.selectFrom('api_deliveries').selectAll().where('id', '=', id);
  if (options.lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row ? toDelivery(row) : null;
}

export async function updateApiDelivery(
  db: Db,
  id: string,
  change: {
    status: ApiDeliveryStatus;
    attempts: number;
    lastStatus: number | null;
    lastError: string | null;
    at: Date;
  },
): Promise<void> {
  await db
    .updateTable('api_deliveries')
    .set({
      status: change.status,
      attempts: change.attempts,
      last_status: change.lastStatus,
      last_error: change.lastError,
      updated_at: change.at,
    })
    .where('id', '=', id)
    .execute();
}

/** An inbox's deliveries, newest first. */
export async function listApiDeliveries(
  db: Db,
  filter: { inboxId: string; status?: ApiDeliveryStatus; limit: number },
): Promise<StoredApiDelivery[]> {
  let query = db
    .selectFrom('api_deliveries')
    .selectAll()
    .where('inbox_id', '=', filter.inboxId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(filter.limit);
  if (filter.status) query = query.where('status', '=', filter.status);
  return (await query.execute()).map(toDelivery);
}
