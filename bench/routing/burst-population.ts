import type pg from 'pg';

export interface BurstPopulation {
  readonly agents: number;
  /** Agents per group (team); each team routes with one of the three strategies in turn. */
  readonly teamSize: number;
  /** Messaging capacity of every agent. */
  readonly capacity: number;
}

/**
 * Straight into the scratch database, in one transaction: the teams (groups), their agents
 * (Available, each with a live connection row, so "only online" would not hold them back), and
 * their capacities. Far quicker than 10,000 admin calls and sockets, and what routing reads is
 * the same rows.
 */
export async function insertAgents(client: pg.Client, p: BurstPopulation): Promise<void> {
  const teams = Math.max(1, Math.ceil(p.agents / p.teamSize));
  await inTransaction(client, async () => {
    await client.query(
      `CREATE TEMP TABLE burst_teams ON COMMIT DROP AS
         SELECT k, gen_random_uuid() AS id FROM generate_series(0, $1::int - 1) k`,
      [teams],
    );
    await client.query(
      `CREATE TEMP TABLE burst_agents ON COMMIT DROP AS
         SELECT i, gen_random_uuid() AS id, i % $2::int AS team
           FROM generate_series(0, $1::int - 1) i`,
      [p.agents, teams],
    );
    await client.query(
      `INSERT INTO groups (id, name, description, created_at, updated_at, strategy)
       SELECT id, 'Burst team ' || k, NULL, now(), now(),
              (ARRAY['most_spare_capacity', 'round_robin', 'least_open'])[k % 3 + 1]
         FROM burst_teams`,
    );
    await client.query(
      `INSERT INTO users (id, role, email, name, password_hash, active, created_at, updated_at)
       SELECT id, 'agent', 'burst-' || i || '@bench.parlour.example', 'Burst Agent ' || i, NULL,
              true, now(), now()
         FROM burst_agents`,
    );
    await client.query(
      `INSERT INTO group_members (group_id, user_id)
       SELECT t.id, a.id FROM burst_agents a JOIN burst_teams t ON t.k = a.team`,
    );
    await client.query(
      `INSERT INTO agent_states (user_id, status, status_since, messaging_capacity)
       SELECT id, 'available', now(), $1::int FROM burst_agents`,
      [p.capacity],
    );
    await client.query(
      `INSERT INTO agent_connections (id, user_id, process_id, connected_at)
       SELECT gen_random_uuid(), id, 'bench-routing', now() FROM burst_agents`,
    );
  });
}

/**
 * `tickets` messaging conversations with an active session, each with a New ticket queued for a
 * team (spread evenly; one in ten High priority), as many handoffs would leave them. One
 * transaction: the whole burst becomes visible to routing at its commit.
 */
export async function insertQueuedTickets(client: pg.Client, tickets: number): Promise<void> {
  await inTransaction(client, async () => {
    await client.query(
      `CREATE TEMP TABLE burst_tickets ON COMMIT DROP AS
         SELECT j, gen_random_uuid() AS ticket_id, gen_random_uuid() AS conversation_id,
                gen_random_uuid() AS end_user_id,
                (SELECT array_agg(id ORDER BY name) FROM groups WHERE name LIKE 'Burst team %')
                  AS teams
           FROM generate_series(0, $1::int - 1) j`,
      [tickets],
    );
    await client.query(
      `INSERT INTO end_users (id, name, created_at, updated_at)
       SELECT end_user_id, 'Burst customer ' || j, now(), now() FROM burst_tickets`,
    );
    await client.query(
      `INSERT INTO conversations (id, end_user_id, channel, state, ticket_id, created_at, updated_at)
       SELECT conversation_id, end_user_id, 'messaging', 'open', ticket_id, now(), now()
         FROM burst_tickets`,
    );
    await client.query(
      `INSERT INTO sessions (id, conversation_id, state, started_at)
       SELECT gen_random_uuid(), conversation_id, 'active', now() FROM burst_tickets`,
    );
    await client.query(
      `INSERT INTO tickets (id, conversation_id, requester_id, channel, status, priority, group_id,
                            created_at, updated_at, version, routing, eligible_at)
       SELECT ticket_id, conversation_id, end_user_id, 'messaging', 'new',
              CASE WHEN j % 10 = 0 THEN 'high' ELSE 'normal' END,
              teams[j % array_length(teams, 1) + 1], now(), now(), 1, 'queued',
              now() - make_interval(secs => ($1::int - j) / 1000.0)
         FROM burst_tickets`,
      [tickets],
    );
  });
}

async function inTransaction(client: pg.Client, work: () => Promise<void>): Promise<void> {
  await client.query('BEGIN');
  try {
    await work();
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}
