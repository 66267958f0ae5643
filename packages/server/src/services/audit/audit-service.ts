import { DomainError } from '@parlour/core';
import { insertAuditEntry, listAuditEntries, type NewAuditEntry } from '@parlour/storage';
import type { ServiceContext } from '../context.js';

export interface AuditQuery {
  readonly actorId?: string;
  readonly action?: string;
  readonly since?: string;
  readonly until?: string;
  readonly cursor?: string;
  readonly limit?: number;
}

export interface AuditEntryView {
  readonly id: string;
  readonly at: string;
  readonly actor: {
    readonly type: 'user' | 'end_user';
    readonly id: string;
    readonly role: string | null;
  };
  readonly action: string;
  readonly resource: string | null;
  readonly changes: unknown;
  readonly ip: string | null;
  readonly userAgent: string | null;
  readonly status: number;
}

export interface AuditPage {
  readonly entries: AuditEntryView[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  readonly nextCursor: string | null;
}

/**
 * The audit log's use cases: record an entry after a response went out (never failing or
 * delaying the request it describes), and read it back newest first.
 */
export class AuditService {
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly ctx: ServiceContext) {}

  /** Appends an entry in the background; a failed write is logged, the caller is not held up. */
  record(entry: Omit<NewAuditEntry, 'at'>): void {
    const write = insertAuditEntry(this.ctx.database.db, { ...entry, at: this.ctx.clock.now() })
      .catch((err: unknown) =>
        this.ctx.logger.error({ err, action: entry.action }, 'writing the audit log failed'),
      )
      .finally(() => this.pending.delete(write));
    this.pending.add(write);
  }

  /** Resolves when every entry recorded so far is written (tests; shutting down). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  async list(query: AuditQuery): Promise<AuditPage> {
    const limit = query.limit ?? 50;
    const beforeId = query.cursor === undefined ? undefined : cursorId(query.cursor);
    const rows = await listAuditEntries(this.ctx.database.db, {
      ...(query.actorId !== undefined ? { actorId: query.actorId } : {}),
      ...(query.action !== undefined ? { action: query.action } : {}),
      ...(query.since !== undefined ? { since: new Date(query.since) } : {}),
      ...(query.until !== undefined ? { until: new Date(query.until) } : {}),
      ...(beforeId !== undefined ? { beforeId } : {}),
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    return {
      entries: page.map((row) => ({
        id: String(row.id),
        at: row.at.toISOString(),
        actor: { type: row.actorType, id: row.actorId, role: row.actorRole },
        action: row.action,
        resource: row.resource,
        changes: row.changes,
        ip: row.ip,
        userAgent: row.userAgent,
        status: row.status,
      })),
      nextCursor: rows.length > limit ? String(page[page.length - 1]!.id) : null,
    };
  }
}

function cursorId(cursor: string): number {
  const id = Number(cursor);
  if (!/^[1-9][0-9]{0,15}$/.test(cursor) || !Number.isSafeInteger(id))
    throw new DomainError('validation/invalid', 'This cursor is not one a page returned', 'cursor');
  return id;
}
