/**
 * Agent tools: macros (field actions plus standard text, shared or personal), predefined chat
 * responses, and wrap-up reasons stored on tickets. PostgreSQL 15 and PGlite alike.
 */
export const agentTools = `
CREATE TABLE macros (
  id uuid PRIMARY KEY,
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  body text CHECK (body IS NULL OR length(body) <= 10000),
  body_kind text NOT NULL DEFAULT 'public' CHECK (body_kind IN ('public', 'internal')),
  actions jsonb NOT NULL DEFAULT '[]',
  -- NULL: shared by everyone (admins manage it); else personal to that user.
  owner_id uuid REFERENCES users (id) ON DELETE CASCADE,
  active boolean NOT NULL DEFAULT true,
  position integer NOT NULL DEFAULT 0,
  -- Set on macros Parlour made as default content (seed 000's "End the chat session").
  preset text UNIQUE,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX macros_shared_title_key ON macros (lower(title)) WHERE owner_id IS NULL;
CREATE UNIQUE INDEX macros_personal_title_key ON macros (owner_id, lower(title))
  WHERE owner_id IS NOT NULL;

CREATE TABLE predefined_responses (
  id uuid PRIMARY KEY,
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  shortcut text CHECK (shortcut IS NULL OR length(shortcut) BETWEEN 1 AND 50),
  body text NOT NULL CHECK (length(body) BETWEEN 1 AND 10000),
  group_id uuid REFERENCES groups (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
-- One response per shortcut whatever its case; text_pattern_ops also serves prefix searches
-- (an agent typing "/ref…"). Substring searches over title and body scan the table, which holds
-- hundreds of responses, not millions.
CREATE UNIQUE INDEX predefined_responses_shortcut_key
  ON predefined_responses (lower(shortcut) text_pattern_ops);
CREATE INDEX predefined_responses_title_idx ON predefined_responses (lower(title), id);

CREATE TABLE wrap_up_reasons (
  id uuid PRIMARY KEY,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  active boolean NOT NULL DEFAULT true,
  position integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX wrap_up_reasons_name_key ON wrap_up_reasons (lower(name));

-- A reason in use cannot be deleted (no cascade): it is deactivated instead.
CREATE TABLE ticket_wrap_ups (
  ticket_id uuid NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
  reason_id uuid NOT NULL REFERENCES wrap_up_reasons (id),
  created_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (ticket_id, reason_id)
);
CREATE INDEX ticket_wrap_ups_reason_idx ON ticket_wrap_ups (reason_id);
`;
