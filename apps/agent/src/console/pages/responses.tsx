import { useState, type FormEvent } from 'react';
import type { PredefinedResponse, RenderedResponse } from '@parlour/protocol';
import { api, query } from '../../api.js';
import { Field, FormStatus, LoadState, PageHeader, useLoad, useSubmit } from '../form-kit.js';
import type { PageProps } from '../sections.js';
import { ConfirmButton, EmptyRow, formatTime, useGroups } from './content-kit.js';
import './content.css';

interface Draft {
  title: string;
  shortcut: string;
  body: string;
  groupId: string;
}

const EMPTY: Draft = { title: '', shortcut: '', body: '', groupId: '' };

function draftOf(r: PredefinedResponse): Draft {
  return { title: r.title, shortcut: r.shortcut ?? '', body: r.body, groupId: r.groupId ?? '' };
}

/** Predefined chat responses: what agents insert by title or shortcut, placeholders filled in. */
export default function ResponsesPage(_props: PageProps) {
  const [q, setQ] = useState('');
  const list = useLoad<RenderedResponse[]>(`/api/responses${query({ q, limit: 100 })}`);
  const { groups, nameOf } = useGroups();
  const [editing, setEditing] = useState<string | 'new' | null>(null);
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const form = useSubmit();
  const rowAction = useSubmit();

  const open = (target: PredefinedResponse | 'new') => {
    form.clear();
    setEditing(target === 'new' ? 'new' : target.id);
    setDraft(target === 'new' ? EMPTY : draftOf(target));
  };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    const body = {
      title: draft.title,
      shortcut: draft.shortcut.trim() === '' ? null : draft.shortcut.trim(),
      body: draft.body,
      groupId: draft.groupId === '' ? null : draft.groupId,
    };
    const saved = await form.run(
      () =>
        editing === 'new'
          ? api<PredefinedResponse>('POST', '/api/responses', body)
          : api<PredefinedResponse>('PATCH', `/api/responses/${editing}`, body),
      editing === 'new' ? 'Response created' : 'Response saved',
    );
    if (saved) {
      setEditing(null);
      list.reload();
    }
  };

  const remove = async (r: PredefinedResponse) => {
    const ok = await rowAction.run(
      () => api('DELETE', `/api/responses/${r.id}`),
      `Deleted "${r.title}"`,
    );
    if (ok !== null) list.reload();
  };

  return (
    <div className="content-page" data-testid="responses-page">
      <PageHeader title="Predefined responses">
        <button
          type="button"
          className="primary"
          onClick={() => open('new')}
          data-testid="response-new"
        >
          New response
        </button>
      </PageHeader>
      <p className="muted">
        Agents insert these in chats by title or shortcut. Placeholders such as{' '}
        <code>{'{{requester.first_name}}'}</code> and <code>{'{{agent.name}}'}</code> are filled in
        for the ticket.
      </p>

      {editing !== null && (
        <form
          className="card"
          onSubmit={(e) => void save(e)}
          data-testid="response-form"
          aria-label="Response"
        >
          <h3>{editing === 'new' ? 'New response' : 'Edit response'}</h3>
          <Field label="Title" name="title" error={form.fieldError('title')}>
            {(p) => (
              <input
                {...p}
                type="text"
                value={draft.title}
                onChange={(e) => setDraft({ ...draft, title: e.target.value })}
                data-testid="response-title"
              />
            )}
          </Field>
          <Field
            label="Shortcut"
            name="shortcut"
            error={form.fieldError('shortcut')}
            hint="Optional, one word, unique (e.g. order)"
          >
            {(p) => (
              <input
                {...p}
                type="text"
                value={draft.shortcut}
                onChange={(e) => setDraft({ ...draft, shortcut: e.target.value })}
                data-testid="response-shortcut"
              />
            )}
          </Field>
          <Field label="Text" name="body" error={form.fieldError('body')}>
            {(p) => (
              <textarea
                {...p}
                value={draft.body}
                onChange={(e) => setDraft({ ...draft, body: e.target.value })}
                data-testid="response-body"
              />
            )}
          </Field>
          <Field
            label="Offered on"
            name="groupId"
            error={form.fieldError('groupId')}
            hint="Only this group's tickets, or every ticket"
          >
            {(p) => (
              <select
                {...p}
                value={draft.groupId}
                onChange={(e) => setDraft({ ...draft, groupId: e.target.value })}
                data-testid="response-group"
              >
                <option value="">Every ticket</option>
                {groups.map((g) => (
                  <option key={g.id} value={g.id}>
                    {g.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <div className="form-actions">
            <button
              type="submit"
              className="primary"
              disabled={form.busy}
              data-testid="response-save"
            >
              Save
            </button>
            <button type="button" onClick={() => setEditing(null)}>
              Cancel
            </button>
          </div>
          <FormStatus submission={form} claimed={['title', 'shortcut', 'body', 'groupId']} />
        </form>
      )}
      {editing === null && <FormStatus submission={form} />}

      <div className="filters">
        <Field label="Search" name="q">
          {(p) => (
            <input
              {...p}
              type="search"
              value={q}
              onChange={(e) => setQ(e.target.value)}
              placeholder="Title, shortcut or text"
              data-testid="response-search"
            />
          )}
        </Field>
      </div>
      <LoadState error={list.error} loading={list.loading && !list.data} />
      <FormStatus submission={rowAction} />
      <table data-testid="responses-table">
        <thead>
          <tr>
            <th scope="col">Title</th>
            <th scope="col">Shortcut</th>
            <th scope="col">Text</th>
            <th scope="col">Offered on</th>
            <th scope="col">Changed</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {list.data?.length === 0 && (
            <EmptyRow colSpan={6}>
              {q ? 'No response matches.' : 'No predefined responses yet: create the first one.'}
            </EmptyRow>
          )}
          {list.data?.map((r) => (
            <tr key={r.id} data-testid="response-row" data-id={r.id}>
              <td>{r.title}</td>
              <td>{r.shortcut ? <code>{r.shortcut}</code> : '—'}</td>
              <td className="clip">{r.body}</td>
              <td>{r.groupId ? nameOf(r.groupId) : 'Every ticket'}</td>
              <td>{formatTime(r.updatedAt)}</td>
              <td>
                <div className="row-actions">
                  <button type="button" onClick={() => open(r)} data-testid="response-edit">
                    Edit
                  </button>
                  <ConfirmButton
                    label="Delete"
                    question={`Delete "${r.title}"?`}
                    onConfirm={() => void remove(r)}
                    testid="response-delete"
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
