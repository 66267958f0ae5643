/**
 * Triggers and automations (the rule language is packages/core/src/rules/), which automations
 * fired once on which ticket, and the moments time-based rules measure from.
 */
export const rules = `
CREATE TABLE triggers (
  id uuid PRIMARY KEY,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  category text,
  scope text NOT NULL DEFAULT 'ticket' CHECK (scope IN ('ticket', 'messaging')),
  active boolean NOT NULL DEFAULT true,
  position integer NOT NULL,
  conditions jsonb NOT NULL,
  actions jsonb NOT NULL,
  preset text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX triggers_position_idx ON triggers (position, id);

CREATE TABLE automations (
  id uuid PRIMARY KEY,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  active boolean NOT NULL DEFAULT true,
  position integer NOT NULL,
  conditions jsonb NOT NULL,
  actions jsonb NOT NULL,
  once_per_ticket boolean NOT NULL DEFAULT false,
  preset text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX automations_position_idx ON automations (position, id);

CREATE TABLE automation_firings (
  ticket_id uuid NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
  automation_id uuid NOT NULL REFERENCES automations (id) ON DELETE CASCADE,
  fired_at timestamptz NOT NULL,
  PRIMARY KEY (ticket_id, automation_id)
);

ALTER TABLE tickets
  ADD COLUMN status_changed_at timestamptz,
  ADD COLUMN last_agent_reply_at timestamptz,
  ADD COLUMN last_customer_message_at timestamptz;
UPDATE tickets SET status_changed_at = updated_at;
`;
