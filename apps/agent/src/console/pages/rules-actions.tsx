import { useId } from 'react';
import { FieldMessage } from './rules-conditions.js';
import type { RuleDirectory } from './rules-directory.js';
import {
  ACTION_LABELS,
  ACTION_TYPES,
  EMPTY_ACTION,
  NONE,
  PRIORITIES,
  STATUSES,
  actionInput,
  labelOf,
  type ActionDraft,
  type FieldErrors,
} from './rules-model.js';
import './rules.css';

/**
 * A rule's actions, one row each: the action and what it needs (a status, a group, an agent,
 * tags, a text, a URL). The API's error for an action shows under its row.
 */
export function ActionsEditor({
  value,
  onChange,
  directory,
  errors,
  path = 'actions',
  testid = 'actions',
  types = ACTION_TYPES,
}: {
  value: readonly ActionDraft[];
  onChange: (next: ActionDraft[]) => void;
  directory: RuleDirectory;
  errors: FieldErrors;
  path?: string;
  testid?: string;
  types?: readonly string[];
}) {
  const headingId = useId();
  return (
    <fieldset className="rule-block" aria-labelledby={headingId} data-testid={testid}>
      <legend id={headingId}>Perform these actions</legend>
      <FieldMessage name={path} message={errors.exactly(path)} />
      {value.length === 0 && <p className="rule-empty">No actions.</p>}
      <ol className="rule-rows">
        {value.map((action, i) => (
          <ActionRow
            key={i}
            label={`Action ${i + 1}`}
            action={action}
            types={types}
            onChange={(next) => onChange(value.map((a, j) => (j === i ? next : a)))}
            onRemove={() => onChange(value.filter((_, j) => j !== i))}
            directory={directory}
            errors={errors}
            path={`${path}.${i}`}
            testid={`${testid}-${i}`}
          />
        ))}
      </ol>
      <button
        type="button"
        className="rule-add"
        onClick={() => onChange([...value, EMPTY_ACTION])}
        data-testid={`${testid}-add`}
      >
        Add action
      </button>
    </fieldset>
  );
}

function ActionRow({
  label,
  action,
  types,
  onChange,
  onRemove,
  directory,
  errors,
  path,
  testid,
}: {
  label: string;
  action: ActionDraft;
  types: readonly string[];
  onChange: (next: ActionDraft) => void;
  onRemove: () => void;
  directory: RuleDirectory;
  errors: FieldErrors;
  path: string;
  testid: string;
}) {
  const id = useId();
  const input = actionInput(action.type);
  const typeError = errors.at(`${path}.type`);
  const inputName = `${path}.${input === 'none' ? 'value' : input}`;
  const inputError = errors.at(inputName);
  const described = inputError ? `${id}-input-error` : undefined;
  const inputProps = {
    id: `${id}-input`,
    'aria-invalid': Boolean(inputError),
    'aria-describedby': described,
    'data-testid': `${testid}-${input}`,
  };
  return (
    <li className="rule-row" data-testid={testid}>
      <div className="rule-row-inputs">
        <label className="visually-hidden" htmlFor={`${id}-type`}>
          {label}: action
        </label>
        <select
          id={`${id}-type`}
          value={action.type}
          aria-invalid={Boolean(typeError)}
          data-testid={`${testid}-type`}
          onChange={(e) => onChange({ ...EMPTY_ACTION, type: e.target.value })}
        >
          <option value="">Choose an action…</option>
          {types.map((t) => (
            <option key={t} value={t}>
              {ACTION_LABELS[t] ?? labelOf(t)}
            </option>
          ))}
        </select>
        {input !== 'none' && (
          <label className="visually-hidden" htmlFor={`${id}-input`}>
            {label}: {input === 'body' ? 'text' : input === 'url' ? 'URL' : 'value'}
          </label>
        )}
        {input === 'body' && (
          <textarea
            {...inputProps}
            rows={2}
            value={action.body}
            placeholder="Text ({{requester.name}} is filled in)"
            onChange={(e) => onChange({ ...action, body: e.target.value })}
          />
        )}
        {input === 'url' && (
          <input
            {...inputProps}
            type="url"
            value={action.url}
            placeholder="https://example.com/hook"
            onChange={(e) => onChange({ ...action, url: e.target.value })}
          />
        )}
        {input === 'value' && (
          <ActionValue
            type={action.type}
            value={action.value}
            onChange={(value) => onChange({ ...action, value })}
            directory={directory}
            props={inputProps}
          />
        )}
        <button
          type="button"
          className="rule-remove"
          aria-label={`Remove ${label.toLowerCase()}`}
          onClick={onRemove}
          data-testid={`${testid}-remove`}
        >
          Remove
        </button>
      </div>
      <FieldMessage name={path} message={errors.exactly(path)} />
      <FieldMessage name={`${path}.type`} message={typeError} />
      <FieldMessage id={described} name={inputName} message={inputError} />
    </li>
  );
}

function ActionValue({
  type,
  value,
  onChange,
  directory,
  props,
}: {
  type: string;
  value: string;
  onChange: (value: string) => void;
  directory: RuleDirectory;
  props: Record<string, unknown>;
}) {
  if (type === 'add_tags' || type === 'remove_tags') {
    return (
      <input
        {...props}
        type="text"
        value={value}
        placeholder="tag, another tag"
        onChange={(e) => onChange(e.target.value)}
      />
    );
  }
  if (type === 'set_skills') {
    const chosen = value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    return (
      <select
        {...props}
        multiple
        value={chosen}
        onChange={(e) =>
          onChange(
            [...e.target.selectedOptions]
              .map((o) => o.value)
              .filter(Boolean)
              .join(', '),
          )
        }
      >
        {directory.skills.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </select>
    );
  }
  const options =
    type === 'set_status'
      ? STATUSES.filter((s) => s !== 'new').map((s) => ({ value: s, label: labelOf(s) }))
      : type === 'set_priority'
        ? PRIORITIES.map((p) => ({ value: p, label: labelOf(p) }))
        : type === 'set_group'
          ? [
              { value: NONE, label: 'No group' },
              ...directory.groups.map((g) => ({ value: g.id, label: g.name })),
            ]
          : [
              { value: NONE, label: 'Nobody' },
              ...directory.users.map((u) => ({ value: u.id, label: `${u.name} (${u.email})` })),
            ];
  return (
    <select {...props} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">Choose…</option>
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  );
}
