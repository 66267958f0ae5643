import type { WorkflowDefinition } from '@parlour/protocol';
import {
  EMPTY_ACTION,
  EMPTY_CONDITION,
  actionBody,
  actionDraft,
  conditionSetBody,
  conditionSetDraft,
  type ActionDraft,
  type ConditionSetDraft,
  type FieldSpec,
  type RuleAction,
  type RuleConditions,
} from './rules-model.js';

/**
 * A workflow as the editor holds it: the trigger, and the steps as a list whose first step is the
 * start. Each step keeps its id (the API's `steps.<id>.…` error paths name it) and the inputs of
 * every step type, so switching nothing loses nothing. `definitionBody` builds the API's graph.
 */

export const STEP_TYPES = [
  'assign_to',
  'wait',
  'branch',
  'comment',
  'send_message',
  'update_ticket',
  'add_tag',
  'close_conversation',
  'http_request',
] as const;
export type StepType = (typeof STEP_TYPES)[number];

export const STEP_LABELS: Readonly<Record<string, string>> = {
  assign_to: 'Assign to',
  wait: 'Wait',
  branch: 'Branch',
  comment: 'Comment (internal note)',
  send_message: 'Send message',
  update_ticket: 'Update ticket',
  add_tag: 'Add tag',
  close_conversation: 'Close conversation',
  http_request: 'HTTP request',
};

export const TRIGGER_TYPES = [
  'conversation_opened',
  'conversation_closed',
  'incoming_message',
  'tag_added',
  'manual',
] as const;

export const TRIGGER_LABELS: Readonly<Record<string, string>> = {
  conversation_opened: 'Conversation opened',
  conversation_closed: 'Conversation closed',
  incoming_message: 'Incoming message',
  tag_added: 'Tag added',
  manual: 'Started by hand',
};

export const SOURCES = ['contact', 'agent', 'api', 'any'] as const;
export const SOURCE_LABELS: Readonly<Record<string, string>> = {
  contact: 'Contact (customer)',
  agent: 'Agent',
  api: 'API',
  any: 'Anyone',
};

export const WAIT_UNITS = { seconds: 1, minutes: 60, hours: 3600, days: 86_400 } as const;
export type WaitUnit = keyof typeof WAIT_UNITS;

export interface BranchDraft {
  readonly conditions: ConditionSetDraft;
  readonly next: string;
}

export interface StepDraft {
  readonly id: string;
  readonly type: StepType;
  /** The step after this one; '' ends the run. */
  readonly next: string;
  readonly targetKind: 'agent' | 'team';
  readonly agentId: string;
  readonly groupId: string;
  readonly strategy: 'round_robin' | 'least_open';
  readonly onlyOnline: boolean;
  readonly waitAmount: string;
  readonly waitUnit: WaitUnit;
  readonly branches: readonly BranchDraft[];
  readonly otherwise: string;
  readonly body: string;
  readonly actions: readonly ActionDraft[];
  readonly tag: string;
  readonly url: string;
}

export interface TriggerDraft {
  readonly type: string;
  readonly source: string;
  readonly tag: string;
}

export interface WorkflowDraft {
  readonly name: string;
  readonly active: boolean;
  readonly trigger: TriggerDraft;
  readonly steps: readonly StepDraft[];
}

export const NEW_BRANCH: BranchDraft = {
  conditions: { all: [EMPTY_CONDITION], any: [] },
  next: '',
};

export function newStep(id: string, type: StepType): StepDraft {
  return {
    id,
    type,
    next: '',
    targetKind: 'team',
    agentId: '',
    groupId: '',
    strategy: 'round_robin',
    onlyOnline: false,
    waitAmount: '',
    waitUnit: 'minutes',
    branches: type === 'branch' ? [NEW_BRANCH] : [],
    otherwise: '',
    body: '',
    actions: type === 'update_ticket' ? [EMPTY_ACTION] : [],
    tag: '',
    url: '',
  };
}

export const NEW_WORKFLOW: WorkflowDraft = {
  name: '',
  active: true,
  trigger: { type: 'conversation_opened', source: 'contact', tag: '' },
  steps: [],
};

/** A fresh step id for a type: `wait_3`, not used by any step yet. */
export function nextStepId(steps: readonly StepDraft[], type: StepType): string {
  const ids = new Set(steps.map((s) => s.id));
  for (let n = steps.length + 1; ; n++) {
    const id = `${type}_${n}`;
    if (!ids.has(id)) return id;
  }
}

/** Adds a step at the end; the last step, when it ended the run, now leads to it. */
export function addStep(steps: readonly StepDraft[], type: StepType): StepDraft[] {
  const step = newStep(nextStepId(steps, type), type);
  const last = steps.at(-1);
  const linked =
    last && last.type !== 'branch' && last.next === ''
      ? steps.map((s) => (s === last ? { ...s, next: step.id } : s))
      : [...steps];
  return [...linked, step];
}

/** Removes a step; whatever led to it now leads where it led (or ends). */
export function removeStep(steps: readonly StepDraft[], id: string): StepDraft[] {
  const gone = steps.find((s) => s.id === id);
  const after = gone && gone.type !== 'branch' ? gone.next : '';
  const relink = (to: string) => (to === id ? after : to);
  return steps
    .filter((s) => s.id !== id)
    .map((s) => ({
      ...s,
      next: relink(s.next),
      otherwise: relink(s.otherwise),
      branches: s.branches.map((b) => ({ ...b, next: relink(b.next) })),
    }));
}

type RawStep = Record<string, unknown> & { type: string };

function successors(step: RawStep): string[] {
  const out: string[] = [];
  if (typeof step.next === 'string') out.push(step.next);
  if (Array.isArray(step.branches))
    for (const b of step.branches as { next?: unknown }[])
      if (typeof b.next === 'string') out.push(b.next);
  if (typeof step.otherwise === 'string') out.push(step.otherwise);
  return out;
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function stepDraft(id: string, raw: RawStep): StepDraft {
  const type = (STEP_TYPES as readonly string[]).includes(raw.type)
    ? (raw.type as StepType)
    : 'comment';
  const base = newStep(id, type);
  const target = (raw.target ?? {}) as Record<string, unknown>;
  const seconds = typeof raw.seconds === 'number' ? raw.seconds : null;
  const unit: WaitUnit =
    seconds === null
      ? 'minutes'
      : seconds % WAIT_UNITS.days === 0
        ? 'days'
        : seconds % WAIT_UNITS.hours === 0
          ? 'hours'
          : seconds % WAIT_UNITS.minutes === 0
            ? 'minutes'
            : 'seconds';
  return {
    ...base,
    next: str(raw.next),
    targetKind: 'agentId' in target ? 'agent' : 'team',
    agentId: str(target.agentId),
    groupId: str(target.groupId),
    strategy: target.strategy === 'least_open' ? 'least_open' : 'round_robin',
    onlyOnline: target.onlyOnline === true,
    waitAmount: seconds === null ? '' : String(seconds / WAIT_UNITS[unit]),
    waitUnit: unit,
    branches: Array.isArray(raw.branches)
      ? (raw.branches as { conditions: RuleConditions; next?: string }[]).map((b) => ({
          conditions: conditionSetDraft(b.conditions),
          next: str(b.next),
        }))
      : base.branches,
    otherwise: str(raw.otherwise),
    body: str(raw.body),
    actions: Array.isArray(raw.actions)
      ? (raw.actions as RuleAction[]).map(actionDraft)
      : base.actions,
    tag: str(raw.tag),
    url: str(raw.url),
  };
}

/** The steps in the order a reader follows them: the start, then breadth first, then the rest. */
export function workflowDraft(
  name: string,
  active: boolean,
  definition: WorkflowDefinition,
): WorkflowDraft {
  const steps = definition.steps as Record<string, RawStep>;
  const order: string[] = [];
  const todo = Object.hasOwn(steps, definition.start) ? [definition.start] : [];
  while (todo.length > 0) {
    const id = todo.shift()!;
    if (order.includes(id) || !Object.hasOwn(steps, id)) continue;
    order.push(id);
    todo.push(...successors(steps[id]!));
  }
  for (const id of Object.keys(steps)) if (!order.includes(id)) order.push(id);
  const t = definition.trigger as Record<string, unknown>;
  return {
    name,
    active,
    trigger: { type: str(t.type), source: str(t.source) || 'contact', tag: str(t.tag) },
    steps: order.map((id) => stepDraft(id, steps[id]!)),
  };
}

function withNext(step: Record<string, unknown>, next: string): Record<string, unknown> {
  return next === '' ? step : { ...step, next };
}

/** One step as the API takes it. Blank inputs are left out, so the API names what is missing. */
export function stepBody(s: StepDraft, fields: readonly FieldSpec[]): Record<string, unknown> {
  switch (s.type) {
    case 'assign_to':
      return withNext(
        {
          type: s.type,
          target:
            s.targetKind === 'agent'
              ? { agentId: s.agentId }
              : { groupId: s.groupId, strategy: s.strategy, onlyOnline: s.onlyOnline },
        },
        s.next,
      );
    case 'wait': {
      const amount = Number(s.waitAmount);
      const seconds =
        s.waitAmount.trim() === '' || !Number.isFinite(amount)
          ? undefined
          : Math.round(amount * WAIT_UNITS[s.waitUnit] * 1000) / 1000;
      return withNext(seconds === undefined ? { type: s.type } : { type: s.type, seconds }, s.next);
    }
    case 'branch': {
      const step = {
        type: s.type,
        branches: s.branches.map((b) => ({
          conditions: conditionSetBody(b.conditions, fields),
          ...(b.next === '' ? {} : { next: b.next }),
        })),
      };
      return s.otherwise === '' ? step : { ...step, otherwise: s.otherwise };
    }
    case 'comment':
    case 'send_message':
      return withNext({ type: s.type, body: s.body }, s.next);
    case 'update_ticket':
      return withNext({ type: s.type, actions: s.actions.map(actionBody) }, s.next);
    case 'add_tag':
      return withNext({ type: s.type, tag: s.tag }, s.next);
    case 'close_conversation':
      return withNext({ type: s.type }, s.next);
    case 'http_request':
      return withNext(
        {
          type: s.type,
          url: s.url.trim(),
          method: 'POST',
          ...(s.body.trim() === '' ? {} : { body: s.body }),
        },
        s.next,
      );
  }
}

export function definitionBody(
  draft: WorkflowDraft,
  fields: readonly FieldSpec[],
): WorkflowDefinition {
  const t = draft.trigger;
  const trigger =
    t.type === 'conversation_opened'
      ? { type: t.type, source: t.source }
      : t.type === 'tag_added'
        ? { type: t.type, tag: t.tag }
        : { type: t.type };
  return {
    trigger,
    steps: Object.fromEntries(
      draft.steps.map((s) => [s.id, stepBody(s, fields)]),
    ) as WorkflowDefinition['steps'],
    start: draft.steps[0]?.id ?? '',
  };
}
