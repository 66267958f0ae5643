/**
 * The API channel (issue 7): inboxes that integrations (WhatsApp-like networks) connect to.
 * Inbound messages arrive signed with the inbox's secret; outbound messages go to its webhook.
 * Rows that carry a person's data (contacts, inbound receipts, deliveries) go with their end user
 * or conversation (ON DELETE CASCADE), so GDPR erasure needs no extra step.
 */
export const apiChannel = `
CREATE TABLE api_inboxes (
  id uuid PRIMARY KEY,
  name text NOT NULL,
  webhook_url text NOT NULL,
  -- A shared HMAC key: the server needs it in clear to check and make signatures. Never returned
  -- after it is made (creation and rotation show it once).
  secret text NOT NULL,
  default_group_id uuid REFERENCES groups (id) ON DELETE SET NULL,
  reply_window_hours integer CHECK (reply_window_hours IS NULL OR reply_window_hours > 0),
  templates jsonb NOT NULL DEFAULT '[]',
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

-- One external contact of one inbox is one end user; conversation_id is their current one.
CREATE TABLE api_contacts (
  id uuid PRIMARY KEY,
  inbox_id uuid NOT NULL REFERENCES api_inboxes (id) ON DELETE CASCADE,
  external_id text NOT NULL,
  end_user_id uuid NOT NULL UNIQUE REFERENCES end_users (id) ON DELETE CASCADE,
  conversation_id uuid REFERENCES conversations (id) ON DELETE SET NULL,
  last_inbound_at timestamptz,
  created_at timestamptz NOT NULL,
  UNIQUE (inbox_id, external_id)
);

-- Idempotency: one row per (inbox, Idempotency-Key), answered again to a duplicate delivery.
CREATE TABLE api_inbound_receipts (
  inbox_id uuid NOT NULL REFERENCES api_inboxes (id) ON DELETE CASCADE,
  idempotency_key text NOT NULL,
  body_sha256 text NOT NULL,
  conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  ticket_id uuid,
  message_id uuid NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (inbox_id, idempotency_key)
);
CREATE INDEX api_inbound_receipts_created ON api_inbound_receipts (created_at);

-- Replay protection: signatures seen within the replay window.
CREATE TABLE api_inbound_signatures (
  inbox_id uuid NOT NULL REFERENCES api_inboxes (id) ON DELETE CASCADE,
  signature text NOT NULL,
  seen_at timestamptz NOT NULL,
  PRIMARY KEY (inbox_id, signature)
);
CREATE INDEX api_inbound_signatures_seen ON api_inbound_signatures (seen_at);

CREATE TABLE api_deliveries (
  id uuid PRIMARY KEY,
  inbox_id uuid NOT NULL REFERENCES api_inboxes (id) ON DELETE CASCADE,
  conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  message_id uuid NOT NULL,
  payload jsonb NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  last_status integer,
  last_error text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX api_deliveries_inbox ON api_deliveries (inbox_id, created_at DESC, id DESC);
`;
