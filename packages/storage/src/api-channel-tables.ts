import type { ColumnType, Generated } from 'kysely';

/** Kysely's view of the API channel's tables (migrations/012-api-channel.ts). */
type Timestamp = ColumnType<Date, Date, Date>;
type Json<T = unknown> = ColumnType<T, string, string>;

export interface ApiInboxTemplateColumn {
  readonly name: string;
  readonly body: string;
}

export interface ApiInboxesTable {
  id: string;
  name: string;
  webhook_url: string;
  secret: string;
  default_group_id: string | null;
  reply_window_hours: number | null;
  templates: Json<ApiInboxTemplateColumn[]>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ApiContactsTable {
  id: string;
  inbox_id: string;
  external_id: string;
  end_user_id: string;
  conversation_id: string | null;
  last_inbound_at: Timestamp | null;
  created_at: Timestamp;
}

export interface ApiInboundReceiptsTable {
  inbox_id: string;
  idempotency_key: string;
  body_sha256: string;
  conversation_id: string;
  ticket_id: string | null;
  message_id: string;
  created_at: Timestamp;
}

export interface ApiInboundSignaturesTable {
  inbox_id: string;
  signature: string;
  seen_at: Timestamp;
}

export interface ApiDeliveriesTable {
  id: string;
  inbox_id: string;
  conversation_id: string;
  message_id: string;
  payload: Json<unknown>;
  status: Generated<'pending' | 'delivered' | 'failed'>;
  attempts: Generated<number>;
  last_status: number | null;
  last_error: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}
