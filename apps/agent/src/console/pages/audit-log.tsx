import { useEffect, useState, type FormEvent } from 'react';
import { api, query } from '../../api.js';
import { Field, FormStatus, LoadState, PageHeader, useSubmit } from '../form-kit.js';
import type { PageProps } from '../sections.js';
import { EmptyRow, formatTime, useUsers } from './content-kit.js';
import './content.css';

/** GET /api/audit-log's entries (the route declares the shape; the protocol has no type yet). */
interface AuditEntry {
  id: string;
  at: string;
  actor: { type: 'user' | 'end_user'; id: string; role: string | null };
  action: string;
  resource: string | null;
  changes: unknown;
  ip: string | null;
  userAgent: string | null;
  status: number;
}
interface AuditPage {
  entries: AuditEntry[];
  nextCursor: string | null;
}

interface Filters {
  actorId: string;
  action: string;
  since: string;
  until: string;
}
const NO_FILTERS: Filters = { actorId: '', action: '', since: '', until: '' };

/** datetime-local text (local time) as an ISO timestamp; '' stays ''. */
function isoOf(local: string): string {
  if (!local) return '';
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? local : d.toISOString();
}

/** Parameters as a readable line: {"reasonId":"…"} → reasonId …. */
function resourceText(resource: string | null): string {
  if (!resource) return '—';
  try {
    const parsed = JSON.parse(resource) as unknown;
    if (parsed && typeof parsed === 'object')
      return Object.entries(parsed as Record<string, unknown>)
        .map(([k, v]) => `${k} ${String(v)}`)
        .join(', ');
  } catch {
    // a plain resource name
  }
  return resource;
}

/** Who changed what, when and from where — newest first, filtered, a page at a time. */
export default function AuditLogPage(_props: PageProps) {
  const users = useUsers();
  const [draft, setDraft] = useState<Filters>(NO_FILTERS);
  const [applied, setApplied] = useState<Filters>(NO_FILTERS);
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const load = useSubmit();

  const path = (after: string | null) =>
    `/api/audit-log${query({
      actorId: applied.actorId,
      action: applied.action.trim(),
      since: isoOf(applied.since),
      until: isoOf(applied.until),
      cursor: after,
      limit: 50,
    })}`;

  useEffect(() => {
    let live = true;
    setEntries(null);
    void load
      .run(() => api<AuditPage>('GET', path(null)), '')
      .then((page) => {
        if (!live || !page) return;
        setEntries(page.entries);
        setCursor(page.nextCursor);
      });
    return () => {
      live = false;
    };
    // path() reads `applied`; a new filter or a refresh (tick) loads the first page again.
  }, [applied, tick]);

  const more = async () => {
    const page = await load.run(() => api<AuditPage>('GET', path(cursor)), '');
    if (!page) return;
    setEntries((before) => [...(before ?? []), ...page.entries]);
    setCursor(page.nextCursor);
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setApplied(draft);
    setTick((t) => t + 1);
  };

  const actorName = (a: AuditEntry['actor']) =>
    a.type === 'end_user' ? `Customer ${a.id.slice(0, 8)}…` : users.nameOf(a.id);

  return (
    <div className="content-page" data-testid="audit-log-page">
      <PageHeader title="Audit log" />
      <p className="muted">
        Every change to the configuration and every refused attempt (status 403), newest first.
        Secrets are shown as <code>[secret]</code> and card data masked.
      </p>
      <form
        className="card filters audit-filters"
        onSubmit={submit}
        aria-label="Filter the audit log"
        data-testid="audit-filters"
      >
        <Field label="Who" name="actorId" error={load.fieldError('actorId')}>
          {(p) => (
            <select
              {...p}
              value={draft.actorId}
              onChange={(e) => setDraft({ ...draft, actorId: e.target.value })}
              data-testid="audit-actor"
            >
              <option value="">Anyone</option>
              {users.users.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name} ({u.role})
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Action" name="action" error={load.fieldError('action')}>
          {(p) => (
            <input
              {...p}
              type="text"
              value={draft.action}
              placeholder="e.g. PATCH /api/settings"
              onChange={(e) => setDraft({ ...draft, action: e.target.value })}
              data-testid="audit-action"
            />
          )}
        </Field>
        <Field label="From" name="since" error={load.fieldError('since')}>
          {(p) => (
            <input
              {...p}
              type="datetime-local"
              value={draft.since}
              onChange={(e) => setDraft({ ...draft, since: e.target.value })}
              data-testid="audit-since"
            />
          )}
        </Field>
        <Field label="Until" name="until" error={load.fieldError('until')}>
          {(p) => (
            <input
              {...p}
              type="datetime-local"
              value={draft.until}
              onChange={(e) => setDraft({ ...draft, until: e.target.value })}
              data-testid="audit-until"
            />
          )}
        </Field>
        <div className="form-actions filter-actions">
          <button type="submit" className="primary" data-testid="audit-apply">
            Show
          </button>
          <button
            type="button"
            onClick={() => {
              setDraft(NO_FILTERS);
              setApplied(NO_FILTERS);
            }}
          >
            Clear
          </button>
        </div>
      </form>
      <FormStatus
        submission={{ ...load, done: null }}
        claimed={['actorId', 'action', 'since', 'until']}
      />
      <LoadState error={null} loading={entries === null && load.busy} />
      <table data-testid="audit-table">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">Action</th>
            <th scope="col">On</th>
            <th scope="col">Result</th>
            <th scope="col">Changes</th>
            <th scope="col">From</th>
          </tr>
        </thead>
        <tbody>
          {entries?.length === 0 && <EmptyRow colSpan={7}>No entries match.</EmptyRow>}
          {entries?.map((e) => (
            <tr key={e.id} data-testid="audit-row" data-action={e.action}>
              <td>{formatTime(e.at)}</td>
              <td>
                {actorName(e.actor)}
                {e.actor.role && <span className="muted"> ({e.actor.role})</span>}
              </td>
              <td>
                <code data-testid="audit-row-action">{e.action}</code>
              </td>
              <td className="clip">{resourceText(e.resource)}</td>
              <td>
                {e.status === 403 ? (
                  <span className="badge badge-failed">refused</span>
                ) : (
                  <span className="badge">{e.status}</span>
                )}
              </td>
              <td>
                {e.changes === null || e.changes === undefined ? (
                  '—'
                ) : (
                  <pre className="changes" data-testid="audit-row-changes">
                    {JSON.stringify(e.changes, null, 1)}
                  </pre>
                )}
              </td>
              <td title={e.userAgent ?? undefined}>{e.ip ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {cursor && (
        <button
          type="button"
          onClick={() => void more()}
          disabled={load.busy}
          data-testid="audit-more"
        >
          Older entries
        </button>
      )}
    </div>
  );
}
