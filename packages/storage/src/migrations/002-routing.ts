/**
 * Omnichannel routing: agent status and presence, skills, capacity, queue state on tickets,
 * offers, and conference participants. PostgreSQL 15 and PGlite alike.
 */
export const routing = `
ALTER TABLE groups
  ADD COLUMN strategy text NOT NULL DEFAULT 'most_spare_capacity'
    CHECK (strategy IN ('most_spare_capacity', 'round_robin', 'least_open')),
  ADD COLUMN only_online boolean NOT NULL DEFAULT false,
  ADD COLUMN offer_timeout_s integer NOT NULL DEFAULT 30 CHECK (offer_timeout_s BETWEEN 5 AND 3600),
  ADD COLUMN auto_accept boolean NOT NULL DEFAULT false,
  ADD COLUMN reassign_after_s integer CHECK (reassign_after_s IS NULL OR reassign_after_s BETWEEN 30 AND 604800),
  ADD COLUMN skill_relax_after_s integer CHECK (skill_relax_after_s IS NULL OR skill_relax_after_s BETWEEN 1 AND 604800),
  ADD COLUMN overflow_group_id uuid REFERENCES groups (id),
  ADD COLUMN overflow_after_s integer CHECK (overflow_after_s IS NULL OR overflow_after_s BETWEEN 1 AND 604800);

CREATE TABLE skills (
  id uuid PRIMARY KEY,
  name text NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX skills_name_key ON skills (lower(name));

CREATE TABLE agent_skills (
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  skill_id uuid NOT NULL REFERENCES skills (id) ON DELETE CASCADE,
  PRIMARY KEY (user_id, skill_id)
);

CREATE TABLE idle_reasons (
  id uuid PRIMARY KEY,
  name text NOT NULL,
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX idle_reasons_name_key ON idle_reasons (lower(name));

CREATE TABLE agent_states (
  user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  status text NOT NULL DEFAULT 'offline' CHECK (status IN ('available', 'idle', 'offline', 'rona')),
  idle_reason_id uuid REFERENCES idle_reasons (id),
  status_since timestamptz NOT NULL,
  last_offered_at timestamptz,
  messaging_capacity integer CHECK (messaging_capacity IS NULL OR messaging_capacity BETWEEN 0 AND 1000),
  email_capacity integer CHECK (email_capacity IS NULL OR email_capacity BETWEEN 0 AND 1000)
);
CREATE INDEX agent_states_status_idx ON agent_states (status);

CREATE TABLE agent_status_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  from_status text NOT NULL,
  to_status text NOT NULL,
  idle_reason_id uuid,
  cause text NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX agent_status_events_user_idx ON agent_status_events (user_id, id);

CREATE TABLE agent_connections (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  process_id text NOT NULL,
  connected_at timestamptz NOT NULL
);
CREATE INDEX agent_connections_user_idx ON agent_connections (user_id);
CREATE INDEX agent_connections_process_idx ON agent_connections (process_id);

ALTER TABLE tickets
  ADD COLUMN required_skills uuid[] NOT NULL DEFAULT '{}',
  ADD COLUMN routing text NOT NULL DEFAULT 'none' CHECK (routing IN ('none', 'queued', 'offered', 'assigned')),
  ADD COLUMN eligible_at timestamptz,
  ADD COLUMN direct_agent_id uuid REFERENCES users (id),
  ADD COLUMN skills_relaxed boolean NOT NULL DEFAULT false,
  ADD COLUMN assigned_at timestamptz,
  ADD COLUMN first_reply_at timestamptz,
  ADD COLUMN priority_rank smallint GENERATED ALWAYS AS (
    CASE priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END
  ) STORED;
CREATE INDEX tickets_queue_idx ON tickets (priority_rank, eligible_at, id) WHERE routing = 'queued';
CREATE INDEX tickets_assignee_load_idx ON tickets (assignee_id) WHERE status IN ('new', 'open');

CREATE TABLE offers (
  id uuid PRIMARY KEY,
  ticket_id uuid NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
  agent_id uuid NOT NULL REFERENCES users (id),
  status text NOT NULL CHECK (status IN ('pending', 'accepted', 'declined', 'expired', 'withdrawn')),
  channel text NOT NULL CHECK (channel IN ('messaging', 'email')),
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  responded_at timestamptz
);
-- The database itself refuses a second live offer for one ticket.
CREATE UNIQUE INDEX offers_one_pending_per_ticket ON offers (ticket_id) WHERE status = 'pending';
CREATE INDEX offers_agent_pending_idx ON offers (agent_id) WHERE status = 'pending';
CREATE INDEX offers_ticket_idx ON offers (ticket_id, created_at);

CREATE TABLE conversation_participants (
  conversation_id uuid NOT NULL REFERENCES conversations (id),
  user_id uuid NOT NULL REFERENCES users (id),
  role text NOT NULL CHECK (role IN ('conference')),
  state text NOT NULL CHECK (state IN ('requested', 'joined', 'left', 'declined')),
  invited_by uuid NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL,
  joined_at timestamptz,
  left_at timestamptz,
  PRIMARY KEY (conversation_id, user_id)
);
CREATE INDEX conversation_participants_user_idx ON conversation_participants (user_id) WHERE state IN ('requested', 'joined');
`;
