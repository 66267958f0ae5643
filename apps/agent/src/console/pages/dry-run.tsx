import { useMemo, useState, type FormEvent } from 'react';
import type { DryRunBody, DryRunResult, Group, Ticket, User } from '@parlour/protocol';
import { api } from '../../api.js';
import { Field, FormStatus, LoadState, PageHeader, useLoad, useSubmit } from '../form-kit.js';
import type { PageProps } from '../sections.js';
import { orderDryRun, outcomeLabel } from './tools-dry-run.js';
import { parseList, ruleEditorPath } from './tools-rule-links.js';
import './tools.css';

const STATUSES = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'];
const PRIORITIES = ['low', 'normal', 'high', 'urgent'];
/** A select's value for "leave as it is" and for "none" (no group, unassigned). */
const SAME = '';
const NONE = '-';

/** The trigger dry run: pick a ticket and a change, see which triggers would fire and why the others would not. */
export default function DryRunPage({ navigate }: PageProps) {
  const tickets = useLoad<{ items: Ticket[] }>('/api/tickets?limit=100');
  const groups = useLoad<Group[]>('/api/groups');
  const users = useLoad<User[]>('/api/users');
  const [filter, setFilter] = useState('');
  const [ticketId, setTicketId] = useState('');
  const [status, setStatus] = useState(SAME);
  const [priority, setPriority] = useState(SAME);
  const [groupId, setGroupId] = useState(SAME);
  const [assigneeId, setAssigneeId] = useState(SAME);
  const [addTags, setAddTags] = useState('');
  const [removeTags, setRemoveTags] = useState('');
  const [commentKind, setCommentKind] = useState<'' | 'public' | 'internal'>('');
  const [commentText, setCommentText] = useState('');
  const [result, setResult] = useState<DryRunResult | null>(null);
  const submission = useSubmit();

  const groupName = (id: string | null) =>
    id === null ? 'no group' : (groups.data?.find((g) => g.id === id)?.name ?? id);
  const userName = (id: string | null) =>
    id === null ? 'unassigned' : (users.data?.find((u) => u.id === id)?.name ?? id);

  const shown = useMemo(() => {
    const needle = filter.trim().toLowerCase().replace(/^#/, '');
    const all = tickets.data?.items ?? [];
    if (!needle) return all;
    return all.filter(
      (t) =>
        String(t.number) === needle ||
        (t.subject ?? '').toLowerCase().includes(needle) ||
        t.tags.some((tag) => tag.includes(needle)),
    );
  }, [tickets.data, filter]);
  const ticket = tickets.data?.items.find((t) => t.id === ticketId) ?? null;

  const run = async (e: FormEvent) => {
    e.preventDefault();
    const change: DryRunBody['change'] = {};
    if (status !== SAME) change.status = status;
    if (priority !== SAME) change.priority = priority;
    if (groupId !== SAME) change.groupId = groupId === NONE ? null : groupId;
    if (assigneeId !== SAME) change.assigneeId = assigneeId === NONE ? null : assigneeId;
    if (parseList(addTags).length) change.addTags = parseList(addTags);
    if (parseList(removeTags).length) change.removeTags = parseList(removeTags);
    if (commentKind) change.comment = { kind: commentKind, text: commentText };
    const body: DryRunBody = { ticketId, change };
    const done = await submission.run(
      () => api<DryRunResult>('POST', '/api/triggers/dry-run', body),
      'Dry run done: nothing was changed',
    );
    setResult(done);
  };

  const claimed = [
    'ticketId',
    'change.status',
    'change.priority',
    'change.groupId',
    'change.assigneeId',
    'change.addTags',
    'change.removeTags',
    'change.comment',
  ];
  // A change the ticket refuses names the ticket's own field (status, tags…).
  const fieldError = (name: string) =>
    submission.fieldError(`change.${name}`) ?? submission.fieldError(name);

  return (
    <div>
      <PageHeader title="Trigger dry run" />
      <p className="muted">
        Pick a ticket and describe a change: see which triggers would fire, in which order, and why
        each other one would not. Nothing is written.
      </p>
      <LoadState
        error={tickets.error ?? groups.error ?? users.error}
        loading={tickets.loading || groups.loading || users.loading}
      />
      <form onSubmit={(e) => void run(e)} aria-label="Dry run">
        <div className="tools-columns">
          <fieldset className="card">
            <legend>Ticket</legend>
            <Field label="Filter by number, subject or tag" name="ticketFilter">
              {(props) => (
                <input
                  {...props}
                  data-testid="dry-run-ticket-filter"
                  value={filter}
                  onChange={(e) => setFilter(e.target.value)}
                />
              )}
            </Field>
            <Field label="Ticket" name="ticketId" error={submission.fieldError('ticketId')}>
              {(props) => (
                <select
                  {...props}
                  data-testid="dry-run-ticket"
                  value={ticketId}
                  onChange={(e) => {
                    setTicketId(e.target.value);
                    setResult(null);
                  }}
                >
                  <option value="">Choose a ticket…</option>
                  {shown.map((t) => (
                    <option key={t.id} value={t.id}>
                      #{t.number} · {t.status} · {t.subject ?? 'no subject'}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            {ticket && (
              <p className="tools-ticket" data-testid="dry-run-ticket-now">
                Now: {ticket.status}, {ticket.priority} priority, {groupName(ticket.groupId)},{' '}
                {userName(ticket.assigneeId)}, {ticket.channel}
                {ticket.tags.length ? `, tags ${ticket.tags.join(', ')}` : ', no tags'}
              </p>
            )}
          </fieldset>
          <fieldset className="card">
            <legend>Change</legend>
            <div className="tools-row">
              <Field label="Status" name="change.status" error={fieldError('status')}>
                {(props) => (
                  <select
                    {...props}
                    data-testid="dry-run-status"
                    value={status}
                    onChange={(e) => setStatus(e.target.value)}
                  >
                    <option value={SAME}>Unchanged</option>
                    {STATUSES.map((s) => (
                      <option key={s} value={s}>
                        {s.replace('_', ' ')}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field label="Priority" name="change.priority" error={fieldError('priority')}>
                {(props) => (
                  <select
                    {...props}
                    data-testid="dry-run-priority"
                    value={priority}
                    onChange={(e) => setPriority(e.target.value)}
                  >
                    <option value={SAME}>Unchanged</option>
                    {PRIORITIES.map((p) => (
                      <option key={p} value={p}>
                        {p}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            </div>
            <div className="tools-row">
              <Field label="Group" name="change.groupId" error={fieldError('groupId')}>
                {(props) => (
                  <select
                    {...props}
                    data-testid="dry-run-group"
                    value={groupId}
                    onChange={(e) => setGroupId(e.target.value)}
                  >
                    <option value={SAME}>Unchanged</option>
                    <option value={NONE}>No group</option>
                    {(groups.data ?? []).map((g) => (
                      <option key={g.id} value={g.id}>
                        {g.name}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field label="Assignee" name="change.assigneeId" error={fieldError('assigneeId')}>
                {(props) => (
                  <select
                    {...props}
                    data-testid="dry-run-assignee"
                    value={assigneeId}
                    onChange={(e) => setAssigneeId(e.target.value)}
                  >
                    <option value={SAME}>Unchanged</option>
                    <option value={NONE}>Unassigned</option>
                    {(users.data ?? [])
                      .filter((u) => u.active)
                      .map((u) => (
                        <option key={u.id} value={u.id}>
                          {u.name}
                        </option>
                      ))}
                  </select>
                )}
              </Field>
            </div>
            <div className="tools-row">
              <Field
                label="Add tags"
                name="change.addTags"
                hint="Comma-separated"
                error={fieldError('addTags')}
              >
                {(props) => (
                  <input
                    {...props}
                    data-testid="dry-run-add-tags"
                    value={addTags}
                    onChange={(e) => setAddTags(e.target.value)}
                  />
                )}
              </Field>
              <Field label="Remove tags" name="change.removeTags" error={fieldError('removeTags')}>
                {(props) => (
                  <input
                    {...props}
                    data-testid="dry-run-remove-tags"
                    value={removeTags}
                    onChange={(e) => setRemoveTags(e.target.value)}
                  />
                )}
              </Field>
            </div>
            <div className="tools-row">
              <Field
                label="With a comment"
                name="change.comment.kind"
                error={fieldError('comment')}
              >
                {(props) => (
                  <select
                    {...props}
                    data-testid="dry-run-comment-kind"
                    value={commentKind}
                    onChange={(e) => setCommentKind(e.target.value as typeof commentKind)}
                  >
                    <option value="">No comment</option>
                    <option value="public">Public reply</option>
                    <option value="internal">Internal note</option>
                  </select>
                )}
              </Field>
              {commentKind && (
                <Field label="Comment text" name="change.comment.text">
                  {(props) => (
                    <input
                      {...props}
                      data-testid="dry-run-comment-text"
                      value={commentText}
                      onChange={(e) => setCommentText(e.target.value)}
                    />
                  )}
                </Field>
              )}
            </div>
          </fieldset>
        </div>
        <button
          type="submit"
          className="primary"
          data-testid="dry-run-run"
          disabled={submission.busy || ticketId === ''}
        >
          Run dry run
        </button>
      </form>
      <FormStatus submission={submission} claimed={claimed} />
      {result && <Outcome result={result} navigate={navigate} />}
    </div>
  );
}

function Outcome({ result, navigate }: { result: DryRunResult; navigate: (p: string) => void }) {
  const { fired, notFired } = orderDryRun(result);
  const link = (id: string, name: string) => {
    const path = ruleEditorPath('trigger', id);
    return (
      <a
        href={path}
        onClick={(e) => {
          e.preventDefault();
          navigate(path);
        }}
      >
        {name}
      </a>
    );
  };
  return (
    <section className="tools-results" data-testid="dry-run-results" aria-live="polite">
      <h3>Would fire, in this order ({fired.length})</h3>
      {fired.length === 0 ? (
        <p className="muted" data-testid="dry-run-none-fired">
          No trigger would fire on this change.
        </p>
      ) : (
        <ol className="tools-list" data-testid="dry-run-fired">
          {fired.map((t, i) => (
            <li
              key={t.triggerId}
              data-testid="dry-run-trigger"
              data-name={t.name}
              data-outcome="fired"
            >
              <strong>{i + 1}.</strong> {link(t.triggerId, t.name)}
              <span className="tools-badge fired">fires{t.pass ? ` (pass ${t.pass})` : ''}</span>
              <Details lines={t.detail} />
            </li>
          ))}
        </ol>
      )}
      <h3>Would not fire ({notFired.length})</h3>
      {notFired.length === 0 ? (
        <p className="muted">Every trigger would fire.</p>
      ) : (
        <ul className="tools-list" data-testid="dry-run-not-fired">
          {notFired.map((t) => (
            <li
              key={t.triggerId}
              data-testid="dry-run-trigger"
              data-name={t.name}
              data-outcome={t.outcome}
            >
              {link(t.triggerId, t.name)}
              <span className="tools-badge not-fired">{outcomeLabel(t.outcome)}</span>
              <Details lines={t.detail} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Details({ lines }: { lines: readonly string[] }) {
  if (lines.length === 0) return null;
  return (
    <ul>
      {lines.map((line, i) => {
        const kind = line.startsWith('fails:') ? 'fails' : line.startsWith('holds:') ? 'holds' : '';
        return (
          <li
            key={i}
            className={`tools-detail ${kind}`}
            data-testid="dry-run-reason"
            data-kind={kind}
          >
            {line}
          </li>
        );
      })}
    </ul>
  );
}
