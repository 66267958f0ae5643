import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { Group, Usage, UsageRuleType, User, WhereUsedResult } from '@parlour/protocol';
import { api, query } from '../../api.js';
import { Field, FormStatus, LoadState, PageHeader, useLoad, useSubmit } from '../form-kit.js';
import type { PageProps } from '../sections.js';
import { RULE_TYPE_LABELS, ruleEditorPath } from './tools-rule-links.js';
import './tools.css';

type Kind = 'group' | 'agent' | 'tag' | 'field';
const KINDS: { value: Kind; label: string }[] = [
  { value: 'group', label: 'Group' },
  { value: 'agent', label: 'Agent' },
  { value: 'tag', label: 'Tag' },
  { value: 'field', label: 'Rule field' },
];
const ORDER: UsageRuleType[] = ['trigger', 'automation', 'workflow', 'macro', 'bot_flow'];

/** Where a group, agent, tag or rule field is used: every rule that refers to it, and where inside. */
export default function WhereUsedPage({ navigate }: PageProps) {
  const groups = useLoad<Group[]>('/api/groups');
  const users = useLoad<User[]>('/api/users');
  const fields = useLoad<{ field: string }[]>('/api/rules/fields');
  // Other pages link here with ?kind=group&value=<id>: the search runs at once.
  const [linked] = useState(() => {
    const params = new URLSearchParams(window.location.search);
    const k = params.get('kind') as Kind | null;
    const v = params.get('value');
    return k && KINDS.some((x) => x.value === k) && v ? { kind: k, value: v } : null;
  });
  const [kind, setKind] = useState<Kind>(linked?.kind ?? 'group');
  const [value, setValue] = useState(linked?.value ?? '');
  const [result, setResult] = useState<WhereUsedResult | null>(null);
  const submission = useSubmit();
  const { run } = submission;

  const search = useCallback(
    async (k: Kind, v: string) => {
      const found = await run(
        () => api<WhereUsedResult>('GET', `/api/where-used${query({ kind: k, value: v })}`),
        'Search done',
      );
      if (found) setResult(found);
    },
    [run],
  );
  useEffect(() => {
    if (linked) void search(linked.kind, linked.value);
  }, [linked, search]);

  const options: { value: string; label: string }[] =
    kind === 'group'
      ? (groups.data ?? []).map((g) => ({ value: g.id, label: g.name }))
      : kind === 'agent'
        ? (users.data ?? []).map((u) => ({
            value: u.id,
            label: `${u.name} (${u.role}${u.active ? '' : ', inactive'})`,
          }))
        : kind === 'field'
          ? (fields.data ?? []).map((f) => ({ value: f.field, label: f.field.replace(/_/g, ' ') }))
          : [];

  const find = async (e: FormEvent) => {
    e.preventDefault();
    await search(kind, value);
  };

  const nameOf = (r: WhereUsedResult): string => {
    if (r.kind === 'group') return groups.data?.find((g) => g.id === r.value)?.name ?? r.value;
    if (r.kind === 'agent') return users.data?.find((u) => u.id === r.value)?.name ?? r.value;
    return r.value;
  };

  return (
    <div>
      <PageHeader title="Where used" />
      <p className="muted">
        Every trigger, automation, workflow (draft and published version), macro and bot handoff
        that refers to a group, an agent, a tag or a rule field — before you change or remove it.
      </p>
      <LoadState
        error={groups.error ?? users.error ?? fields.error}
        loading={groups.loading || users.loading || fields.loading}
      />
      <form className="tools-form card" onSubmit={(e) => void find(e)} aria-label="Where used">
        <Field label="Look for" name="kind" error={submission.fieldError('kind')}>
          {(props) => (
            <select
              {...props}
              data-testid="where-used-kind"
              value={kind}
              onChange={(e) => {
                setKind(e.target.value as Kind);
                setValue('');
                setResult(null);
                submission.clear();
              }}
            >
              {KINDS.map((k) => (
                <option key={k.value} value={k.value}>
                  {k.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          label={KINDS.find((k) => k.value === kind)!.label}
          name="value"
          error={submission.fieldError('value')}
        >
          {(props) =>
            kind === 'tag' ? (
              <input
                {...props}
                data-testid="where-used-value"
                value={value}
                placeholder="e.g. vip"
                onChange={(e) => setValue(e.target.value)}
              />
            ) : (
              <select
                {...props}
                data-testid="where-used-value"
                value={value}
                onChange={(e) => setValue(e.target.value)}
              >
                <option value="">Choose…</option>
                {options.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </select>
            )
          }
        </Field>
        <button
          type="submit"
          className="primary"
          data-testid="where-used-find"
          disabled={submission.busy || value.trim() === ''}
        >
          Find uses
        </button>
      </form>
      <FormStatus submission={{ ...submission, done: null }} claimed={['kind', 'value']} />
      {result && (
        <Results
          result={result}
          title={`${KINDS.find((k) => k.value === result.kind)?.label ?? result.kind} “${nameOf(result)}”`}
          navigate={navigate}
        />
      )}
    </div>
  );
}

function Results({
  result,
  title,
  navigate,
}: {
  result: WhereUsedResult;
  title: string;
  navigate: (path: string) => void;
}) {
  const total = result.uses.length;
  return (
    <section className="tools-results" data-testid="where-used-results" aria-live="polite">
      <h3>
        {title}:{' '}
        {total === 0 ? 'not used anywhere' : `used in ${total} ${total === 1 ? 'place' : 'places'}`}
      </h3>
      {total === 0 && (
        <p className="muted" data-testid="where-used-empty">
          No trigger, automation, workflow, macro or bot handoff refers to it.
        </p>
      )}
      {ORDER.map((type) => {
        const uses = result.uses.filter((u) => u.ruleType === type);
        if (uses.length === 0) return null;
        return (
          <section key={type} data-testid={`where-used-group-${type}`}>
            <h3>
              {RULE_TYPE_LABELS[type]} ({uses.length})
            </h3>
            <ul className="tools-list">
              {uses.map((u) => (
                <UseItem key={`${u.id ?? 'bot'}-${u.variant ?? ''}`} use={u} navigate={navigate} />
              ))}
            </ul>
          </section>
        );
      })}
    </section>
  );
}

function UseItem({ use, navigate }: { use: Usage; navigate: (path: string) => void }) {
  const path = ruleEditorPath(use.ruleType, use.id);
  return (
    <li data-testid="where-used-item" data-rule-type={use.ruleType} data-id={use.id ?? ''}>
      <a
        href={path}
        data-testid="where-used-link"
        onClick={(e) => {
          e.preventDefault();
          navigate(path);
        }}
      >
        {use.name}
      </a>
      {use.variant === 'draft' && <span className="tools-badge">draft</span>}
      {use.variant === 'published' && (
        <span className="tools-badge">published version {use.version}</span>
      )}
      {!use.active && <span className="tools-badge">inactive</span>}
      <ul>
        {use.places.map((p) => (
          <li key={p.path} data-testid="where-used-place">
            {p.label}
            <code>{p.path}</code>
          </li>
        ))}
      </ul>
    </li>
  );
}
