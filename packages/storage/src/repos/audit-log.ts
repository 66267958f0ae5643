import type { Selectable } from 'kysely';
import type { Db } from '../database.js';
import type { AuditLogTable } from '../schema.js';

export interface StoredAuditEntry {
  readonly id: number;
  readonly at: Date;
  readonly actorType: 'user' | 'end_user';
  readonly actorId: string;
  readonly actorRole: string | null;
  /** The route called, e.g. `PATCH /api/settings`. */
  readonly action: string;
  /** What it acted on: the route's parameters as JSON, or its resource name (`settings`). */
  readonly resource: string | null;
  /** The request body with secrets and card data taken out; null when there was none. */
  readonly changes: unknown;
  readonly ip: string | null;
  readonly userAgent: string | null;
  /** The HTTP status it got (a 403 is an attempt that was refused). */
  readonly status: number;
}

export type NewAuditEntry = Omit<StoredAuditEntry, 'id'>;

export interface AuditLogFilter {
  readonly actorId?: string;
  readonly action?: string;
  readonly since?: Date;
  readonly until?: Date;
  /** Entries older than this id (the last id of the previous page). */
  readonly beforeId?: number;
  readonly limit: number;
}

function toEntry(row: Selectable<AuditLogTable>): StoredAuditEntry {
  return {
    id: row.id,
    at: row.at,
    actorType: row.actor_type,
    actorId: row.actor_id,
    actorRole: row.actor_role,
    action: row.action,
    resource: row.resource,
    changes: row.changes,
    ip: row.ip,
    userAgent: row.user_agent,
    status: row.status,
  };
}

/** Appends one entry; the table refuses updates and deletes. */
export async function insertAuditEntry(db: Db, entry: NewAuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      at: entry.at,
      actor_type: entry.actorType,
      actor_id: entry.actorId,
      actor_role: entry.actorRole,
      action: entry.action,
      resource: entry.resource,
      changes: entry.changes === undefined ? null : JSON.stringify(entry.changes),
      ip: entry.ip,
      user_agent: entry.userAgent,
      status: entry.status,
    })
    .execute();
}

/** Newest first (by id: the order entries were recorded), one page at a time. */
export async function listAuditEntries(
  db: Db,
  filter: AuditLogFilter,
): Promise<StoredAuditEntry[]> {
  let query = db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(filter.limit);
  if (filter.actorId !== undefined) query = query.where('actor_id', '=', filter.actorId);
  if (filter.action !== undefined) query = query.where('action', '=', filter.action);
  if (filter.since !== undefined) query = query.where('at', '>=', filter.since);
  if (filter.until !== undefined) query = query.where('at', '<', filter.until);
  if (filter.beforeId !== undefined) query = query.where('id', '<', filter.beforeId);
  return (await query.execute()).map(toEntry);
}
