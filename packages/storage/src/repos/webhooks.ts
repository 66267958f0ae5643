import type { Selectable } from 'kysely';
import type { Db } from '../database.js';
import type { WebhookDeliveriesTable } from '../schema.js';

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';
export type WebhookRuleType = 'trigger' | 'automation' | 'workflow' | 'macro';

export interface StoredWebhookDelivery {
  readonly id: string;
  readonly ticketId: string | null;
  readonly url: string;
  readonly payload: unknown;
  readonly ruleType: WebhookRuleType;
  readonly ruleId: string;
  readonly ruleName: string;
  readonly status: WebhookDeliveryStatus;
  /** Finished tries so far. */
  readonly attempts: number;
  /** The HTTP status of the last try (null when it got no response). */
  readonly lastStatus: number | null;
  readonly lastError: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

function toDelivery(row: Selectable<WebhookDeliveriesTable>): StoredWebhookDelivery {
  return {
    id: row.id,
    ticketId: row.ticket_id,
    url: row.url,
    payload: row.payload,
    ruleType: row.rule_type,
    ruleId: row.rule_id,
    ruleName: row.rule_name,
    status: row.status,
    attempts: row.attempts,
    lastStatus: row.last_status,
    lastError: row.last_error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function insertWebhookDelivery(
  db: Db,
  delivery: Pick<
    StoredWebhookDelivery,
    'id' | 'ticketId' | 'url' | 'payload' | 'ruleType' | 'ruleId' | 'ruleName' | 'createdAt'
  >,
): Promise<void> {
  await db
    .insertInto('webhook_deliveries')
    .values({
      id: delivery.id,
      ticket_id: delivery.ticketId,
      url: delivery.url,
      payload: JSON.stringify(delivery.payload),
      rule_type: delivery.ruleType,
      rule_id: delivery.ruleId,
      rule_name: delivery.ruleName,
      last_status: null,
      last_error: null,
      created_at: delivery.createdAt,
      updated_at: delivery.createdAt,
    })
    .execute();
}

/** With `lock`, the row is held until the caller's transaction ends (one outcome at a time). */
export async function getWebhookDelivery(
  db: Db,
  id: string,
  options: { lock?: boolean } = {},
): Promise<StoredWebhookDelivery | null> {
  let query = db.selectFrom('webhook_deliveries').selectAll().where('id', '=', id);
  if (options.lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row ? toDelivery(row) : null;
}

export async function updateWebhookDelivery(
  db: Db,
  id: string,
  change: {
    status: WebhookDeliveryStatus;
    attempts: number;
    lastStatus: number | null;
    lastError: string | null;
    at: Date;
  },
): Promise<void> {
  await db
    .updateTable('webhook_deliveries')
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

/** Newest first, optionally of one ticket. */
export async function listWebhookDeliveries(
  db: Db,
  filter: { ticketId?: string; status?: WebhookDeliveryStatus; limit: number },
): Promise<StoredWebhookDelivery[]> {
  let query = db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(filter.limit);
  if (filter.ticketId) query = query.where('ticket_id', '=', filter.ticketId);
  if (filter.status) query = query.where('status', '=', filter.status);
  return (await query.execute()).map(toDelivery);
}
