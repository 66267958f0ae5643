import { useState } from 'react';
import type { AgentPresence, Group, Ticket } from '@parlour/protocol';
import { ApiError, api, describeError } from '../api.js';

const STATUSES = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'] as const;
const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;

/** Status, priority, group, assignee and tags, each saved with the ticket's version. */
export function TicketFields({
  ticket,
  agents,
  groups,
  onSaved,
  onStale,
}: {
  ticket: Ticket;
  agents: readonly AgentPresence[];
  groups: readonly Group[];
  onSaved: (ticket: Ticket) => void;
  onStale: () => void;
}) {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [tags, setTags] = useState(ticket.tags.join(', '));
  const [tagsFor, setTagsFor] = useState(ticket.version);
  if (tagsFor !== ticket.version) {
    setTagsFor(ticket.version);
    setTags(ticket.tags.join(', '));
  }

  async function save(field: string, change: Record<string, unknown>) {
    setErrors((e) => ({ ...e, [field]: '' }));
    try {
      const updated = await api<Ticket>('PATCH', `/api/tickets/${ticket.id}`, {
        ...change,
        expectedVersion: ticket.version,
      });
      onSaved(updated);
    } catch (e) {
      const key = e instanceof ApiError && e.field && e.field in change ? e.field : field;
      setErrors((old) => ({ ...old, [key]: describeError(e) }));
      if (e instanceof ApiError && e.status === 409) onStale();
    }
  }

  const error = (field: string) =>
    errors[field] ? (
      <span className="field-error" role="alert" data-testid={`field-error-${field}`}>
        {errors[field]}
      </span>
    ) : null;

  return (
    <section className="ticket-fields" aria-label="Ticket fields" data-testid="ticket-fields">
      <label>
        Status
        <select
          data-testid="field-status"
          value={ticket.status}
          onChange={(e) => void save('status', { status: e.target.value })}
        >
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {s.replace('_', ' ')}
            </option>
          ))}
        </select>
        {error('status')}
      </label>
      <label>
        Priority
        <select
          data-testid="field-priority"
          value={ticket.priority}
          onChange={(e) => void save('priority', { priority: e.target.value })}
        >
          {PRIORITIES.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
        {error('priority')}
      </label>
      <label>
        Group
        <select
          data-testid="field-group"
          value={ticket.groupId ?? ''}
          onChange={(e) => void save('groupId', { groupId: e.target.value || null })}
        >
          <option value="">(none)</option>
          {groups.map((g) => (
            <option key={g.id} value={g.id}>
              {g.name}
            </option>
          ))}
        </select>
        {error('groupId')}
      </label>
      <label>
        Assignee
        <select
          data-testid="field-assignee"
          value={ticket.assigneeId ?? ''}
          onChange={(e) => void save('assigneeId', { assigneeId: e.target.value || null })}
        >
          <option value="">(unassigned)</option>
          {agents.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </select>
        {error('assigneeId')}
      </label>
      <form
        className="tags-form"
        onSubmit={(e) => {
          e.preventDefault();
          const list = tags
            .split(',')
            .map((t) => t.trim())
            .filter(Boolean);
          void save('tags', { tags: list });
        }}
      >
        <label>
          Tags (comma-separated)
          <input data-testid="field-tags" value={tags} onChange={(e) => setTags(e.target.value)} />
        </label>
        <button type="submit">Save tags</button>
        {error('tags')}
      </form>
    </section>
  );
}
