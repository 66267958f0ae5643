import { useId } from 'react';
import type { RuleDirectory } from './rules-directory.js';
import {
  EMPTY_CONDITION,
  FIELD_LABELS,
  NONE,
  OPERATOR_LABELS,
  VALUE_CHOICES,
  fieldsFor,
  labelOf,
  operatorsFor,
  takesValue,
  type ConditionDraft,
  type ConditionSetDraft,
  type FieldErrors,
  type RuleUsage,
} from './rules-model.js';
import './rules.css';

/** The API's message for a field, under the inputs it concerns (`field-error-<path>`). */
export function FieldMessage({
  id,
  name,
  message,
}: {
  id?: string;
  name: string;
  message?: string;
}) {
  if (!message) return null;
  return (
    <p className="field-error" role="alert" id={id} data-testid={`field-error-${name}`}>
      {message}
    </p>
  );
}

/**
 * The All and Any blocks of a rule: every condition of All must hold, and at least one of Any
 * when it has any. Each row is a field, an operator and a value, chosen from GET /api/rules/fields
 * for where the rule is used; the API's error for a row shows under that row.
 */
export function ConditionsEditor({
  value,
  onChange,
  usage,
  directory,
  errors,
  path = 'conditions',
  testid = 'conditions',
}: {
  value: ConditionSetDraft;
  onChange: (next: ConditionSetDraft) => void;
  usage: RuleUsage;
  directory: RuleDirectory;
  errors: FieldErrors;
  /** The API's path of this condition set. */
  path?: string;
  testid?: string;
}) {
  const own = errors.exactly(path);
  return (
    <div className="rule-conditions" data-testid={testid}>
      <FieldMessage name={path} message={own} />
      {(['all', 'any'] as const).map((block) => (
        <ConditionBlock
          key={block}
          block={block}
          rows={value[block]}
          onChange={(rows) => onChange({ ...value, [block]: rows })}
          usage={usage}
          directory={directory}
          errors={errors}
          path={`${path}.${block}`}
          testid={`${testid}-${block}`}
        />
      ))}
    </div>
  );
}

function ConditionBlock({
  block,
  rows,
  onChange,
  usage,
  directory,
  errors,
  path,
  testid,
}: {
  block: 'all' | 'any';
  rows: readonly ConditionDraft[];
  onChange: (rows: ConditionDraft[]) => void;
  usage: RuleUsage;
  directory: RuleDirectory;
  errors: FieldErrors;
  path: string;
  testid: string;
}) {
  const headingId = useId();
  const title =
    block === 'all'
      ? 'Meet ALL of these conditions'
      : 'Meet ANY of these conditions (at least one)';
  return (
    <fieldset className="rule-block" aria-labelledby={headingId} data-testid={testid}>
      <legend id={headingId}>{title}</legend>
      <FieldMessage name={path} message={errors.exactly(path)} />
      {rows.length === 0 && <p className="rule-empty">No conditions.</p>}
      <ol className="rule-rows">
        {rows.map((row, i) => (
          <ConditionRow
            key={i}
            label={`${block === 'all' ? 'All' : 'Any'} condition ${i + 1}`}
            row={row}
            onChange={(next) => onChange(rows.map((r, j) => (j === i ? next : r)))}
            onRemove={() => onChange(rows.filter((_, j) => j !== i))}
            usage={usage}
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
        onClick={() => onChange([...rows, EMPTY_CONDITION])}
        data-testid={`${testid}-add`}
      >
        Add condition
      </button>
    </fieldset>
  );
}

function ConditionRow({
  label,
  row,
  onChange,
  onRemove,
  usage,
  directory,
  errors,
  path,
  testid,
}: {
  label: string;
  row: ConditionDraft;
  onChange: (next: ConditionDraft) => void;
  onRemove: () => void;
  usage: RuleUsage;
  directory: RuleDirectory;
  errors: FieldErrors;
  path: string;
  testid: string;
}) {
  const id = useId();
  const fields = fieldsFor(directory.fields, usage);
  const spec = directory.fields.find((f) => f.field === row.field);
  const operators = operatorsFor(spec, usage);
  const fieldError = errors.at(`${path}.field`);
  const operatorError = errors.at(`${path}.operator`);
  const valueError = errors.at(`${path}.value`);
  const rowError = errors.exactly(path);
  return (
    <li className="rule-row" data-testid={testid}>
      <div className="rule-row-inputs">
        <label className="visually-hidden" htmlFor={`${id}-field`}>
          {label}: field
        </label>
        <select
          id={`${id}-field`}
          value={row.field}
          aria-invalid={Boolean(fieldError)}
          aria-describedby={fieldError ? `${id}-field-error` : undefined}
          data-testid={`${testid}-field`}
          onChange={(e) => {
            const next = directory.fields.find((f) => f.field === e.target.value);
            const ops = operatorsFor(next, usage);
            onChange({
              field: e.target.value,
              operator: ops.includes(row.operator) ? row.operator : (ops[0] ?? ''),
              value: next?.value === spec?.value ? row.value : '',
            });
          }}
        >
          <option value="">Choose a field…</option>
          {fields.map((f) => (
            <option key={f.field} value={f.field}>
              {FIELD_LABELS[f.field] ?? labelOf(f.field)}
            </option>
          ))}
        </select>
        <label className="visually-hidden" htmlFor={`${id}-operator`}>
          {label}: operator
        </label>
        <select
          id={`${id}-operator`}
          value={row.operator}
          aria-invalid={Boolean(operatorError)}
          aria-describedby={operatorError ? `${id}-operator-error` : undefined}
          data-testid={`${testid}-operator`}
          onChange={(e) => onChange({ ...row, operator: e.target.value })}
        >
          {operators.length === 0 && <option value="">Operator…</option>}
          {operators.map((op) => (
            <option key={op} value={op}>
              {OPERATOR_LABELS[op] ?? labelOf(op)}
            </option>
          ))}
        </select>
        {takesValue(row.operator) && row.field !== '' && (
          <ValueInput
            id={`${id}-value`}
            label={`${label}: value`}
            kind={spec?.value ?? 'text'}
            field={row.field}
            value={row.value}
            onChange={(value) => onChange({ ...row, value })}
            directory={directory}
            invalid={Boolean(valueError)}
            describedBy={valueError ? `${id}-value-error` : undefined}
            testid={`${testid}-value`}
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
      <FieldMessage name={path} message={rowError} />
      <FieldMessage id={`${id}-field-error`} name={`${path}.field`} message={fieldError} />
      <FieldMessage id={`${id}-operator-error`} name={`${path}.operator`} message={operatorError} />
      <FieldMessage id={`${id}-value-error`} name={`${path}.value`} message={valueError} />
    </li>
  );
}

/** The value input a field's kind calls for: a select for enumerations, groups, agents, skills. */
function ValueInput({
  id,
  label,
  kind,
  field,
  value,
  onChange,
  directory,
  invalid,
  describedBy,
  testid,
}: {
  id: string;
  label: string;
  kind: string;
  field: string;
  value: string;
  onChange: (value: string) => void;
  directory: RuleDirectory;
  invalid: boolean;
  describedBy: string | undefined;
  testid: string;
}) {
  const common = {
    id,
    value,
    'aria-invalid': invalid,
    'aria-describedby': describedBy,
    'data-testid': testid,
  };
  const labelEl = (
    <label className="visually-hidden" htmlFor={id}>
      {label}
    </label>
  );
  const choices = VALUE_CHOICES[kind];
  let options: { value: string; label: string }[] | null = choices
    ? choices.map((c) => ({ value: c, label: labelOf(c) }))
    : null;
  if (kind === 'id') {
    const people =
      field === 'assignee'
        ? directory.users.map((u) => ({ value: u.id, label: `${u.name} (${u.email})` }))
        : directory.groups.map((g) => ({ value: g.id, label: g.name }));
    options = [{ value: NONE, label: 'None' }, ...people];
  }
  if (kind === 'id_list') options = directory.skills.map((s) => ({ value: s.id, label: s.name }));
  if (options) {
    return (
      <>
        {labelEl}
        <select {...common} onChange={(e) => onChange(e.target.value)}>
          <option value="">Choose…</option>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </>
    );
  }
  const numeric = kind === 'hours' || kind === 'minutes';
  return (
    <>
      {labelEl}
      <input
        {...common}
        type={numeric ? 'number' : 'text'}
        min={numeric ? 0 : undefined}
        step={numeric ? 'any' : undefined}
        placeholder={numeric ? kind : kind === 'tag' ? 'tag, another tag' : 'text'}
        onChange={(e) => onChange(e.target.value)}
      />
      {numeric && <span className="rule-unit">{kind}</span>}
    </>
  );
}
