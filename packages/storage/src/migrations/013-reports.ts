/**
 * Reports: business-hours schedules, and report_facts — every metric sample of every ticket,
 * derived from its history by the projector (server/services/reports/). Inserting a ticket event
 * or a message marks its ticket dirty in the same transaction (a statement trigger), so the
 * projector knows exactly what to recompute and a report can catch up before it runs.
 * PostgreSQL 15 and PGlite alike.
 */
export const reports = `
CREATE TABLE business_hours (
  id uuid PRIMARY KEY,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
  time_zone text NOT NULL,
  intervals jsonb NOT NULL,
  holidays jsonb NOT NULL,
  is_default boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX business_hours_name_key ON business_hours (lower(name));
-- At most one default schedule.
CREATE UNIQUE INDEX business_hours_default_key ON business_hours (is_default) WHERE is_default;

-- One row per metric sample. value: ms for durations, 1 for counts, 100 or 0 for ratios;
-- business_value: the same span counted in the default schedule's opening hours (durations).
-- metric 'busy' rows are handle-time spans (start_at → at) that occupancy is computed from.
CREATE TABLE report_facts (
  ticket_id uuid NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
  metric text NOT NULL,
  agent_id uuid,
  group_id uuid,
  channel text NOT NULL,
  at timestamptz NOT NULL,
  value double precision NOT NULL,
  business_value double precision,
  start_at timestamptz
);
CREATE INDEX report_facts_metric_at_idx ON report_facts (metric, at)
  INCLUDE (agent_id, group_id, channel, value, business_value);
CREATE INDEX report_facts_ticket_idx ON report_facts (ticket_id);

-- Tickets whose facts must be recomputed. version grows with every mark, so the projector only
-- clears a mark it has seen (a change made while it worked keeps the ticket dirty).
CREATE TABLE report_dirty_tickets (
  ticket_id uuid PRIMARY KEY,
  version bigint NOT NULL DEFAULT 1
);

CREATE FUNCTION report_mark_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO report_dirty_tickets (ticket_id)
  SELECT DISTINCT ticket_id FROM new_rows WHERE ticket_id IS NOT NULL
  ON CONFLICT (ticket_id) DO UPDATE SET version = report_dirty_tickets.version + 1;
  RETURN NULL;
END
$$;

CREATE TRIGGER ticket_events_report_dirty AFTER INSERT ON ticket_events
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_mark_dirty();
CREATE TRIGGER messages_report_dirty AFTER INSERT ON messages
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_mark_dirty();

CREATE INDEX agent_status_events_created_idx ON agent_status_events (created_at);
`;
