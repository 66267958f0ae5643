import { useEffect, useState } from 'react';
import type { Automation, AutomationBody } from '@parlour/protocol';
import { api } from '../../api.js';
import { Field, FormStatus, LoadState, PageHeader, useLoad, useSubmit } from '../form-kit.js';
import type { PageProps } from '../sections.js';
import { ActionsEditor } from './rules-actions.js';
import { ConditionsEditor } from './rules-conditions.js';
import { useRuleDirectory, type RuleDirectory } from './rules-directory.js';
import {
  CONSOLE_BASE,
  EMPTY_ACTION,
  actionBody,
  actionDraft,
  conditionSetBody,
  conditionSetDraft,
  fieldErrors,
  type ActionDraft,
  type ConditionSetDraft,
} from './rules-model.js';
import { OrderedRules } from './rules-order.js';
import { RuleSummary } from './rules-summary.js';

const BASE = `${CONSOLE_BASE}/automations`;

/** Automations: time-based rules in order (drag or move to reorder), and their editor. */
export default function AutomationsPage({ navigate, rest, me }: PageProps) {
  if (rest === '') return <AutomationList navigate={navigate} canEdit={me.role === 'admin'} />;
  return (
    <AutomationEditor
      id={rest === 'new' ? null : rest}
      navigate={navigate}
      canEdit={me.role === 'admin'}
    />
  );
}

function AutomationList({
  navigate,
  canEdit,
}: {
  navigate: PageProps['navigate'];
  canEdit: boolean;
}) {
  const { data, error, loading } = useLoad<Automation[]>('/api/automations');
  const [items, setItems] = useState<Automation[]>([]);
  const submission = useSubmit();
  useEffect(() => {
    if (data) setItems(data);
  }, [data]);

  const reorder = async (ids: string[]) => {
    const before = items;
    setItems(ids.map((id) => items.find((a) => a.id === id)!));
    const saved = await submission.run(
      () => api<Automation[]>('PUT', '/api/automations/order', { ids }),
      'Order saved',
    );
    setItems(saved ?? before);
  };

  return (
    <div className="rules-page">
      <PageHeader title="Automations">
        {canEdit && (
          <button
            type="button"
            className="primary"
            data-testid="automation-new"
            onClick={() => navigate(`${BASE}/new`)}
          >
            New automation
          </button>
        )}
      </PageHeader>
      <p className="rules-intro">
        Automations look at open tickets as time passes (hours since solved, since the last reply…)
        and run in this order. Each needs a time condition, and a condition its own actions make
        false or &quot;once per ticket&quot;.
      </p>
      <LoadState error={error} loading={loading && !data} />
      <FormStatus submission={submission} />
      {data && items.length === 0 && <p data-testid="automations-empty">No automations yet.</p>}
      {items.length > 0 && (
        <OrderedRules
          testid="automations"
          groups={[{ title: null, items }]}
          order={items.map((a) => a.id)}
          busy={submission.busy || !canEdit}
          onReorder={(ids) => void reorder(ids)}
          header={
            <>
              <th scope="col">Name</th>
              <th scope="col" className="rule-col-wide">
                Conditions and actions
              </th>
              <th scope="col" className="rule-col-active">
                Active
              </th>
            </>
          }
          cells={(a) => (
            <>
              <td>
                <a
                  href={`${BASE}/${a.id}`}
                  data-testid="automation-link"
                  onClick={(e) => {
                    e.preventDefault();
                    navigate(`${BASE}/${a.id}`);
                  }}
                >
                  {a.name}
                </a>
                {a.preset && <span className="rule-badge">conversation style</span>}
                {a.oncePerTicket && <span className="rule-badge">once per ticket</span>}
              </td>
              <td>
                <RuleSummary conditions={a.conditions} actions={a.actions} />
              </td>
              <td data-testid="automation-active">{a.active ? 'Yes' : 'No'}</td>
            </>
          )}
        />
      )}
    </div>
  );
}

interface AutomationDraft {
  readonly name: string;
  readonly active: boolean;
  readonly oncePerTicket: boolean;
  readonly conditions: ConditionSetDraft;
  readonly actions: readonly ActionDraft[];
}

const NEW_AUTOMATION: AutomationDraft = {
  name: '',
  active: true,
  oncePerTicket: false,
  conditions: {
    all: [
      { field: 'status', operator: 'is', value: '' },
      { field: 'hours_since_solved', operator: 'greater_than', value: '' },
    ],
    any: [],
  },
  actions: [EMPTY_ACTION],
};

function AutomationEditor({
  id,
  navigate,
  canEdit,
}: {
  id: string | null;
  navigate: PageProps['navigate'];
  canEdit: boolean;
}) {
  const rules = useRuleDirectory();
  const existing = useLoad<Automation>(id ? `/api/automations/${id}` : null);
  const [draft, setDraft] = useState<AutomationDraft | null>(id ? null : NEW_AUTOMATION);
  useEffect(() => {
    const a = existing.data;
    if (a)
      setDraft({
        name: a.name,
        active: a.active,
        oncePerTicket: a.oncePerTicket,
        conditions: conditionSetDraft(a.conditions),
        actions: a.actions.map(actionDraft),
      });
  }, [existing.data]);
  if (!rules.directory || !draft)
    return (
      <LoadState
        error={rules.error ?? existing.error}
        loading={rules.loading || existing.loading}
      />
    );
  return (
    <AutomationForm
      id={id}
      draft={draft}
      setDraft={setDraft}
      directory={rules.directory}
      navigate={navigate}
      canEdit={canEdit}
    />
  );
}

function AutomationForm({
  id,
  draft,
  setDraft,
  directory,
  navigate,
  canEdit,
}: {
  id: string | null;
  draft: AutomationDraft;
  setDraft: (d: AutomationDraft) => void;
  directory: RuleDirectory;
  navigate: PageProps['navigate'];
  canEdit: boolean;
}) {
  const submission = useSubmit();
  const errors = fieldErrors(submission.error);
  const set = (patch: Partial<AutomationDraft>) => setDraft({ ...draft, ...patch });
  const save = async () => {
    const body: AutomationBody = {
      name: draft.name,
      active: draft.active,
      oncePerTicket: draft.oncePerTicket,
      conditions: conditionSetBody(draft.conditions, directory.fields),
      actions: draft.actions.map(actionBody),
    };
    const saved = await submission.run(() =>
      id
        ? api<Automation>('PUT', `/api/automations/${id}`, body)
        : api<Automation>('POST', '/api/automations', body),
    );
    if (saved) navigate(BASE);
  };
  const remove = async () => {
    if (!id || !window.confirm(`Delete the automation "${draft.name}"?`)) return;
    const done = await submission.run(() => api('DELETE', `/api/automations/${id}`), 'Deleted');
    if (done) navigate(BASE);
  };
  return (
    <form
      className="rules-page rule-form"
      data-testid="automation-form"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <PageHeader title={id ? `Automation: ${draft.name}` : 'New automation'}>
        <button type="button" onClick={() => navigate(BASE)}>
          Back to automations
        </button>
      </PageHeader>
      <div className="rule-meta">
        <Field label="Name" name="name" error={errors.at('name')}>
          {(p) => (
            <input
              {...p}
              value={draft.name}
              data-testid="automation-name"
              onChange={(e) => set({ name: e.target.value })}
            />
          )}
        </Field>
        <label className="rule-check">
          <input
            type="checkbox"
            checked={draft.oncePerTicket}
            data-testid="automation-once"
            onChange={(e) => set({ oncePerTicket: e.target.checked })}
          />{' '}
          Once per ticket
        </label>
        <label className="rule-check">
          <input
            type="checkbox"
            checked={draft.active}
            data-testid="automation-active-input"
            onChange={(e) => set({ active: e.target.checked })}
          />{' '}
          Active
        </label>
      </div>
      <ConditionsEditor
        value={draft.conditions}
        onChange={(conditions) => set({ conditions })}
        usage="automation"
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
        claimed={['name', 'active', 'oncePerTicket', 'conditions', 'actions']}
      />
      {canEdit && (
        <div className="rule-buttons">
          <button
            type="submit"
            className="primary"
            disabled={submission.busy}
            data-testid="automation-save"
          >
            Save automation
          </button>
          {id && (
            <button type="button" onClick={() => void remove()} data-testid="automation-delete">
              Delete
            </button>
          )}
        </div>
      )}
    </form>
  );
}
