/**
 * Workflows (seed 003): a draft an admin edits, immutable published versions, runs (each on the
 * version it started on) with every step's outcome, and the round-robin cursor of each Assign to
 * step. PostgreSQL 15 and PGlite alike.
 */
export const workflows = `
CREATE TABLE workflows (
  id uuid PRIMARY KEY,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  active boolean NOT NULL DEFAULT true,
  draft jsonb NOT NULL,
  published_version integer,
  -- The trigger type of the published version: events find their workflows by it.
  trigger_type text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX workflows_trigger_idx ON workflows (trigger_type)
  WHERE active AND published_version IS NOT NULL;

CREATE TABLE workflow_versions (
  workflow_id uuid NOT NULL REFERENCES workflows (id) ON DELETE CASCADE,
  version integer NOT NULL CHECK (version >= 1),
  definition jsonb NOT NULL,
  published_at timestamptz NOT NULL,
  published_by uuid REFERENCES users (id) ON DELETE SET NULL,
  PRIMARY KEY (workflow_id, version)
);

CREATE TABLE workflow_runs (
  id uuid PRIMARY KEY,
  workflow_id uuid NOT NULL,
  version integer NOT NULL,
  conversation_id uuid NOT NULL REFERENCES conversations (id),
  ticket_id uuid REFERENCES tickets (id),
  trigger_type text NOT NULL,
  state text NOT NULL CHECK (state IN ('running', 'waiting', 'finished', 'failed', 'cancelled')),
  current_step text,
  -- What started the run (the customer's message for "incoming message"), for branch conditions.
  context jsonb NOT NULL DEFAULT '{}',
  started_by uuid REFERENCES users (id) ON DELETE SET NULL,
  started_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  finished_at timestamptz,
  FOREIGN KEY (workflow_id, version) REFERENCES workflow_versions (workflow_id, version) ON DELETE CASCADE
);
CREATE INDEX workflow_runs_conversation_idx ON workflow_runs (conversation_id, started_at);
CREATE INDEX workflow_runs_workflow_idx ON workflow_runs (workflow_id, started_at DESC, id DESC);

CREATE TABLE workflow_run_steps (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  run_id uuid NOT NULL REFERENCES workflow_runs (id) ON DELETE CASCADE,
  step_id text NOT NULL,
  step_type text NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('done', 'waiting', 'branch', 'skipped', 'failed')),
  detail jsonb NOT NULL DEFAULT '{}',
  at timestamptz NOT NULL
);
CREATE INDEX workflow_run_steps_run_idx ON workflow_run_steps (run_id, id);

CREATE TABLE workflow_cursors (
  workflow_id uuid NOT NULL REFERENCES workflows (id) ON DELETE CASCADE,
  step_id text NOT NULL,
  last_agent_id uuid,
  PRIMARY KEY (workflow_id, step_id)
);
`;
