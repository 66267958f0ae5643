import { useState } from 'react';
import { Field } from '../form-kit.js';
import { ActionsEditor } from './rules-actions.js';
import { ConditionsEditor, FieldMessage } from './rules-conditions.js';
import type { RuleDirectory } from './rules-directory.js';
import { EMPTY_CONDITION, FIELD_ACTION_TYPES, type FieldErrors } from './rules-model.js';
import {
  NEW_BRANCH,
  STEP_LABELS,
  STEP_TYPES,
  WAIT_UNITS,
  addStep,
  removeStep,
  type StepDraft,
  type StepType,
  type WaitUnit,
} from './rules-workflow-model.js';

/**
 * A workflow's steps, in order; the first is where a run starts. Each step says which step comes
 * next (a Branch says it per branch, and "otherwise"). The API's error for a step's input shows at
 * that input (`steps.<id>.seconds`).
 */
export function StepsEditor({
  steps,
  onChange,
  directory,
  errors,
}: {
  steps: readonly StepDraft[];
  onChange: (steps: StepDraft[]) => void;
  directory: RuleDirectory;
  errors: FieldErrors;
}) {
  const [adding, setAdding] = useState<StepType>('assign_to');
  return (
    <section className="rule-steps-section" aria-label="Steps" data-testid="workflow-steps">
      <h3>Steps</h3>
      <p className="field-hint">
        A run starts at the first step and follows each step&apos;s next.
      </p>
      <FieldMessage name="steps" message={errors.exactly('steps')} />
      <FieldMessage name="start" message={errors.at('start')} />
      <ol className="rule-steps">
        {steps.map((step, i) => (
          <StepCard
            key={step.id}
            index={i}
            step={step}
            steps={steps}
            onChange={(next) => onChange(steps.map((s) => (s.id === step.id ? next : s)))}
            onRemove={() => onChange(removeStep(steps, step.id))}
            directory={directory}
            errors={errors}
          />
        ))}
      </ol>
      <div className="rule-lookup">
        <label htmlFor="workflow-add-type" className="visually-hidden">
          Type of step to add
        </label>
        <select
          id="workflow-add-type"
          value={adding}
          data-testid="step-add-type"
          onChange={(e) => setAdding(e.target.value as StepType)}
        >
          {STEP_TYPES.map((t) => (
            <option key={t} value={t}>
              {STEP_LABELS[t]}
            </option>
          ))}
        </select>
        <button
          type="button"
          data-testid="step-add"
          onClick={() => onChange(addStep(steps, adding))}
        >
          Add step
        </button>
      </div>
    </section>
  );
}

function NextSelect({
  label,
  name,
  value,
  onChange,
  steps,
  self,
  errors,
  testid,
}: {
  label: string;
  name: string;
  value: string;
  onChange: (v: string) => void;
  steps: readonly StepDraft[];
  self: string;
  errors: FieldErrors;
  testid: string;
}) {
  return (
    <Field label={label} name={name} error={errors.at(name)}>
      {(p) => (
        <select
          {...p}
          value={value}
          data-testid={testid}
          onChange={(e) => onChange(e.target.value)}
        >
          <option value="">End the run</option>
          {steps
            .filter((s) => s.id !== self)
            .map((s) => (
              <option key={s.id} value={s.id}>
                {steps.indexOf(s) + 1}. {STEP_LABELS[s.type]} ({s.id})
              </option>
            ))}
        </select>
      )}
    </Field>
  );
}

function StepCard({
  index,
  step,
  steps,
  onChange,
  onRemove,
  directory,
  errors,
}: {
  index: number;
  step: StepDraft;
  steps: readonly StepDraft[];
  onChange: (s: StepDraft) => void;
  onRemove: () => void;
  directory: RuleDirectory;
  errors: FieldErrors;
}) {
  const p = `steps.${step.id}`;
  const t = `step-${step.id}`;
  const set = (patch: Partial<StepDraft>) => onChange({ ...step, ...patch });
  const title = `${index + 1}. ${STEP_LABELS[step.type]}`;
  return (
    <li className="rule-step" data-testid={t} data-step-type={step.type}>
      <div className="rule-step-head">
        <h4>{title}</h4>
        <span className="rule-step-id">{step.id}</span>
        {index === 0 && <span className="rule-badge">start</span>}
        <button
          type="button"
          className="rule-remove"
          aria-label={`Remove step ${title}`}
          data-testid={`${t}-remove`}
          onClick={onRemove}
        >
          Remove
        </button>
      </div>
      <FieldMessage name={p} message={errors.exactly(p)} />
      <FieldMessage name={`${p}.type`} message={errors.at(`${p}.type`)} />
      <div className="rule-step-body">
        {step.type === 'assign_to' && (
          <AssignInputs step={step} set={set} directory={directory} errors={errors} p={p} t={t} />
        )}
        {step.type === 'wait' && (
          <>
            <Field
              label="Wait for"
              name={`${p}.seconds`}
              error={errors.at(`${p}.seconds`)}
              hint="From 1 second to 30 days"
            >
              {(props) => (
                <input
                  {...props}
                  type="number"
                  min={0}
                  step="any"
                  value={step.waitAmount}
                  data-testid={`${t}-amount`}
                  onChange={(e) => set({ waitAmount: e.target.value })}
                />
              )}
            </Field>
            <Field label="Unit" name={`${p}.unit`}>
              {(props) => (
                <select
                  {...props}
                  value={step.waitUnit}
                  data-testid={`${t}-unit`}
                  onChange={(e) => set({ waitUnit: e.target.value as WaitUnit })}
                >
                  {Object.keys(WAIT_UNITS).map((u) => (
                    <option key={u} value={u}>
                      {u}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </>
        )}
        {(step.type === 'comment' || step.type === 'send_message') && (
          <div className="rule-wide">
            <Field
              label={step.type === 'comment' ? 'Internal note' : 'Message to the customer'}
              name={`${p}.body`}
              error={errors.at(`${p}.body`)}
            >
              {(props) => (
                <textarea
                  {...props}
                  rows={2}
                  value={step.body}
                  data-testid={`${t}-body`}
                  onChange={(e) => set({ body: e.target.value })}
                />
              )}
            </Field>
          </div>
        )}
        {step.type === 'add_tag' && (
          <Field label="Tag" name={`${p}.tag`} error={errors.at(`${p}.tag`)}>
            {(props) => (
              <input
                {...props}
                value={step.tag}
                data-testid={`${t}-tag`}
                onChange={(e) => set({ tag: e.target.value })}
              />
            )}
          </Field>
        )}
        {step.type === 'http_request' && (
          <>
            <Field label="URL (POST)" name={`${p}.url`} error={errors.at(`${p}.url`)}>
              {(props) => (
                <input
                  {...props}
                  type="url"
                  value={step.url}
                  data-testid={`${t}-url`}
                  onChange={(e) => set({ url: e.target.value })}
                />
              )}
            </Field>
            <Field label="Body text (optional)" name={`${p}.body`} error={errors.at(`${p}.body`)}>
              {(props) => (
                <input
                  {...props}
                  value={step.body}
                  data-testid={`${t}-body`}
                  onChange={(e) => set({ body: e.target.value })}
                />
              )}
            </Field>
          </>
        )}
        {step.type === 'update_ticket' && (
          <div className="rule-wide">
            <ActionsEditor
              value={step.actions}
              onChange={(actions) => set({ actions })}
              directory={directory}
              errors={errors}
              path={`${p}.actions`}
              testid={`${t}-actions`}
              types={FIELD_ACTION_TYPES}
            />
          </div>
        )}
        {step.type === 'branch' ? (
          <div className="rule-wide">
            <FieldMessage name={`${p}.branches`} message={errors.exactly(`${p}.branches`)} />
            {step.branches.map((b, i) => (
              <div className="rule-branch" key={i} data-testid={`${t}-branch-${i}`}>
                <h5>
                  Branch {i + 1}: if these conditions hold (yes)
                  {step.branches.length > 1 && (
                    <button
                      type="button"
                      className="link"
                      aria-label={`Remove branch ${i + 1}`}
                      onClick={() => set({ branches: step.branches.filter((_, j) => j !== i) })}
                    >
                      Remove
                    </button>
                  )}
                </h5>
                <ConditionsEditor
                  value={b.conditions}
                  onChange={(conditions) =>
                    set({
                      branches: step.branches.map((x, j) => (j === i ? { ...x, conditions } : x)),
                    })
                  }
                  usage="workflow"
                  directory={directory}
                  errors={errors}
                  path={`${p}.branches.${i}.conditions`}
                  testid={`${t}-branch-${i}-conditions`}
                />
                <NextSelect
                  label="Then go to"
                  name={`${p}.branches.${i}.next`}
                  value={b.next}
                  onChange={(next) =>
                    set({
                      branches: step.branches.map((x, j) => (j === i ? { ...x, next } : x)),
                    })
                  }
                  steps={steps}
                  self={step.id}
                  errors={errors}
                  testid={`${t}-branch-${i}-next`}
                />
              </div>
            ))}
            <button
              type="button"
              data-testid={`${t}-add-branch`}
              onClick={() =>
                set({
                  branches: [
                    ...step.branches,
                    { ...NEW_BRANCH, conditions: { all: [EMPTY_CONDITION], any: [] } },
                  ],
                })
              }
            >
              Add branch
            </button>
            <NextSelect
              label="Otherwise (no branch holds) go to"
              name={`${p}.otherwise`}
              value={step.otherwise}
              onChange={(otherwise) => set({ otherwise })}
              steps={steps}
              self={step.id}
              errors={errors}
              testid={`${t}-otherwise`}
            />
          </div>
        ) : (
          <NextSelect
            label="Next step"
            name={`${p}.next`}
            value={step.next}
            onChange={(next) => set({ next })}
            steps={steps}
            self={step.id}
            errors={errors}
            testid={`${t}-next`}
          />
        )}
      </div>
    </li>
  );
}

function AssignInputs({
  step,
  set,
  directory,
  errors,
  p,
  t,
}: {
  step: StepDraft;
  set: (patch: Partial<StepDraft>) => void;
  directory: RuleDirectory;
  errors: FieldErrors;
  p: string;
  t: string;
}) {
  const target = `${p}.target`;
  return (
    <>
      <Field label="Assign to" name={`${target}.kind`} error={errors.exactly(target)}>
        {(props) => (
          <select
            {...props}
            value={step.targetKind}
            data-testid={`${t}-target-kind`}
            onChange={(e) => set({ targetKind: e.target.value as StepDraft['targetKind'] })}
          >
            <option value="team">A team (a member of a group)</option>
            <option value="agent">A specific agent</option>
          </select>
        )}
      </Field>
      {step.targetKind === 'agent' ? (
        <Field label="Agent" name={`${target}.agentId`} error={errors.at(`${target}.agentId`)}>
          {(props) => (
            <select
              {...props}
              value={step.agentId}
              data-testid={`${t}-agent`}
              onChange={(e) => set({ agentId: e.target.value })}
            >
              <option value="">Choose an agent…</option>
              {directory.users
                .filter((u) => u.active)
                .map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.name} ({u.email})
                  </option>
                ))}
            </select>
          )}
        </Field>
      ) : (
        <>
          <Field label="Team" name={`${target}.groupId`} error={errors.at(`${target}.groupId`)}>
            {(props) => (
              <select
                {...props}
                value={step.groupId}
                data-testid={`${t}-team`}
                onChange={(e) => set({ groupId: e.target.value })}
              >
                <option value="">Choose a team…</option>
                {directory.groups.map((g) => (
                  <option key={g.id} value={g.id}>
                    {g.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field
            label="Strategy"
            name={`${target}.strategy`}
            error={errors.at(`${target}.strategy`)}
          >
            {(props) => (
              <select
                {...props}
                value={step.strategy}
                data-testid={`${t}-strategy`}
                onChange={(e) => set({ strategy: e.target.value as StepDraft['strategy'] })}
              >
                <option value="round_robin">Round robin (take turns)</option>
                <option value="least_open">Fewest open conversations</option>
              </select>
            )}
          </Field>
          <label className="rule-check">
            <input
              type="checkbox"
              checked={step.onlyOnline}
              data-testid={`${t}-online`}
              onChange={(e) => set({ onlyOnline: e.target.checked })}
            />{' '}
            Only assign to online agents
          </label>
          <FieldMessage name={`${target}.onlyOnline`} message={errors.at(`${target}.onlyOnline`)} />
        </>
      )}
    </>
  );
}
