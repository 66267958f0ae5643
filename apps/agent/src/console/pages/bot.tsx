import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import type { BotFlow, BotFlowRecord, BotHandoff, BotNode, Group } from '@parlour/protocol';
import { ApiError, api, query } from '../../api.js';
import { Field, LoadState, PageHeader, useLoad, useSubmit, type Submission } from '../form-kit.js';
import type { PageProps } from '../sections.js';
import { BotArticles } from './tools-bot-articles.js';
import { ListInput } from './tools-list-input.js';
import { NODE_ID, newNode, orderNodeIds, starterFlow, toSaveBody } from './tools-bot-flow.js';
import './tools.css';

interface Named {
  readonly id: string;
  readonly name: string;
}

/** What every part of the flow form needs: the API's error for a field, the groups and skills. */
interface Ctx {
  readonly err: (path: string) => string | undefined;
  /** Only an error naming exactly this path (a node, a list), not one inside it. */
  readonly exact: (path: string) => string | undefined;
  readonly ids: readonly string[];
  readonly groups: readonly Named[];
  readonly skills: readonly Named[];
}

const PRIORITY_OPTIONS = ['low', 'normal', 'high', 'urgent'] as const;
const TYPE_LABEL: Record<BotNode['type'], string> = {
  message: 'Message',
  collect: 'Ask for a field',
  handoff: 'Hand off to people',
};

/** The conversation bot: its flow as a form (saved whole, errors at the field) and its articles. */
export default function BotPage(_props: PageProps) {
  const record = useLoad<BotFlowRecord>('/api/bot/flow');
  const groups = useLoad<Group[]>('/api/groups');
  const skills = useLoad<Named[]>('/api/skills');
  const [draft, setDraft] = useState<BotFlow | null>(null);
  const [version, setVersion] = useState(0);
  const [dirty, setDirty] = useState(false);
  const save = useSubmit();

  useEffect(() => {
    if (!record.data) return;
    setDraft(record.data.flow ?? starterFlow());
    setVersion(record.data.version);
    setDirty(false);
  }, [record.data]);

  // After a refused save, bring the first field the API named into view.
  useEffect(() => {
    if (!save.error) return;
    const invalid = document.querySelector<HTMLElement>('.bot-flow [aria-invalid="true"]');
    invalid?.scrollIntoView({ block: 'center' });
    invalid?.focus();
  }, [save.error]);

  if (!draft)
    return (
      <div>
        <PageHeader title="Bot flow and articles" />
        <LoadState error={record.error} loading={record.loading} />
      </div>
    );

  const edit = (next: BotFlow) => {
    setDraft(next);
    setDirty(true);
    save.clear();
  };
  const setNode = (id: string, node: BotNode) =>
    edit({ ...draft, nodes: { ...draft.nodes, [id]: node } });
  const removeNode = (id: string) => {
    const nodes = { ...draft.nodes };
    delete nodes[id];
    edit({ ...draft, nodes });
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const saved = await save.run(
      () =>
        api<BotFlowRecord>(
          'PUT',
          `/api/bot/flow${query({ expectedVersion: version })}`,
          toSaveBody(draft),
        ),
      'Saved: new conversations use this flow',
    );
    if (saved) {
      setDraft(saved.flow ?? draft);
      setVersion(saved.version);
      setDirty(false);
    }
  };

  const apiError = save.error instanceof ApiError ? save.error : null;
  const ctx: Ctx = {
    err: save.fieldError,
    exact: (path) => (apiError?.field === path ? apiError.message : undefined),
    ids: Object.keys(draft.nodes),
    groups: groups.data ?? [],
    skills: skills.data ?? [],
  };
  const order = orderNodeIds(draft);

  return (
    <div>
      <PageHeader title="Bot flow and articles" />
      <LoadState error={groups.error ?? skills.error} loading={false} />
      <form className="bot-flow" onSubmit={(e) => void submit(e)} aria-label="Bot flow" noValidate>
        <div className="tools-toolbar">
          <button
            type="submit"
            className="primary"
            data-testid="bot-save"
            disabled={save.busy || !dirty}
          >
            Save flow
          </button>
          <button
            type="button"
            data-testid="bot-discard"
            disabled={save.busy || !dirty}
            onClick={() => {
              save.clear();
              record.reload();
            }}
          >
            Discard changes
          </button>
          <span className="muted" data-testid="bot-version">
            {record.data?.flow ? `Version ${version}` : 'No flow saved yet: the bot stays silent'}
            {dirty ? ' · unsaved changes' : ''}
          </span>
          <SaveStatus submission={save} />
        </div>
        <section className="card" aria-labelledby="bot-settings-title">
          <h3 id="bot-settings-title">Settings</h3>
          <div className="field">
            <label>
              <input
                type="checkbox"
                data-testid="bot-field-enabled"
                checked={draft.enabled}
                onChange={(e) => edit({ ...draft, enabled: e.target.checked })}
              />{' '}
              The bot answers new conversations (off: each conversation goes straight to the default
              handoff)
            </label>
          </div>
          <div className="tools-row">
            <NodeSelect
              ctx={ctx}
              label="Start node (the greeting)"
              path="start"
              value={draft.start}
              onChange={(start) => edit({ ...draft, start })}
            />
            <NodeSelect
              ctx={ctx}
              label="“Talk to a person” leads to"
              path="personNode"
              value={draft.personNode ?? ''}
              emptyLabel="Straight to the default handoff"
              onChange={(personNode) =>
                edit({ ...draft, ...(personNode ? { personNode } : { personNode: undefined }) })
              }
            />
            <Field
              label="“Talk to a person” label"
              name="personLabel"
              error={ctx.err('personLabel')}
            >
              {(props) => (
                <input
                  {...props}
                  data-testid="bot-field-personLabel"
                  placeholder="Talk to a person"
                  value={draft.personLabel ?? ''}
                  onChange={(e) => edit({ ...draft, personLabel: e.target.value })}
                />
              )}
            </Field>
          </div>
          <Field
            label="When the bot did not understand"
            name="fallbackText"
            error={ctx.err('fallbackText')}
            hint="Then it offers the menu again. Empty: a standard sentence."
          >
            {(props) => (
              <textarea
                {...props}
                data-testid="bot-field-fallbackText"
                value={draft.fallbackText ?? ''}
                onChange={(e) => edit({ ...draft, fallbackText: e.target.value })}
              />
            )}
          </Field>
          <h4>Default handoff</h4>
          <HandoffEditor
            ctx={ctx}
            path="defaultHandoff"
            value={draft.defaultHandoff}
            onChange={(defaultHandoff) => edit({ ...draft, defaultHandoff })}
          />
        </section>
        <section aria-labelledby="bot-nodes-title">
          <h3 id="bot-nodes-title">Nodes</h3>
          {ctx.exact('nodes') && (
            <p className="field-error" role="alert" data-testid="field-error-nodes">
              {ctx.exact('nodes')}
            </p>
          )}
          {order.map((id) => (
            <NodeCard
              key={id}
              ctx={ctx}
              id={id}
              node={draft.nodes[id]!}
              isStart={id === draft.start}
              onChange={(node) => setNode(id, node)}
              onRemove={() => removeNode(id)}
            />
          ))}
          <AddNode ids={ctx.ids} onAdd={(id, type) => setNode(id, newNode(type))} />
        </section>
      </form>
      <BotArticles />
    </div>
  );
}

function SaveStatus({ submission }: { submission: Submission }) {
  const { error, done } = submission;
  if (error) {
    const field = error instanceof ApiError ? error.field : undefined;
    return (
      <span className="error" role="alert" data-testid="form-error">
        Not saved: {error.message}
        {field ? ` (${field})` : ''}
      </span>
    );
  }
  if (done)
    return (
      <span className="ok" role="status" data-testid="form-done">
        {done}
      </span>
    );
  return null;
}

function NodeCard({
  ctx,
  id,
  node,
  isStart,
  onChange,
  onRemove,
}: {
  ctx: Ctx;
  id: string;
  node: BotNode;
  isStart: boolean;
  onChange: (node: BotNode) => void;
  onRemove: () => void;
}) {
  const path = `nodes.${id}`;
  const invalid = Boolean(ctx.err(path));
  return (
    <article
      className={`card tools-node${invalid ? ' invalid' : ''}`}
      data-testid={`bot-node-${id}`}
      aria-label={`Node ${id}`}
    >
      <div className="tools-node-head">
        <h4>
          {id}
          <span className="tools-badge">{TYPE_LABEL[node.type]}</span>
          {isStart && <span className="tools-badge">start</span>}
        </h4>
        <button type="button" data-testid={`bot-remove-${id}`} onClick={onRemove}>
          Remove node
        </button>
      </div>
      {(ctx.exact(path) ?? ctx.exact(`${path}.type`)) && (
        <p className="field-error" role="alert" data-testid={`field-error-${path}`}>
          {ctx.exact(path) ?? ctx.exact(`${path}.type`)}
        </p>
      )}
      {node.type === 'message' && (
        <MessageNode ctx={ctx} path={path} node={node} onChange={onChange} />
      )}
      {node.type === 'collect' && (
        <CollectNode ctx={ctx} path={path} node={node} onChange={onChange} />
      )}
      {node.type === 'handoff' && (
        <>
          <TextArea
            ctx={ctx}
            label="Says (optional)"
            path={`${path}.text`}
            value={node.text ?? ''}
            onChange={(text) => onChange({ ...node, text })}
          />
          <HandoffEditor
            ctx={ctx}
            path={`${path}.handoff`}
            value={node.handoff}
            onChange={(handoff) => onChange({ ...node, handoff })}
          />
        </>
      )}
    </article>
  );
}

function MessageNode({
  ctx,
  path,
  node,
  onChange,
}: {
  ctx: Ctx;
  path: string;
  node: Extract<BotNode, { type: 'message' }>;
  onChange: (node: BotNode) => void;
}) {
  const buttons = node.buttons ?? [];
  const setButtons = (next: typeof buttons) => onChange({ ...node, buttons: next });
  return (
    <>
      <TextArea
        ctx={ctx}
        label="Text"
        path={`${path}.text`}
        value={node.text}
        onChange={(text) => onChange({ ...node, text })}
      />
      <fieldset className="tools-buttons">
        <legend>Buttons (quick replies)</legend>
        {ctx.exact(`${path}.buttons`) && (
          <p className="field-error" role="alert" data-testid={`field-error-${path}.buttons`}>
            {ctx.exact(`${path}.buttons`)}
          </p>
        )}
        {buttons.map((b, i) => (
          <div className="tools-row" key={i}>
            <Field
              label={`Button ${i + 1} label`}
              name={`${path}.buttons.${i}.label`}
              error={ctx.err(`${path}.buttons.${i}.label`)}
            >
              {(props) => (
                <input
                  {...props}
                  data-testid={`bot-field-${path}.buttons.${i}.label`}
                  value={b.label}
                  onChange={(e) =>
                    setButtons(
                      buttons.map((x, j) => (j === i ? { ...x, label: e.target.value } : x)),
                    )
                  }
                />
              )}
            </Field>
            <NodeSelect
              ctx={ctx}
              label={`Button ${i + 1} leads to`}
              path={`${path}.buttons.${i}.next`}
              value={b.next}
              onChange={(next) => setButtons(buttons.map((x, j) => (j === i ? { ...x, next } : x)))}
            />
            <button
              type="button"
              aria-label={`Remove button ${i + 1}`}
              onClick={() => setButtons(buttons.filter((_, j) => j !== i))}
            >
              Remove
            </button>
          </div>
        ))}
        <button
          type="button"
          data-testid={`bot-add-button-${path.slice(6)}`}
          disabled={buttons.length >= 10}
          onClick={() => setButtons([...buttons, { label: '', next: ctx.ids[0] ?? '' }])}
        >
          Add button
        </button>
      </fieldset>
      {buttons.length === 0 && (
        <NodeSelect
          ctx={ctx}
          label="Then goes on to"
          path={`${path}.next`}
          value={node.next ?? ''}
          emptyLabel="Nothing: wait for the customer's words (answered from the articles)"
          onChange={(next) => onChange({ ...node, ...(next ? { next } : { next: undefined }) })}
        />
      )}
    </>
  );
}

function CollectNode({
  ctx,
  path,
  node,
  onChange,
}: {
  ctx: Ctx;
  path: string;
  node: Extract<BotNode, { type: 'collect' }>;
  onChange: (node: BotNode) => void;
}) {
  return (
    <>
      <div className="tools-row">
        <Field
          label="Field"
          name={`${path}.field`}
          error={ctx.err(`${path}.field`)}
          hint="name, email, phone or your own key (order_number)"
        >
          {(props) => (
            <input
              {...props}
              data-testid={`bot-field-${path}.field`}
              value={node.field}
              onChange={(e) => onChange({ ...node, field: e.target.value })}
            />
          )}
        </Field>
        <Field
          label="Check the answer as"
          name={`${path}.validate`}
          error={ctx.err(`${path}.validate`)}
        >
          {(props) => (
            <select
              {...props}
              data-testid={`bot-field-${path}.validate`}
              value={node.validate ?? ''}
              onChange={(e) => {
                const validate = e.target.value as NonNullable<typeof node.validate> | '';
                onChange({ ...node, ...(validate ? { validate } : { validate: undefined }) });
              }}
            >
              <option value="">By the field (email, name, else text)</option>
              <option value="email">Email address</option>
              <option value="name">Name</option>
              <option value="phone">Phone number</option>
              <option value="text">Any text</option>
            </select>
          )}
        </Field>
        <NodeSelect
          ctx={ctx}
          label="Then goes on to"
          path={`${path}.next`}
          value={node.next}
          onChange={(next) => onChange({ ...node, next })}
        />
      </div>
      <TextArea
        ctx={ctx}
        label="Asks"
        path={`${path}.prompt`}
        value={node.prompt}
        onChange={(prompt) => onChange({ ...node, prompt })}
      />
      <TextArea
        ctx={ctx}
        label="When the answer does not fit (optional)"
        path={`${path}.invalidText`}
        value={node.invalidText ?? ''}
        onChange={(invalidText) => onChange({ ...node, invalidText })}
      />
    </>
  );
}

function HandoffEditor({
  ctx,
  path,
  value,
  onChange,
}: {
  ctx: Ctx;
  path: string;
  value: BotHandoff;
  onChange: (value: BotHandoff) => void;
}) {
  const skillIds = value.skillIds ?? [];
  return (
    <>
      {ctx.exact(path) && (
        <p className="field-error" role="alert" data-testid={`field-error-${path}`}>
          {ctx.exact(path)}
        </p>
      )}
      <div className="tools-row">
        <Field label="Group" name={`${path}.groupId`} error={ctx.err(`${path}.groupId`)}>
          {(props) => (
            <select
              {...props}
              data-testid={`bot-field-${path}.groupId`}
              value={value.groupId ?? ''}
              onChange={(e) => onChange({ ...value, groupId: e.target.value || null })}
            >
              <option value="">No group (the general queue)</option>
              {ctx.groups.map((g) => (
                <option key={g.id} value={g.id}>
                  {g.name}
                </option>
              ))}
              {value.groupId && !ctx.groups.some((g) => g.id === value.groupId) && (
                <option value={value.groupId}>{value.groupId} (missing)</option>
              )}
            </select>
          )}
        </Field>
        <Field label="Priority" name={`${path}.priority`} error={ctx.err(`${path}.priority`)}>
          {(props) => (
            <select
              {...props}
              data-testid={`bot-field-${path}.priority`}
              value={value.priority ?? ''}
              onChange={(e) => {
                const priority = e.target.value as (typeof PRIORITY_OPTIONS)[number] | '';
                onChange({ ...value, ...(priority ? { priority } : { priority: undefined }) });
              }}
            >
              <option value="">Default</option>
              {PRIORITY_OPTIONS.map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          label="Tags"
          name={`${path}.tags`}
          error={ctx.err(`${path}.tags`)}
          hint="Comma-separated"
        >
          {(props) => (
            <ListInput
              {...props}
              data-testid={`bot-field-${path}.tags`}
              value={value.tags ?? []}
              onChange={(tags) => onChange({ ...value, tags })}
            />
          )}
        </Field>
        <Field label="Ticket subject" name={`${path}.subject`} error={ctx.err(`${path}.subject`)}>
          {(props) => (
            <input
              {...props}
              data-testid={`bot-field-${path}.subject`}
              value={value.subject ?? ''}
              onChange={(e) => onChange({ ...value, subject: e.target.value || null })}
            />
          )}
        </Field>
      </div>
      {ctx.skills.length > 0 && (
        <fieldset className="tools-checks" aria-invalid={Boolean(ctx.err(`${path}.skillIds`))}>
          <legend>Required skills</legend>
          {ctx.skills.map((s) => (
            <label key={s.id}>
              <input
                type="checkbox"
                checked={skillIds.includes(s.id)}
                onChange={(e) =>
                  onChange({
                    ...value,
                    skillIds: e.target.checked
                      ? [...skillIds, s.id]
                      : skillIds.filter((x) => x !== s.id),
                  })
                }
              />{' '}
              {s.name}
            </label>
          ))}
          {ctx.err(`${path}.skillIds`) && (
            <p className="field-error" role="alert" data-testid={`field-error-${path}.skillIds`}>
              {ctx.err(`${path}.skillIds`)}
            </p>
          )}
        </fieldset>
      )}
    </>
  );
}

function NodeSelect({
  ctx,
  label,
  path,
  value,
  emptyLabel,
  onChange,
}: {
  ctx: Ctx;
  label: string;
  path: string;
  value: string;
  /** Offered as the empty choice when the reference is optional. */
  emptyLabel?: string;
  onChange: (value: string) => void;
}) {
  const missing = value !== '' && !ctx.ids.includes(value);
  return (
    <Field label={label} name={path} error={ctx.err(path)}>
      {(props) => (
        <select
          {...props}
          data-testid={`bot-field-${path}`}
          value={value}
          onChange={(e) => onChange(e.target.value)}
        >
          {(emptyLabel !== undefined || value === '') && (
            <option value="">{emptyLabel ?? 'Choose a node…'}</option>
          )}
          {ctx.ids.map((id) => (
            <option key={id} value={id}>
              {id}
            </option>
          ))}
          {missing && <option value={value}>{value} (no such node)</option>}
        </select>
      )}
    </Field>
  );
}

function TextArea({
  ctx,
  label,
  path,
  value,
  onChange,
}: {
  ctx: Ctx;
  label: string;
  path: string;
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <Field label={label} name={path} error={ctx.err(path)}>
      {(props) => (
        <textarea
          {...props}
          data-testid={`bot-field-${path}`}
          value={value}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
    </Field>
  );
}

function AddNode({
  ids,
  onAdd,
}: {
  ids: readonly string[];
  onAdd: (id: string, type: BotNode['type']) => void;
}): ReactNode {
  const [id, setId] = useState('');
  const [type, setType] = useState<BotNode['type']>('message');
  const problem =
    id === ''
      ? undefined
      : !NODE_ID.test(id)
        ? 'Use 1-64 letters, digits, _ or -'
        : ids.includes(id)
          ? 'A node has this id already'
          : undefined;
  return (
    <div className="card tools-row" data-testid="bot-add-node">
      <Field label="New node id" name="newNodeId" error={problem}>
        {(props) => (
          <input
            {...props}
            data-testid="bot-new-node-id"
            value={id}
            onChange={(e) => setId(e.target.value.trim())}
          />
        )}
      </Field>
      <Field label="Kind" name="newNodeType">
        {(props) => (
          <select
            {...props}
            data-testid="bot-new-node-type"
            value={type}
            onChange={(e) => setType(e.target.value as BotNode['type'])}
          >
            <option value="message">Message (text, buttons)</option>
            <option value="collect">Ask for a field</option>
            <option value="handoff">Hand off to people</option>
          </select>
        )}
      </Field>
      <button
        type="button"
        data-testid="bot-add-node-button"
        disabled={id === '' || problem !== undefined}
        onClick={() => {
          onAdd(id, type);
          setId('');
        }}
      >
        Add node
      </button>
    </div>
  );
}
