import { useEffect, useMemo, useState } from 'react';
import type {
  User,
  Workflow,
  WorkflowDefinition,
  WorkflowRun,
  WorkflowVersion,
} from '@parlour/protocol';
import { api, describeError } from '../../api.js';
import { Field, FormStatus, LoadState, PageHeader, useLoad, useSubmit } from '../form-kit.js';
import type { PageProps } from '../sections.js';
import { FieldMessage } from './rules-conditions.js';
import { useRuleDirectory, type RuleDirectory } from './rules-directory.js';
import { CONSOLE_BASE, fieldErrors, stableJson } from './rules-model.js';
import { StepsEditor } from './rules-workflow-steps.js';
import {
  NEW_WORKFLOW,
  SOURCES,
  SOURCE_LABELS,
  STEP_LABELS,
  TRIGGER_LABELS,
  TRIGGER_TYPES,
  definitionBody,
  workflowDraft,
  type WorkflowDraft,
} from './rules-workflow-model.js';
import './rules.css';

const BASE = `${CONSOLE_BASE}/workflows`;

/** Workflows (seed 003): the list, a conversation's runs, and the editor with versions and runs. */
export default function WorkflowsPage({ navigate, rest, me }: PageProps) {
  if (rest === '') return <WorkflowList navigate={navigate} canEdit={me.role === 'admin'} />;
  const id = rest === 'new' ? null : rest;
  return <WorkflowEditor key={rest} id={id} navigate={navigate} canEdit={me.role === 'admin'} />;
}

function when(iso: string | null): string {
  return iso ? new Date(iso).toLocaleString() : '—';
}

function WorkflowList({
  navigate,
  canEdit,
}: {
  navigate: PageProps['navigate'];
  canEdit: boolean;
}) {
  const { data, error, loading } = useLoad<Workflow[]>('/api/workflows');
  return (
    <div className="rules-page">
      <PageHeader title="Workflows">
        {canEdit && (
          <button
            type="button"
            className="primary"
            data-testid="workflow-new"
            onClick={() => navigate(`${BASE}/new`)}
          >
            New workflow
          </button>
        )}
      </PageHeader>
      <p className="rules-intro">
        A workflow starts on a conversation event and runs its steps one after another, pausing at
        Wait steps. You edit a draft; runs use the published version.
      </p>
      <LoadState error={error} loading={loading && !data} />
      {data && data.length === 0 && <p data-testid="workflows-empty">No workflows yet.</p>}
      {data && data.length > 0 && (
        <table data-testid="workflows">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Starts on</th>
              <th scope="col">Published</th>
              <th scope="col">Active</th>
              <th scope="col">Updated</th>
            </tr>
          </thead>
          <tbody>
            {data.map((w) => (
              <tr key={w.id} data-testid="workflow-row">
                <td>
                  <a
                    href={`${BASE}/${w.id}`}
                    data-testid="workflow-link"
                    onClick={(e) => {
                      e.preventDefault();
                      navigate(`${BASE}/${w.id}`);
                    }}
                  >
                    {w.name}
                  </a>
                </td>
                <td>{TRIGGER_LABELS[w.draft.trigger.type] ?? w.draft.trigger.type}</td>
                <td>
                  {w.publishedVersion === null ? 'Draft only' : `Version ${w.publishedVersion}`}
                </td>
                <td>{w.active ? 'Yes' : 'No'}</td>
                <td>{when(w.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ConversationRuns />
    </div>
  );
}

/** Looks up the workflow runs of one conversation by its id. */
function ConversationRuns() {
  const [conversationId, setConversationId] = useState('');
  const submission = useSubmit();
  const [runs, setRuns] = useState<WorkflowRun[] | null>(null);
  const lookUp = async () => {
    const found = await submission.run(
      () =>
        api<WorkflowRun[]>(
          'GET',
          `/api/conversations/${encodeURIComponent(conversationId.trim())}/workflow-runs`,
        ),
      '',
    );
    setRuns(found);
  };
  return (
    <section className="card rule-conversation-runs" data-testid="conversation-runs">
      <h3>Runs of a conversation</h3>
      <form
        className="rule-lookup"
        onSubmit={(e) => {
          e.preventDefault();
          void lookUp();
        }}
      >
        <Field
          label="Conversation id"
          name="conversationId"
          error={fieldErrors(submission.error).at('conversationId')}
        >
          {(p) => (
            <input
              {...p}
              value={conversationId}
              data-testid="conversation-runs-id"
              onChange={(e) => setConversationId(e.target.value)}
            />
          )}
        </Field>
        <button type="submit" disabled={submission.busy} data-testid="conversation-runs-search">
          Show runs
        </button>
      </form>
      <FormStatus submission={submission} claimed={['conversationId']} />
      {runs && <RunsTable runs={runs} showWorkflow onChanged={() => void lookUp()} />}
    </section>
  );
}

function stepDetail(raw: object): string {
  const detail = raw as Record<string, unknown>;
  const parts: string[] = [];
  if (typeof detail.reason === 'string') parts.push(detail.reason);
  if (typeof detail.until === 'string') parts.push(`until ${when(detail.until)}`);
  if (typeof detail.seconds === 'number') parts.push(`${detail.seconds} s`);
  if ('taken' in detail)
    parts.push(
      detail.taken === null ? 'no branch held' : `branch ${Number(detail.taken) + 1} taken`,
    );
  return parts.join(', ');
}

/** Runs, newest or oldest first as the API gives them, with each step's outcome. */
function RunsTable({
  runs,
  showWorkflow = false,
  onChanged,
}: {
  runs: readonly WorkflowRun[];
  showWorkflow?: boolean;
  onChanged: () => void;
}) {
  const submission = useSubmit();
  if (runs.length === 0) return <p data-testid="runs-empty">No runs.</p>;
  return (
    <>
      <FormStatus submission={submission} />
      <table data-testid="runs">
        <thead>
          <tr>
            <th scope="col">Started</th>
            {showWorkflow && <th scope="col">Workflow</th>}
            <th scope="col">Conversation</th>
            <th scope="col">Version</th>
            <th scope="col">State</th>
            <th scope="col">Steps</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => (
            <tr key={run.id} data-testid="run" data-state={run.state}>
              <td>{when(run.startedAt)}</td>
              {showWorkflow && <td>{run.workflowName}</td>}
              <td className="rule-step-id" data-testid="run-conversation">
                {run.conversationId}
              </td>
              <td>v{run.version}</td>
              <td>
                <span className={`rule-state rule-state-${run.state}`} data-testid="run-state">
                  {run.state}
                </span>
                {run.currentStep && <div className="field-hint">at {run.currentStep}</div>}
                {(run.state === 'running' || run.state === 'waiting') && (
                  <button
                    type="button"
                    className="link"
                    onClick={() =>
                      void submission
                        .run(() => api('POST', `/api/workflow-runs/${run.id}/cancel`), 'Cancelled')
                        .then((r) => r && onChanged())
                    }
                  >
                    Cancel
                  </button>
                )}
              </td>
              <td>
                <ol className="rule-run-steps" data-testid="run-steps">
                  {run.steps.map((s, i) => (
                    <li
                      key={i}
                      data-testid="run-step"
                      data-step={s.stepId}
                      data-outcome={s.outcome}
                    >
                      {STEP_LABELS[s.stepType] ?? s.stepType}{' '}
                      <span className="rule-step-id">{s.stepId}</span>
                      {': '}
                      <span className={`rule-outcome-${s.outcome}`}>{s.outcome}</span>
                      {stepDetail(s.detail) && ` (${stepDetail(s.detail)})`}
                    </li>
                  ))}
                </ol>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function WorkflowEditor({
  id,
  navigate,
  canEdit,
}: {
  id: string | null;
  navigate: PageProps['navigate'];
  canEdit: boolean;
}) {
  const rules = useRuleDirectory();
  const workflow = useLoad<Workflow>(id ? `/api/workflows/${id}` : null);
  const [draft, setDraft] = useState<WorkflowDraft | null>(id ? null : NEW_WORKFLOW);
  useEffect(() => {
    const w = workflow.data;
    if (w) setDraft(workflowDraft(w.name, w.active, w.draft));
  }, [workflow.data]);
  if (!rules.directory || !draft)
    return (
      <LoadState
        error={rules.error ?? workflow.error}
        loading={rules.loading || workflow.loading}
      />
    );
  return (
    <WorkflowForm
      id={id}
      saved={workflow.data}
      draft={draft}
      setDraft={setDraft}
      directory={rules.directory}
      navigate={navigate}
      canEdit={canEdit}
      reload={workflow.reload}
    />
  );
}

function WorkflowForm({
  id,
  saved,
  draft,
  setDraft,
  directory,
  navigate,
  canEdit,
  reload,
}: {
  id: string | null;
  saved: Workflow | null;
  draft: WorkflowDraft;
  setDraft: (d: WorkflowDraft) => void;
  directory: RuleDirectory;
  navigate: PageProps['navigate'];
  canEdit: boolean;
  reload: () => void;
}) {
  const submission = useSubmit();
  // Schema errors name `definition.steps…`; the validator's name `steps…`: one set of paths.
  const errors = fieldErrors(submission.error, 'definition.');
  const versions = useLoad<WorkflowVersion[]>(id ? `/api/workflows/${id}/versions` : null);
  const runs = useLoad<WorkflowRun[]>(id ? `/api/workflows/${id}/runs` : null);
  const set = (patch: Partial<WorkflowDraft>) => setDraft({ ...draft, ...patch });
  const definition: WorkflowDefinition = useMemo(
    () => definitionBody(draft, directory.fields),
    [draft, directory.fields],
  );
  const savedJson = saved
    ? stableJson({ name: saved.name, active: saved.active, definition: saved.draft })
    : null;
  const dirty = savedJson !== stableJson({ name: draft.name, active: draft.active, definition });
  const latest = versions.data?.[0];
  const draftIsPublished =
    latest !== undefined &&
    saved !== null &&
    stableJson(latest.definition) === stableJson(saved.draft);

  const save = async (): Promise<Workflow | null> => {
    const body = { name: draft.name, active: draft.active, definition };
    const result = await submission.run(
      () =>
        id
          ? api<Workflow>('PATCH', `/api/workflows/${id}`, body)
          : api<Workflow>('POST', '/api/workflows', body),
      'Draft saved',
    );
    if (result && !id) navigate(`${BASE}/${result.id}`);
    else if (result) reload();
    return result;
  };
  const publish = async () => {
    if (!id) return;
    if (dirty && !(await save())) return;
    const version = await submission.run(
      () => api<WorkflowVersion>('POST', `/api/workflows/${id}/publish`),
      'Published',
    );
    if (version) {
      reload();
      versions.reload();
    }
  };
  const remove = async () => {
    if (!id || !window.confirm(`Delete the workflow "${draft.name}" with its versions and runs?`))
      return;
    const done = await submission.run(() => api('DELETE', `/api/workflows/${id}`), 'Deleted');
    if (done !== null) navigate(BASE);
  };

  return (
    <div className="rules-page">
      <form
        className="rule-form"
        data-testid="workflow-form"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <PageHeader title={id ? `Workflow: ${saved?.name ?? draft.name}` : 'New workflow'}>
          <button type="button" onClick={() => navigate(BASE)}>
            Back to workflows
          </button>
        </PageHeader>
        {id && (
          <div className="rule-versions" data-testid="workflow-status">
            <span className="rule-state" data-testid="workflow-published">
              {saved?.publishedVersion == null
                ? 'Not published yet'
                : `Published version ${saved.publishedVersion}`}
            </span>
            <span data-testid="workflow-draft-state">
              {dirty
                ? 'Unsaved changes'
                : saved?.publishedVersion == null || !draftIsPublished
                  ? 'Draft saved, not published'
                  : 'The draft is the published version'}
            </span>
          </div>
        )}
        <div className="rule-meta">
          <Field label="Name" name="name" error={errors.at('name')}>
            {(p) => (
              <input
                {...p}
                value={draft.name}
                data-testid="workflow-name"
                onChange={(e) => set({ name: e.target.value })}
              />
            )}
          </Field>
          <label className="rule-check">
            <input
              type="checkbox"
              checked={draft.active}
              data-testid="workflow-active"
              onChange={(e) => set({ active: e.target.checked })}
            />{' '}
            Active (starts new runs)
          </label>
        </div>
        <fieldset className="rule-block" data-testid="workflow-trigger">
          <legend>Start when</legend>
          <FieldMessage name="trigger" message={errors.exactly('trigger')} />
          <div className="rule-meta">
            <Field label="Trigger" name="trigger.type" error={errors.at('trigger.type')}>
              {(p) => (
                <select
                  {...p}
                  value={draft.trigger.type}
                  data-testid="workflow-trigger-type"
                  onChange={(e) => set({ trigger: { ...draft.trigger, type: e.target.value } })}
                >
                  {TRIGGER_TYPES.map((t) => (
                    <option key={t} value={t}>
                      {TRIGGER_LABELS[t]}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            {draft.trigger.type === 'conversation_opened' && (
              <Field label="Opened by" name="trigger.source" error={errors.at('trigger.source')}>
                {(p) => (
                  <select
                    {...p}
                    value={draft.trigger.source}
                    data-testid="workflow-trigger-source"
                    onChange={(e) => set({ trigger: { ...draft.trigger, source: e.target.value } })}
                  >
                    {SOURCES.map((s) => (
                      <option key={s} value={s}>
                        {SOURCE_LABELS[s]}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            )}
            {draft.trigger.type === 'tag_added' && (
              <Field label="Tag" name="trigger.tag" error={errors.at('trigger.tag')}>
                {(p) => (
                  <input
                    {...p}
                    value={draft.trigger.tag}
                    data-testid="workflow-trigger-tag"
                    onChange={(e) => set({ trigger: { ...draft.trigger, tag: e.target.value } })}
                  />
                )}
              </Field>
            )}
          </div>
        </fieldset>
        <StepsEditor
          steps={draft.steps}
          onChange={(steps) => set({ steps })}
          directory={directory}
          errors={errors}
        />
        <FormStatus
          submission={submission}
          claimed={['name', 'active', 'trigger', 'steps', 'start']}
        />
        {canEdit && (
          <div className="rule-buttons">
            <button
              type="submit"
              className="primary"
              disabled={submission.busy}
              data-testid="workflow-save"
            >
              Save draft
            </button>
            {id && (
              <button
                type="button"
                disabled={submission.busy}
                data-testid="workflow-publish"
                onClick={() => void publish()}
              >
                {dirty ? 'Save and publish' : 'Publish'}
              </button>
            )}
            {id && (
              <button type="button" onClick={() => void remove()} data-testid="workflow-delete">
                Delete
              </button>
            )}
          </div>
        )}
      </form>
      {id && (
        <>
          <section className="card" data-testid="workflow-versions">
            <h3>Published versions</h3>
            <LoadState error={versions.error} loading={versions.loading && !versions.data} />
            {versions.data && versions.data.length === 0 && <p>None yet.</p>}
            {versions.data && versions.data.length > 0 && (
              <VersionsTable versions={versions.data} users={directory.users} />
            )}
          </section>
          <section className="card" data-testid="workflow-runs">
            <div className="page-header">
              <h3>Runs</h3>
              <button type="button" data-testid="workflow-runs-refresh" onClick={runs.reload}>
                Refresh
              </button>
            </div>
            {runs.error && <p className="error">{describeError(runs.error)}</p>}
            {runs.data && <RunsTable runs={runs.data} onChanged={runs.reload} />}
          </section>
        </>
      )}
    </div>
  );
}

function VersionsTable({
  versions,
  users,
}: {
  versions: readonly WorkflowVersion[];
  users: readonly User[];
}) {
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">Version</th>
          <th scope="col">Published</th>
          <th scope="col">By</th>
          <th scope="col">Steps</th>
        </tr>
      </thead>
      <tbody>
        {versions.map((v) => (
          <tr key={v.version} data-testid="workflow-version">
            <td>v{v.version}</td>
            <td>{when(v.publishedAt)}</td>
            <td>{users.find((u) => u.id === v.publishedBy)?.name ?? '—'}</td>
            <td>{Object.keys(v.definition.steps).length}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
