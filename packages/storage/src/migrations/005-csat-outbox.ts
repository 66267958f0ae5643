/**
 * CSAT surveys, the outbound email outbox and webhook deliveries. PostgreSQL 15 and PGlite alike.
 */
export const csatOutbox = `
CREATE TABLE csat_surveys (
  id uuid PRIMARY KEY,
  ticket_id uuid NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
  conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  token_hash text NOT NULL,
  via text NOT NULL CHECK (via IN ('messaging', 'email')),
  sent_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  rating text CHECK (rating IN ('good', 'bad')),
  comment text CHECK (comment IS NULL OR length(comment) <= 2000),
  answered_at timestamptz,
  CHECK ((rating IS NULL) = (answered_at IS NULL))
);
CREATE UNIQUE INDEX csat_surveys_token_key ON csat_surveys (token_hash);
CREATE INDEX csat_surveys_ticket_idx ON csat_surveys (ticket_id, sent_at);
-- Once per ticket: at most one answered survey, whatever races the application misses.
CREATE UNIQUE INDEX csat_surveys_answered_key ON csat_surveys (ticket_id) WHERE answered_at IS NOT NULL;

CREATE TABLE outbound_emails (
  id uuid PRIMARY KEY,
  ticket_id uuid REFERENCES tickets (id) ON DELETE SET NULL,
  to_address text NOT NULL,
  subject text NOT NULL,
  text_body text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('reply', 'csat', 'notification')),
  created_at timestamptz NOT NULL,
  sent_at timestamptz,
  attempts integer NOT NULL DEFAULT 0,
  last_error text
);
CREATE INDEX outbound_emails_unsent_idx ON outbound_emails (created_at, id) WHERE sent_at IS NULL;
CREATE INDEX outbound_emails_ticket_idx ON outbound_emails (ticket_id);

CREATE TABLE webhook_deliveries (
  id uuid PRIMARY KEY,
  ticket_id uuid REFERENCES tickets (id) ON DELETE SET NULL,
  url text NOT NULL,
  payload jsonb NOT NULL,
  rule_type text NOT NULL CHECK (rule_type IN ('trigger', 'automation', 'workflow', 'macro')),
  rule_id text NOT NULL,
  rule_name text NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  last_status integer,
  last_error text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX webhook_deliveries_ticket_idx ON webhook_deliveries (ticket_id, created_at);
CREATE INDEX webhook_deliveries_recent_idx ON webhook_deliveries (created_at, id);
`;
