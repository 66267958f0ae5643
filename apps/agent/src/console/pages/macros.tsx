import { useState, type FormEvent } from 'react';
import type { Macro } from '@parlour/protocol';
import { api } from '../../api.js';
import { Field, FormStatus, LoadState, PageHeader, useLoad, useSubmit } from '../form-kit.js';
import type { PageProps } from '../sections.js';
import { ConfirmButton, EmptyRow, StatusBadge, useGroups, useUsers } from './content-kit.js';
import {
  ActionsEditor,
  actionOfDraft,
  describeAction,
  draftOfAction,
  type ActionDraft,
} from './content-macro-actions.js';
import './content.css';

interface Draft {
  title: string;
  body: string;
  bodyKind: 'public' | 'internal';
  actions: ActionDraft[];
  shared: boolean;
  active: boolean;
  position: string;
}

const EMPTY: Draft = {
  title: '',
  body: '',
  bodyKind: 'public',
  actions: [],
  shared: true,
  active: true,
  position: '0',
};

function draftOf(m: Macro): Draft {
  return {
    title: m.title,
    body: m.body ?? '',
    bodyKind: m.bodyKind,
    actions: m.actions.map(draftOfAction),
    shared: m.shared,
    active: m.active,
    position: String(m.position),
  };
}

/** Macros: standard text plus ticket changes an agent applies in one step. */
export default function MacrosPage(_props: PageProps) {
  const list = useLoad<Macro[]>('/api/macros');
  const groups = useGroups();
  const users = useUsers();
  const [editing, setEditing] = useState<string | 'new' | null>(null);
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const form = useSubmit();
  const rowAction = useSubmit();

  const open = (target: Macro | 'new') => {
    form.clear();
    setEditing(target === 'new' ? 'new' : target.id);
    setDraft(target === 'new' ? EMPTY : draftOf(target));
  };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    const common = {
      title: draft.title,
      body: draft.body.trim() === '' ? null : draft.body,
      bodyKind: draft.bodyKind,
      actions: draft.actions.map(actionOfDraft),
      active: draft.active,
      position: Number(draft.position),
    };
    const saved = await form.run(
      () =>
        editing === 'new'
          ? api<Macro>('POST', '/api/macros', { ...common, shared: draft.shared })
          : api<Macro>('PATCH', `/api/macros/${editing}`, common),
      editing === 'new' ? 'Macro created' : 'Macro saved',
    );
    if (saved) {
      setEditing(null);
      list.reload();
    }
  };

  const remove = async (m: Macro) => {
    const ok = await rowAction.run(
      () => api('DELETE', `/api/macros/${m.id}`),
      `Deleted "${m.title}"`,
    );
    if (ok !== null) list.reload();
  };

  return (
    <div className="content-page" data-testid="macros-page">
      <PageHeader title="Macros">
        <button
          type="button"
          className="primary"
          onClick={() => open('new')}
          data-testid="macro-new"
        >
          New macro
        </button>
      </PageHeader>
      <p className="muted">
        A macro inserts standard text (placeholders such as{' '}
        <code>{'{{requester.first_name}}'}</code> are filled in) and changes the ticket&apos;s
        fields in one step. Shared macros are offered to everyone; personal ones only to their
        owner.
      </p>

      {editing !== null && (
        <form
          className="card"
          onSubmit={(e) => void save(e)}
          aria-label="Macro"
          data-testid="macro-form"
        >
          <h3>{editing === 'new' ? 'New macro' : 'Edit macro'}</h3>
          <Field label="Title" name="title" error={form.fieldError('title')}>
            {(p) => (
              <input
                {...p}
                type="text"
                value={draft.title}
                onChange={(e) => setDraft({ ...draft, title: e.target.value })}
                data-testid="macro-title"
              />
            )}
          </Field>
          <Field
            label="Standard text"
            name="body"
            error={form.fieldError('body')}
            hint="Leave empty for a macro that only changes the ticket"
          >
            {(p) => (
              <textarea
                {...p}
                value={draft.body}
                onChange={(e) => setDraft({ ...draft, body: e.target.value })}
                data-testid="macro-body"
              />
            )}
          </Field>
          <Field label="The text is" name="bodyKind" error={form.fieldError('bodyKind')}>
            {(p) => (
              <select
                {...p}
                value={draft.bodyKind}
                onChange={(e) =>
                  setDraft({ ...draft, bodyKind: e.target.value as Draft['bodyKind'] })
                }
                data-testid="macro-body-kind"
              >
                <option value="public">A public reply</option>
                <option value="internal">An internal note</option>
              </select>
            )}
          </Field>
          <ActionsEditor
            actions={draft.actions}
            onChange={(actions) => setDraft({ ...draft, actions })}
            fieldError={form.fieldError}
            groups={groups.groups}
            users={users.users}
          />
          <Field
            label="Position"
            name="position"
            error={form.fieldError('position')}
            hint="Lower comes first"
          >
            {(p) => (
              <input
                {...p}
                type="number"
                value={draft.position}
                onChange={(e) => setDraft({ ...draft, position: e.target.value })}
                data-testid="macro-position"
              />
            )}
          </Field>
          {editing === 'new' && (
            <label className="check">
              <input
                type="checkbox"
                checked={draft.shared}
                onChange={(e) => setDraft({ ...draft, shared: e.target.checked })}
                data-testid="macro-shared"
              />
              Shared with everyone (otherwise only yours)
            </label>
          )}
          <label className="check">
            <input
              type="checkbox"
              checked={draft.active}
              onChange={(e) => setDraft({ ...draft, active: e.target.checked })}
              data-testid="macro-active"
            />
            Active (offered to agents)
          </label>
          <div className="form-actions">
            <button type="submit" className="primary" disabled={form.busy} data-testid="macro-save">
              Save
            </button>
            <button type="button" onClick={() => setEditing(null)}>
              Cancel
            </button>
          </div>
          <FormStatus
            submission={form}
            claimed={['title', 'body', 'bodyKind', 'actions', 'position']}
          />
        </form>
      )}
      {editing === null && <FormStatus submission={form} />}

      <LoadState error={list.error} loading={list.loading && !list.data} />
      <FormStatus submission={rowAction} />
      <table data-testid="macros-table">
        <thead>
          <tr>
            <th scope="col">Title</th>
            <th scope="col">Text</th>
            <th scope="col">Actions on the ticket</th>
            <th scope="col">For</th>
            <th scope="col">State</th>
            <th scope="col">
              <span className="visually-hidden">Row actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {list.data?.length === 0 && (
            <EmptyRow colSpan={6}>No macros yet: create the first one.</EmptyRow>
          )}
          {list.data?.map((m) => (
            <tr key={m.id} data-testid="macro-row" data-id={m.id}>
              <td>{m.title}</td>
              <td className="clip">
                {m.body ?? <span className="muted">—</span>}
                {m.body && m.bodyKind === 'internal' && (
                  <span className="muted"> (internal note)</span>
                )}
              </td>
              <td>
                {m.actions.length === 0 ? (
                  '—'
                ) : (
                  <ul className="plain">
                    {m.actions.map((a, i) => (
                      <li key={i}>{describeAction(a, groups.nameOf, users.nameOf)}</li>
                    ))}
                  </ul>
                )}
              </td>
              <td>{m.shared ? 'Everyone' : `Personal (${users.nameOf(m.ownerId)})`}</td>
              <td>
                <StatusBadge status={m.active ? 'active' : 'inactive'} />
              </td>
              <td>
                <div className="row-actions">
                  <button type="button" onClick={() => open(m)} data-testid="macro-edit">
                    Edit
                  </button>
                  <ConfirmButton
                    label="Delete"
                    question={`Delete "${m.title}"?`}
                    onConfirm={() => void remove(m)}
                    testid="macro-delete"
                  />
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
