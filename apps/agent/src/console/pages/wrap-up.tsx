import { useState, type FormEvent } from 'react';
import type { WrapUpReason } from '@parlour/protocol';
import { api } from '../../api.js';
import { Field, FormStatus, LoadState, PageHeader, useLoad, useSubmit } from '../form-kit.js';
import type { PageProps } from '../sections.js';
import { ConfirmButton, EmptyRow, StatusBadge } from './content-kit.js';
import './content.css';

/** One reason's row: rename and reorder in place, retire or restore, delete. */
function ReasonRow({
  reason,
  onChanged,
}: {
  reason: WrapUpReason;
  onChanged: (note?: string) => void;
}) {
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(reason.name);
  const [position, setPosition] = useState(String(reason.position));
  const form = useSubmit();

  const save = async (e: FormEvent) => {
    e.preventDefault();
    const saved = await form.run(() =>
      api<WrapUpReason>('PATCH', `/api/wrap-up-reasons/${reason.id}`, {
        name,
        position: Number(position),
      }),
    );
    if (saved) {
      setEditing(false);
      onChanged();
    }
  };
  const setActive = async (active: boolean) => {
    const saved = await form.run(
      () => api<WrapUpReason>('PATCH', `/api/wrap-up-reasons/${reason.id}`, { active }),
      active ? 'Restored' : 'Retired',
    );
    if (saved) onChanged();
  };
  const remove = async () => {
    const result = await form.run(() =>
      api<{ outcome: 'deleted' | 'deactivated' }>('DELETE', `/api/wrap-up-reasons/${reason.id}`),
    );
    if (result)
      onChanged(
        result.outcome === 'deactivated'
          ? `"${reason.name}" is on tickets already, so it was retired instead of deleted.`
          : `Deleted "${reason.name}".`,
      );
  };

  return (
    <tr data-testid="wrap-up-row" data-id={reason.id}>
      {editing ? (
        <td colSpan={3}>
          <form
            className="inline-form"
            onSubmit={(e) => void save(e)}
            aria-label={`Edit ${reason.name}`}
          >
            <Field label="Name" name="name" error={form.fieldError('name')}>
              {(p) => (
                <input
                  {...p}
                  type="text"
                  value={name}
                  onChange={(e) => setName(e.target.value)}
                  data-testid="wrap-up-edit-name"
                />
              )}
            </Field>
            <Field label="Position" name="position" error={form.fieldError('position')}>
              {(p) => (
                <input
                  {...p}
                  type="number"
                  value={position}
                  onChange={(e) => setPosition(e.target.value)}
                  data-testid="wrap-up-edit-position"
                />
              )}
            </Field>
            <div className="form-actions">
              <button
                type="submit"
                className="primary"
                disabled={form.busy}
                data-testid="wrap-up-save"
              >
                Save
              </button>
              <button type="button" onClick={() => setEditing(false)}>
                Cancel
              </button>
            </div>
            <FormStatus submission={form} claimed={['name', 'position']} />
          </form>
        </td>
      ) : (
        <>
          <td data-testid="wrap-up-name">{reason.name}</td>
          <td>{reason.position}</td>
          <td>
            <StatusBadge status={reason.active ? 'active' : 'inactive'} />
          </td>
        </>
      )}
      <td>
        <div className="row-actions">
          {!editing && (
            <button
              type="button"
              onClick={() => {
                form.clear();
                setName(reason.name);
                setPosition(String(reason.position));
                setEditing(true);
              }}
              data-testid="wrap-up-edit"
            >
              Edit
            </button>
          )}
          <button
            type="button"
            onClick={() => void setActive(!reason.active)}
            data-testid={reason.active ? 'wrap-up-retire' : 'wrap-up-restore'}
          >
            {reason.active ? 'Retire' : 'Restore'}
          </button>
          <ConfirmButton
            label="Delete"
            question={`Delete "${reason.name}"?`}
            onConfirm={() => void remove()}
            testid="wrap-up-delete"
          />
        </div>
        {!editing && <FormStatus submission={form} />}
      </td>
    </tr>
  );
}

/** Wrap-up reasons: why chats ended, picked by agents when they end one. */
export default function WrapUpPage(_props: PageProps) {
  const list = useLoad<WrapUpReason[]>('/api/wrap-up-reasons');
  const [name, setName] = useState('');
  const create = useSubmit();
  const [note, setNote] = useState<string | null>(null);
  const changed = (text?: string) => {
    setNote(text ?? null);
    list.reload();
  };

  const add = async (e: FormEvent) => {
    e.preventDefault();
    const created = await create.run(
      () => api<WrapUpReason>('POST', '/api/wrap-up-reasons', { name }),
      'Reason added',
    );
    if (created) {
      setName('');
      list.reload();
    }
  };

  return (
    <div className="content-page" data-testid="wrap-up-page">
      <PageHeader title="Wrap-up reasons" />
      <p className="muted">
        Agents pick one or more when they end a chat. Retired reasons stay on the tickets that carry
        them but are no longer offered; a reason in use is retired instead of deleted.
      </p>
      <form
        className="card"
        onSubmit={(e) => void add(e)}
        aria-label="New wrap-up reason"
        data-testid="wrap-up-form"
      >
        <Field label="New reason" name="name" error={create.fieldError('name')}>
          {(p) => (
            <input
              {...p}
              type="text"
              value={name}
              onChange={(e) => setName(e.target.value)}
              data-testid="wrap-up-name-input"
            />
          )}
        </Field>
        <div className="form-actions">
          <button
            type="submit"
            className="primary"
            disabled={create.busy}
            data-testid="wrap-up-add"
          >
            Add reason
          </button>
          <FormStatus submission={create} claimed={['name']} />
        </div>
      </form>
      <LoadState error={list.error} loading={list.loading && !list.data} />
      {note && (
        <p className="ok" role="status" data-testid="wrap-up-note">
          {note}
        </p>
      )}
      <table data-testid="wrap-up-table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Position</th>
            <th scope="col">State</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {list.data?.length === 0 && <EmptyRow colSpan={4}>No wrap-up reasons yet.</EmptyRow>}
          {list.data?.map((r) => (
            <ReasonRow
              key={`${r.id}:${r.name}:${r.position}:${r.active}`}
              reason={r}
              onChanged={changed}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}
