import { useEffect, useMemo, useState } from 'react';
import type { Trigger, TriggerBody } from '@parlour/protocol';
import { api } from '../../api.js';
import { Field, FormStatus, LoadState, PageHeader, useLoad, useSubmit } from '../form-kit.js';
import type { PageProps } from '../sections.js';
import { ActionsEditor } from './rules-actions.js';
import { ConditionsEditor } from './rules-conditions.js';
import { useRuleDirectory, type RuleDirectory } from './rules-directory.js';
import {
  CONSOLE_BASE,
  EMPTY_ACTION,
  EMPTY_CONDITION,
  actionBody,
  actionDraft,
  conditionSetBody,
  conditionSetDraft,
  fieldErrors,
  type ActionDraft,
  type ConditionSetDraft,
} from './rules-model.js';
import { OrderedRules, type OrderGroup } from './rules-order.js';
import { RuleSummary } from './rules-summary.js';

const BASE = `${CONSOLE_BASE}/triggers`;
const UNCATEGORIZED = 'Uncategorized';

/** Triggers: the list by category in evaluation order (drag or move to reorder), and the editor. */
export default function TriggersPage({ navigate, rest, me }: PageProps) {
  if (rest === '') return <TriggerList navigate={navigate} canEdit={me.role === 'admin'} />;
  return (
    <TriggerEditor
      id={rest === 'new' ? null : rest}
      navigate={navigate}
      canEdit={me.role === 'admin'}
    />
  );
}

/** Groups in the order of each category's first trigger; triggers keep the global order. */
export function byCategory(triggers: readonly Trigger[]): OrderGroup<Trigger>[] {
  const groups = new Map<string, Trigger[]>();
  for (const t of triggers) {
    const key = t.category ?? UNCATEGORIZED;
    groups.set(key, [...(groups.get(key) ?? []), t]);
  }
  return [...groups].map(([title, items]) => ({ title, items }));
}

function TriggerList({ navigate, canEdit }: { navigate: PageProps['navigate']; canEdit: boolean }) {
  const { data, error, loading } = useLoad<Trigger[]>('/api/triggers');
  const [triggers, setTriggers] = useState<Trigger[]>([]);
  const submission = useSubmit();
  useEffect(() => {
    if (data) setTriggers(data);
  }, [data]);
  const groups = useMemo(() => byCategory(triggers), [triggers]);

  const reorder = async (ids: string[]) => {
    const before = triggers;
    setTriggers(ids.map((id) => triggers.find((t) => t.id === id)!));
    const saved = await submission.run(
      () => api<Trigger[]>('PUT', '/api/triggers/order', { ids }),
      'Order saved',
    );
    if (saved) setTriggers(saved);
    else setTriggers(before);
  };

  return (
    <div className="rules-page">
      <PageHeader title="Triggers">
        {canEdit && (
          <button
            type="button"
            className="primary"
            data-testid="trigger-new"
            onClick={() => navigate(`${BASE}/new`)}
          >
            New trigger
          </button>
        )}
      </PageHeader>
      <p className="rules-intro">
        Triggers run on every ticket change, top to bottom within the whole order. Drag a row or use
        its arrows to change the order; categories only group the list.
      </p>
      <LoadState error={error} loading={loading && !data} />
      <FormStatus submission={submission} />
      {data && triggers.length === 0 && <p data-testid="triggers-empty">No triggers yet.</p>}
      {triggers.length > 0 && (
        <OrderedRules
          testid="triggers"
          groups={groups}
          order={triggers.map((t) => t.id)}
          busy={submission.busy || !canEdit}
          onReorder={(ids) => void reorder(ids)}
          header={
            <>
              <th scope="col">Name</th>
              <th scope="col" className="rule-col-narrow">
                Runs on
              </th>
              <th scope="col" className="rule-col-wide">
                Conditions and actions
              </th>
              <th scope="col" className="rule-col-active">
                Active
              </th>
            </>
          }
          cells={(t) => (
            <>
              <td>
                <a
                  href={`${BASE}/${t.id}`}
                  data-testid="trigger-link"
                  onClick={(e) => {
                    e.preventDefault();
                    navigate(`${BASE}/${t.id}`);
                  }}
                >
                  {t.name}
                </a>
                {t.preset && <span className="rule-badge">conversation style</span>}
              </td>
              <td>{t.scope === 'messaging' ? 'Messaging tickets' : 'All tickets'}</td>
              <td>
                <RuleSummary conditions={t.conditions} actions={t.actions} />
              </td>
              <td data-testid="trigger-active">{t.active ? 'Yes' : 'No'}</td>
            </>
          )}
        />
      )}
    </div>
  );
}

interface TriggerDraft {
  readonly name: string;
  readonly category: string;
  readonly scope: 'ticket' | 'messaging';
  readonly active: boolean;
  readonly conditions: ConditionSetDraft;
  readonly actions: readonly ActionDraft[];
}

const NEW_TRIGGER: TriggerDraft = {
  name: '',
  category: '',
  scope: 'ticket',
  active: true,
  conditions: { all: [EMPTY_CONDITION], any: [] },
  actions: [EMPTY_ACTION],
};

function draftOf(t: Trigger): TriggerDraft {
  return {
    name: t.name,
    category: t.category ?? '',
    scope: t.scope,
    active: t.active,
    conditions: conditionSetDraft(t.conditions),
    actions: t.actions.map(actionDraft),
  };
}

function TriggerEditor({
  id,
  navigate,
  canEdit,
}: {
  id: string | null;
  navigate: PageProps['navigate'];
  canEdit: boolean;
}) {
  const rules = useRuleDirectory();
  const existing = useLoad<Trigger>(id ? `/api/triggers/${id}` : null);
  const all = useLoad<Trigger[]>('/api/triggers');
  const [draft, setDraft] = useState<TriggerDraft | null>(id ? null : NEW_TRIGGER);
  useEffect(() => {
    if (existing.data) setDraft(draftOf(existing.data));
  }, [existing.data]);
  const categories = [
    ...new Set((all.data ?? []).flatMap((t) => (t.category ? [t.category] : []))),
  ];

  if (!rules.directory || !draft)
    return (
      <LoadState
        error={rules.error ?? existing.error}
        loading={rules.loading || existing.loading}
      />
    );
  return (
    <TriggerForm
      id={id}
      draft={draft}
      setDraft={setDraft}
      directory={rules.directory}
      categories={categories}
      navigate={navigate}
      canEdit={canEdit}
    />
  );
}

function TriggerForm({
  id,
  draft,
  setDraft,
  directory,
  categories,
  navigate,
  canEdit,
}: {
  id: string | null;
  draft: TriggerDraft;
  setDraft: (d: TriggerDraft) => void;
  directory: RuleDirectory;
  categories: readonly string[];
  navigate: PageProps['navigate'];
  canEdit: boolean;
}) {
  const submission = useSubmit();
  const errors = fieldErrors(submission.error);
  const set = (patch: Partial<TriggerDraft>) => setDraft({ ...draft, ...patch });

  const save = async () => {
    const body: TriggerBody = {
      name: draft.name,
      category: draft.category.trim() === '' ? null : draft.category,
      scope: draft.scope,
      active: draft.active,
      conditions: conditionSetBody(draft.conditions, directory.fields),
      actions: draft.actions.map(actionBody),
    };
    const saved = await submission.run(() =>
      id
        ? api<Trigger>('PUT', `/api/triggers/${id}`, body)
        : api<Trigger>('POST', '/api/triggers', body),
    );
    if (saved) navigate(BASE);
  };
  const remove = async () => {
    if (!id || !window.confirm(`Delete the trigger "${draft.name}"?`)) return;
    const done = await submission.run(() => api('DELETE', `/api/triggers/${id}`), 'Deleted');
    if (done) navigate(BASE);
  };

  return (
    <form
      className="rules-page rule-form"
      data-testid="trigger-form"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <PageHeader title={id ? `Trigger: ${draft.name}` : 'New trigger'}>
        <button type="button" onClick={() => navigate(BASE)}>
          Back to triggers
        </button>
      </PageHeader>
      <div className="rule-meta">
        <Field label="Name" name="name" error={errors.at('name')}>
          {(p) => (
            <input
              {...p}
              value={draft.name}
              data-testid="trigger-name"
              onChange={(e) => set({ name: e.target.value })}
            />
          )}
        </Field>
        <Field
          label="Category"
          name="category"
          error={errors.at('category')}
          hint="Groups the list; leave empty for none"
        >
          {(p) => (
            <>
              <input
                {...p}
                list="trigger-categories"
                value={draft.category}
                data-testid="trigger-category"
                onChange={(e) => set({ category: e.target.value })}
              />
              <datalist id="trigger-categories">
                {categories.map((c) => (
                  <option key={c} value={c} />
                ))}
              </datalist>
            </>
          )}
        </Field>
        <Field label="Runs on" name="scope" error={errors.at('scope')}>
          {(p) => (
            <select
              {...p}
              value={draft.scope}
              data-testid="trigger-scope"
              onChange={(e) => set({ scope: e.target.value as TriggerDraft['scope'] })}
            >
              <option value="ticket">Every ticket</option>
              <option value="messaging">Messaging tickets while their session is active</option>
            </select>
          )}
        </Field>
        <label className="rule-check">
          <input
            type="checkbox"
            checked={draft.active}
            data-testid="trigger-active-input"
            onChange={(e) => set({ active: e.target.checked })}
          />{' '}
          Active
        </label>
      </div>
      <ConditionsEditor
        value={draft.conditions}
        onChange={(conditions) => set({ conditions })}
        usage="trigger"
        directory={directory}
        errors={errors}
      />
      <ActionsEditor
        value={draft.actions}
        onChange={(actions) => set({ actions })}
        directory={directory}
        errors={errors}
      />
      <FormStatus
        submission={submission}
        claimed={['name', 'category', 'scope', 'conditions', 'actions']}
      />
      {canEdit && (
        <div className="rule-buttons">
          <button
            type="submit"
            className="primary"
            disabled={submission.busy}
            data-testid="trigger-save"
          >
            Save trigger
          </button>
          {id && (
            <button type="button" onClick={() => void remove()} data-testid="trigger-delete">
              Delete
            </button>
          )}
        </div>
      )}
    </form>
  );
}
