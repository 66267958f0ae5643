/**
 * The email channel: delivery state and threading of the outbox, each ticket's reply token, and
 * every Message-ID of a ticket's thread (ours and the customer's), which also makes inbound
 * email idempotent. PostgreSQL 15 and PGlite alike.
 */
export const email = `
ALTER TABLE outbound_emails
  ADD COLUMN status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'dead')),
  ADD COLUMN next_attempt_at timestamptz,
  ADD COLUMN message_id text,
  ADD COLUMN in_reply_to text,
  ADD COLUMN references_header text,
  ADD COLUMN reply_to text;
UPDATE outbound_emails SET status = 'sent' WHERE sent_at IS NOT NULL;
UPDATE outbound_emails SET next_attempt_at = created_at;
ALTER TABLE outbound_emails ALTER COLUMN next_attempt_at SET NOT NULL;
CREATE INDEX outbound_emails_due_idx ON outbound_emails (next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX outbound_emails_dead_idx ON outbound_emails (created_at DESC) WHERE status = 'dead';

CREATE TABLE email_threads (
  ticket_id uuid PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
  reply_token text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL
);

CREATE TABLE email_message_ids (
  message_id text PRIMARY KEY,
  ticket_id uuid NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
  direction text NOT NULL CHECK (direction IN ('in', 'out')),
  created_at timestamptz NOT NULL
);
CREATE INDEX email_message_ids_ticket_idx ON email_message_ids (ticket_id, created_at);
`;
