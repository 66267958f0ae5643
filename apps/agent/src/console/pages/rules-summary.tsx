import {
  ACTION_LABELS,
  FIELD_LABELS,
  OPERATOR_LABELS,
  labelOf,
  type RuleAction,
  type RuleCondition,
  type RuleConditions,
} from './rules-model.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-/i;

function valueText(value: unknown): string {
  if (value === undefined) return '';
  if (value === null) return 'none';
  if (Array.isArray(value)) return value.map(valueText).join(', ');
  const text = String(value as string | number | boolean);
  return UUID.test(text) ? '(chosen)' : text.replace(/_/g, ' ');
}

export function conditionText(c: RuleCondition): string {
  const field = FIELD_LABELS[c.field] ?? labelOf(c.field);
  const op = OPERATOR_LABELS[c.operator] ?? c.operator;
  return [field, op, valueText(c.value)].filter(Boolean).join(' ');
}

export function actionText(a: RuleAction): string {
  const label = ACTION_LABELS[a.type] ?? labelOf(a.type);
  const detail = a.body ?? a.url ?? valueText(a.value);
  return detail ? `${label}: ${detail}` : label;
}

/** One line of a rule's conditions ("all" joined by AND, "any" by OR) and one of its actions. */
export function RuleSummary({
  conditions,
  actions,
}: {
  conditions: RuleConditions;
  actions: readonly RuleAction[];
}) {
  const all = conditions.all.map(conditionText).join(' AND ');
  const any = conditions.any.map(conditionText).join(' OR ');
  return (
    <div className="rule-summary">
      <span>
        If {all}
        {all && any ? ' AND (' : ''}
        {any}
        {all && any ? ')' : ''}
      </span>
      <span className="rule-summary-then">Then {actions.map(actionText).join('; ')}</span>
    </div>
  );
}
