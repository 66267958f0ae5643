import { useState } from 'react';
import type { AgentPresence, AgentStatus } from '@parlour/protocol';
import { api } from '../../api.js';
import { Field, FormStatus, LoadState, PageHeader, useLoad, useSubmit } from '../form-kit.js';
import type { PageProps } from '../sections.js';
import { Chip, ConfirmButton, EmptyState, PeopleTable } from './people-kit.js';

interface IdleReason {
  readonly id: string;
  readonly name: string;
  readonly active: boolean;
}

const STATUSES: readonly { status: AgentStatus; label: string; text: string }[] = [
  {
    status: 'available',
    label: 'Available',
    text: 'Receives offers while there is spare capacity in the ticket’s channel.',
  },
  {
    status: 'idle',
    label: 'Idle',
    text: 'Online but takes no new offers; the agent picks one of the idle reasons below. Pending offers are withdrawn.',
  },
  {
    status: 'rona',
    label: 'RONA',
    text: 'Redirection on no answer: an offer ran out. No new offers until the agent sets Available (or Idle) again.',
  },
  {
    status: 'offline',
    label: 'Offline',
    text: 'Set by the agent, or by Parlour after the presence grace period once the last window closed. Live chats go back to the queue.',
  },
];

/** The agent statuses explained, who is in each now, and the idle reasons agents choose from. */
export default function StatusesPage(_props: PageProps) {
  const reasons = useLoad<IdleReason[]>('/api/idle-reasons');
  const agents = useLoad<AgentPresence[]>('/api/agents');
  const create = useSubmit();
  const [name, setName] = useState('');

  const count = (status: AgentStatus) =>
    (agents.data ?? []).filter((a) => a.status === status).length;
  const usedBy = (reasonId: string) =>
    (agents.data ?? []).filter((a) => a.status === 'idle' && a.idleReasonId === reasonId).length;

  return (
    <div data-testid="statuses-page">
      <PageHeader title="Statuses and idle reasons" />
      <section aria-label="Agent statuses" className="people-statuses" data-testid="status-list">
        {STATUSES.map((s) => (
          <article key={s.status} className="people-status" data-testid={`status-${s.status}`}>
            <h3>
              <span className={`dot dot-${s.status}`} aria-hidden="true" />
              {s.label}
              {agents.data && (
                <span className="people-count">
                  {count(s.status)} {count(s.status) === 1 ? 'agent' : 'agents'} now
                </span>
              )}
            </h3>
            <p>{s.text}</p>
          </article>
        ))}
      </section>

      <h3 className="people-section-title">Idle reasons</h3>
      <p className="people-intro">
        Agents choose a reason when they go Idle; reports count the time per reason. Retire a reason
        instead of deleting it: past status changes keep their reason.
      </p>
      <form
        className="card people-inline"
        noValidate
        aria-label="New idle reason"
        data-testid="idle-reason-create"
        onSubmit={(e) => {
          e.preventDefault();
          void create
            .run(() => api<IdleReason>('POST', '/api/idle-reasons', { name }), 'Idle reason added')
            .then((made) => {
              if (!made) return;
              setName('');
              reasons.reload();
            });
        }}
      >
        <div>
          <Field label="New idle reason" name="name" error={create.fieldError('name')}>
            {(p) => (
              <input
                {...p}
                value={name}
                placeholder="e.g. Lunch, Training, Back office"
                data-testid="idle-reason-name"
                onChange={(e) => setName(e.target.value)}
              />
            )}
          </Field>
        </div>
        <div className="people-form-buttons">
          <button type="submit" className="primary" disabled={create.busy}>
            Add idle reason
          </button>
          <FormStatus submission={create} claimed={['name']} />
        </div>
      </form>

      <LoadState error={reasons.error} loading={reasons.loading && !reasons.data} />
      {reasons.data && reasons.data.length === 0 && (
        <EmptyState title="No idle reasons" testId="idle-reasons-empty">
          Agents can still go Idle, without a reason.
        </EmptyState>
      )}
      {reasons.data && reasons.data.length > 0 && (
        <PeopleTable label="Idle reasons" testId="idle-reasons-table">
          <thead>
            <tr>
              <th scope="col">Reason</th>
              <th scope="col">State</th>
              <th scope="col">Idle with it now</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {reasons.data.map((r) => (
              <ReasonRow key={r.id} reason={r} idleNow={usedBy(r.id)} onChanged={reasons.reload} />
            ))}
          </tbody>
        </PeopleTable>
      )}
    </div>
  );
}

function ReasonRow({
  reason,
  idleNow,
  onChanged,
}: {
  reason: IdleReason;
  idleNow: number;
  onChanged: () => void;
}) {
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(reason.name);
  const rename = useSubmit();
  const toggle = useSubmit();
  const patch = (body: { name?: string; active?: boolean }) =>
    api<IdleReason>('PATCH', `/api/idle-reasons/${reason.id}`, body);
  return (
    <tr
      data-testid="idle-reason-row"
      data-reason-id={reason.id}
      className={reason.active ? '' : 'people-inactive'}
    >
      <td>
        {editing ? (
          <form
            noValidate
            aria-label={`Rename ${reason.name}`}
            onSubmit={(e) => {
              e.preventDefault();
              void rename
                .run(() => patch({ name }), 'Renamed')
                .then((done) => {
                  if (!done) return;
                  setEditing(false);
                  onChanged();
                });
            }}
          >
            <Field label="Name" name="name" error={rename.fieldError('name')}>
              {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} />}
            </Field>
            <div className="people-form-buttons">
              <button type="submit" className="primary" disabled={rename.busy}>
                Save
              </button>
              <button
                type="button"
                onClick={() => {
                  setEditing(false);
                  setName(reason.name);
                  rename.clear();
                }}
              >
                Cancel
              </button>
              <FormStatus submission={rename} claimed={['name']} />
            </div>
          </form>
        ) : (
          <strong>{reason.name}</strong>
        )}
      </td>
      <td>
        {reason.active ? (
          <Chip>Offered to agents</Chip>
        ) : (
          <Chip className="people-off">Retired</Chip>
        )}
      </td>
      <td>{idleNow}</td>
      <td className="people-actions">
        {!editing && (
          <button
            type="button"
            onClick={() => setEditing(true)}
            aria-label={`Rename ${reason.name}`}
          >
            Rename
          </button>
        )}
        {reason.active ? (
          <ConfirmButton
            label="Retire"
            accessibleName={`Retire ${reason.name}`}
            question="Agents will no longer see it. Retire?"
            confirmLabel="Retire reason"
            testId="idle-reason-retire"
            onConfirm={() =>
              toggle.run(() => patch({ active: false })).then((done) => done && onChanged())
            }
          />
        ) : (
          <button
            type="button"
            data-testid="idle-reason-restore"
            onClick={() =>
              void toggle.run(() => patch({ active: true })).then((done) => done && onChanged())
            }
          >
            Restore
          </button>
        )}
        {toggle.error && (
          <p className="people-field-error" role="alert">
            {toggle.error.message}
          </p>
        )}
      </td>
    </tr>
  );
}
