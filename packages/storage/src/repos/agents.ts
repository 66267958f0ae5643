import { sql } from 'kysely';
import type { Db } from '../database.js';
import type { AgentStatusColumn } from '../schema.js';

export interface StoredAgentState {
  readonly userId: string;
  readonly status: AgentStatusColumn;
  readonly idleReasonId: string | null;
  readonly statusSince: Date;
  readonly lastOfferedAt: Date | null;
  readonly messagingCapacity: number | null;
  readonly emailCapacity: number | null;
}

type Row = {
  user_id: string;
  status: AgentStatusColumn;
  idle_reason_id: string | null;
  status_since: Date;
  last_offered_at: Date | null;
  messaging_capacity: number | null;
  email_capacity: number | null;
};

const toState = (r: Row): StoredAgentState => ({
  userId: r.user_id,
  status: r.status,
  idleReasonId: r.idle_reason_id,
  statusSince: r.status_since,
  lastOfferedAt: r.last_offered_at,
  messagingCapacity: r.messaging_capacity,
  emailCapacity: r.email_capacity,
});

/** Every staff member has a routing state row; made on first use, Offline. */
export async function ensureAgentStates(
  db: Db,
  userIds: readonly string[],
  at: Date,
): Promise<void> {
  if (userIds.length === 0) return;
  await db
    .insertInto('agent_states')
    .values(
      [...new Set(userIds)].map((user_id) => ({
        user_id,
        status: 'offline' as const,
        status_since: at,
      })),
    )
    .onConflict((oc) => oc.column('user_id').doNothing())
    .execute();
}

export async function getAgentState(
  db: Db,
  userId: string,
  options: { lock?: boolean } = {},
): Promise<StoredAgentState | null> {
  let query = db.selectFrom('agent_states').selectAll().where('user_id', '=', userId);
  if (options.lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row ? toState(row) : null;
}

export async function listAgentStates(
  db: Db,
  userIds?: readonly string[],
): Promise<StoredAgentState[]> {
  let query = db.selectFrom('agent_states').selectAll();
  if (userIds) {
    if (userIds.length === 0) return [];
    query = query.where('user_id', '=', sql<string>`ANY(${[...userIds]}::uuid[])`);
  }
  return (await query.execute()).map(toState);
}

/** Changes an agent's status and records the change as an event (reports read these). */
export async function writeAgentStatus(
  db: Db,
  change: {
    userId: string;
    from: AgentStatusColumn;
    to: AgentStatusColumn;
    idleReasonId: string | null;
    cause: string;
    at: Date;
  },
): Promise<void> {
  await db
    .updateTable('agent_states')
    .set({ status: change.to, idle_reason_id: change.idleReasonId, status_since: change.at })
    .where('user_id', '=', change.userId)
    .execute();
  await db
    .insertInto('agent_status_events')
    .values({
      user_id: change.userId,
      from_status: change.from,
      to_status: change.to,
      idle_reason_id: change.idleReasonId,
      cause: change.cause,
      created_at: change.at,
    })
    .execute();
}

export async function listAgentStatusEvents(db: Db, userId: string, limit = 100) {
  return db
    .selectFrom('agent_status_events')
    .select([
      'id',
      'from_status as from',
      'to_status as to',
      'idle_reason_id as idleReasonId',
      'cause',
      'created_at as at',
    ])
    .where('user_id', '=', userId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

export async function setAgentCapacity(
  db: Db,
  userId: string,
  capacity: { messaging?: number | null; email?: number | null },
): Promise<void> {
  await db
    .updateTable('agent_states')
    .set({
      ...(capacity.messaging !== undefined ? { messaging_capacity: capacity.messaging } : {}),
      ...(capacity.email !== undefined ? { email_capacity: capacity.email } : {}),
    })
    .where('user_id', '=', userId)
    .execute();
}

export async function touchLastOffered(
  db: Db,
  userIds: readonly string[],
  at: Date,
): Promise<void> {
  if (userIds.length === 0) return;
  await db
    .updateTable('agent_states')
    .set({ last_offered_at: at })
    .where('user_id', '=', sql<string>`ANY(${[...new Set(userIds)]}::uuid[])`)
    .execute();
}

// Presence: one row per live WebSocket connection, tagged with the process that holds it.

export async function addConnection(
  db: Db,
  c: { id: string; userId: string; processId: string; at: Date },
): Promise<void> {
  await db
    .insertInto('agent_connections')
    .values({ id: c.id, user_id: c.userId, process_id: c.processId, connected_at: c.at })
    .execute();
}

/** Removes a connection and says how many the user still has (in any process). */
export async function removeConnection(db: Db, id: string, userId: string): Promise<number> {
  await db.deleteFrom('agent_connections').where('id', '=', id).execute();
  return countConnections(db, userId);
}

export async function countConnections(db: Db, userId: string): Promise<number> {
  const row = await db
    .selectFrom('agent_connections')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Connections of a process that is starting again (it crashed or was killed): they are gone. */
export async function removeConnectionsOfProcess(db: Db, processId: string): Promise<string[]> {
  const rows = await db
    .deleteFrom('agent_connections')
    .where('process_id', '=', processId)
    .returning('user_id')
    .execute();
  return [...new Set(rows.map((r) => r.user_id))];
}

export async function onlineUserIds(db: Db, userIds: readonly string[]): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('agent_connections')
    .select('user_id')
    .distinct()
    .where('user_id', '=', sql<string>`ANY(${[...userIds]}::uuid[])`)
    .execute();
  return new Set(rows.map((r) => r.user_id));
}
