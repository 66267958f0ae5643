import type { Group, MacroAction, User } from '@parlour/protocol';
import { Field } from '../form-kit.js';

/** The macro action editor: one row per action, the API's error next to the action it names. */

export type ActionType = MacroAction['type'];

/** An action as edited: tags as comma-separated text, ids as '' for none. */
export interface ActionDraft {
  type: ActionType;
  value: string;
}

export const ACTION_LABELS: Record<ActionType, string> = {
  set_status: 'Set status',
  set_priority: 'Set priority',
  set_group: 'Set group',
  set_assignee: 'Set assignee',
  add_tags: 'Add tags',
  remove_tags: 'Remove tags',
};

const STATUSES = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'] as const;
const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;

export function draftOfAction(a: MacroAction): ActionDraft {
  if (a.type === 'add_tags' || a.type === 'remove_tags')
    return { type: a.type, value: a.value.join(', ') };
  return { type: a.type, value: a.value ?? '' };
}

/** The action as the API takes it (the server validates it and names the field at fault). */
export function actionOfDraft(d: ActionDraft): { type: string; value: unknown } {
  switch (d.type) {
    case 'add_tags':
    case 'remove_tags':
      return {
        type: d.type,
        value: d.value
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean),
      };
    case 'set_group':
    case 'set_assignee':
      return { type: d.type, value: d.value === '' ? null : d.value };
    default:
      return { type: d.type, value: d.value };
  }
}

function defaultValue(type: ActionType): string {
  if (type === 'set_status') return 'solved';
  if (type === 'set_priority') return 'normal';
  return '';
}

/** A readable summary of an action, for the list. */
export function describeAction(
  a: MacroAction,
  groupName: (id: string | null) => string,
  userName: (id: string | null) => string,
): string {
  switch (a.type) {
    case 'set_group':
      return `${ACTION_LABELS[a.type]}: ${a.value ? groupName(a.value) : 'none'}`;
    case 'set_assignee':
      return `${ACTION_LABELS[a.type]}: ${a.value ? userName(a.value) : 'nobody'}`;
    case 'add_tags':
    case 'remove_tags':
      return `${ACTION_LABELS[a.type]}: ${a.value.join(', ')}`;
    default:
      return `${ACTION_LABELS[a.type]}: ${a.value}`;
  }
}

export function ActionsEditor({
  actions,
  onChange,
  fieldError,
  groups,
  users,
}: {
  actions: readonly ActionDraft[];
  onChange: (next: ActionDraft[]) => void;
  fieldError: (name: string) => string | undefined;
  groups: readonly Group[];
  users: readonly User[];
}) {
  const set = (i: number, next: ActionDraft) =>
    onChange(actions.map((a, j) => (j === i ? next : a)));
  return (
    <fieldset data-testid="macro-actions">
      <legend>Actions on the ticket</legend>
      {actions.length === 0 && (
        <p className="muted">No actions: the macro only inserts its text.</p>
      )}
      {fieldError('actions') && actions.length === 0 && (
        <p className="field-error" role="alert">
          {fieldError('actions')}
        </p>
      )}
      {actions.map((a, i) => (
        <div className="inline-form" key={i} data-testid="macro-action">
          <Field label={`Action ${i + 1}`} name={`actions.${i}.type`}>
            {(p) => (
              <select
                {...p}
                value={a.type}
                onChange={(e) => {
                  const type = e.target.value as ActionType;
                  set(i, { type, value: defaultValue(type) });
                }}
                data-testid="macro-action-type"
              >
                {(Object.keys(ACTION_LABELS) as ActionType[]).map((t) => (
                  <option key={t} value={t}>
                    {ACTION_LABELS[t]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Value" name={`actions.${i}`} error={fieldError(`actions.${i}`)}>
            {(p) => {
              const change = (value: string) => set(i, { ...a, value });
              if (a.type === 'set_status' || a.type === 'set_priority') {
                const options = a.type === 'set_status' ? STATUSES : PRIORITIES;
                return (
                  <select
                    {...p}
                    value={a.value}
                    onChange={(e) => change(e.target.value)}
                    data-testid="macro-action-value"
                  >
                    {options.map((o) => (
                      <option key={o} value={o}>
                        {o.replace('_', ' ')}
                      </option>
                    ))}
                  </select>
                );
              }
              if (a.type === 'set_group' || a.type === 'set_assignee') {
                const options =
                  a.type === 'set_group'
                    ? groups.map((g) => ({ id: g.id, name: g.name }))
                    : users.map((u) => ({ id: u.id, name: `${u.name} (${u.role})` }));
                return (
                  <select
                    {...p}
                    value={a.value}
                    onChange={(e) => change(e.target.value)}
                    data-testid="macro-action-value"
                  >
                    <option value="">{a.type === 'set_group' ? 'No group' : 'Nobody'}</option>
                    {options.map((o) => (
                      <option key={o.id} value={o.id}>
                        {o.name}
                      </option>
                    ))}
                  </select>
                );
              }
              return (
                <input
                  {...p}
                  type="text"
                  value={a.value}
                  placeholder="vip, refund"
                  onChange={(e) => change(e.target.value)}
                  data-testid="macro-action-value"
                />
              );
            }}
          </Field>
          <button
            type="button"
            onClick={() => onChange(actions.filter((_, j) => j !== i))}
            aria-label={`Remove action ${i + 1}`}
            data-testid="macro-action-remove"
          >
            Remove
          </button>
        </div>
      ))}
      <button
        type="button"
        onClick={() => onChange([...actions, { type: 'set_status', value: 'solved' }])}
        data-testid="macro-action-add"
      >
        Add action
      </button>
    </fieldset>
  );
}
