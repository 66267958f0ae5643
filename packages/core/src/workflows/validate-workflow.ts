import { DomainError } from '../errors.js';
import { MAX_MESSAGE_LENGTH } from '../message/message.js';
import type { RuleActionType } from '../rules/rule-types.js';
import { isWebUrl, validateActions, validateConditionSet } from '../rules/validate-rules.js';
import { normalizeTags } from '../ticket/tags.js';
import { stepSuccessors } from './step-successors.js';
import {
  MAX_WAIT_SECONDS,
  MAX_WORKFLOW_STEPS,
  WORKFLOW_STEP_TYPES,
  WORKFLOW_TRIGGER_TYPES,
  type AssignTarget,
  type BranchPath,
  type WorkflowDefinition,
  type WorkflowFieldAction,
  type WorkflowStep,
  type WorkflowStepType,
  type WorkflowTrigger,
  type WorkflowTriggerType,
} from './workflow-types.js';

type Raw = Record<string, unknown>;

const STEP_ID = /^[A-Za-z0-9_-]{1,64}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_BRANCHES = 20;
const MAX_FIELD_ACTIONS = 20;
const SOURCES = ['contact', 'agent', 'api', 'any'] as const;
const STRATEGIES = ['round_robin', 'least_open'] as const;
const FIELD_ACTION_TYPES: readonly RuleActionType[] = [
  'set_status',
  'set_priority',
  'set_group',
  'set_assignee',
  'add_tags',
  'remove_tags',
];

/**
 * Checks a workflow definition as an admin saves it, and returns it cleaned (tags normalised,
 * defaults filled in). Refused, with a message naming the step and the field:
 * - an unknown trigger, step type or field, or a value that does not fit it;
 * - a `next` (or branch, or otherwise) that names no step;
 * - a step that cannot be reached from the start step;
 * - a loop that contains no Wait step (it would run forever without pausing);
 * - no steps at all, or a Wait shorter than a second or longer than 30 days;
 * - branch conditions the rule language refuses for workflows.
 */
export function validateWorkflowDefinition(raw: unknown): WorkflowDefinition {
  const input = record(raw, '', 'A workflow');
  onlyKeys(input, ['trigger', 'steps', 'start'], '', 'A workflow');
  const trigger = parseTrigger(input.trigger);
  const rawSteps = input.steps === undefined ? {} : record(input.steps, 'steps', 'steps');
  const ids = Object.keys(rawSteps);
  if (ids.length === 0) fail('A workflow needs at least one step: it has none', 'steps');
  if (ids.length > MAX_WORKFLOW_STEPS)
    fail(
      `A workflow has at most ${MAX_WORKFLOW_STEPS} steps (this one has ${ids.length})`,
      'steps',
    );
  const steps: Record<string, WorkflowStep> = {};
  for (const id of ids) {
    if (!STEP_ID.test(id))
      fail(`Step id "${id}" must be 1-64 letters, digits, _ or -`, `steps.${id}`);
    steps[id] = parseStep(id, rawSteps[id]);
  }
  if (typeof input.start !== 'string' || input.start === '')
    fail('The workflow needs a start step (the id of its first step)', 'start');
  const start = input.start as string;
  if (!Object.hasOwn(steps, start)) fail(`The start step "${start}" names no step`, 'start');

  checkReferences(steps);
  checkReachable(steps, start);
  checkLoopsHaveWait(steps);
  return { trigger, steps, start };
}

// --- trigger ------------------------------------------------------------------------------

function parseTrigger(raw: unknown): WorkflowTrigger {
  const t = record(raw, 'trigger', 'The trigger');
  const type = t.type as WorkflowTriggerType;
  if (!WORKFLOW_TRIGGER_TYPES.includes(type)) {
    fail(
      `Unknown trigger "${String(t.type)}" (one of ${WORKFLOW_TRIGGER_TYPES.join(', ')})`,
      'trigger.type',
    );
  }
  switch (type) {
    case 'conversation_opened': {
      onlyKeys(t, ['type', 'source'], 'trigger', 'The trigger');
      const source = t.source as (typeof SOURCES)[number];
      if (!SOURCES.includes(source)) {
        fail(`"Conversation opened" needs a source: ${SOURCES.join(', ')}`, 'trigger.source');
      }
      return { type, source };
    }
    case 'tag_added': {
      onlyKeys(t, ['type', 'tag'], 'trigger', 'The trigger');
      return { type, tag: oneTag(t.tag, 'trigger.tag', 'The trigger') };
    }
    default:
      onlyKeys(t, ['type'], 'trigger', 'The trigger');
      return { type };
  }
}

// --- steps --------------------------------------------------------------------------------

function parseStep(id: string, raw: unknown): WorkflowStep {
  const path = `steps.${id}`;
  const what = `Step "${id}"`;
  const s = record(raw, path, what);
  const type = s.type as WorkflowStepType;
  if (!WORKFLOW_STEP_TYPES.includes(type)) {
    fail(
      `${what} has an unknown type "${String(s.type)}" (one of ${WORKFLOW_STEP_TYPES.join(', ')})`,
      `${path}.type`,
    );
  }
  const next = () => optionalStepRef(s.next, `${path}.next`, what);
  switch (type) {
    case 'assign_to':
      onlyKeys(s, ['type', 'target', 'next'], path, what);
      return withNext({ type, target: parseTarget(s.target, `${path}.target`, what) }, next());
    case 'wait': {
      onlyKeys(s, ['type', 'seconds', 'next'], path, what);
      const seconds = s.seconds;
      if (
        typeof seconds !== 'number' ||
        !Number.isInteger(seconds) ||
        seconds < 1 ||
        seconds > MAX_WAIT_SECONDS
      ) {
        fail(
          `${what}: a Wait lasts a whole number of seconds from 1 second to 30 days (${MAX_WAIT_SECONDS})`,
          `${path}.seconds`,
        );
      }
      return withNext({ type, seconds: seconds as number }, next());
    }
    case 'branch':
      onlyKeys(s, ['type', 'branches', 'otherwise'], path, what);
      return parseBranch(s, path, what);
    case 'comment':
    case 'send_message':
      onlyKeys(s, ['type', 'body', 'next'], path, what);
      return withNext({ type, body: text(s.body, `${path}.body`, what) }, next());
    case 'update_ticket':
      onlyKeys(s, ['type', 'actions', 'next'], path, what);
      return withNext(
        { type, actions: parseFieldActions(s.actions, `${path}.actions`, what) },
        next(),
      );
    case 'add_tag':
      onlyKeys(s, ['type', 'tag', 'next'], path, what);
      return withNext({ type, tag: oneTag(s.tag, `${path}.tag`, what) }, next());
    case 'close_conversation':
      onlyKeys(s, ['type', 'next'], path, what);
      return withNext({ type }, next());
    case 'http_request':
      onlyKeys(s, ['type', 'url', 'method', 'body', 'next'], path, what);
      return withNext(parseHttpRequest(s, path, what), next());
  }
}

function withNext<T extends object>(step: T, next: string | undefined): T & { next?: string } {
  return next === undefined ? step : { ...step, next };
}

function parseTarget(raw: unknown, path: string, what: string): AssignTarget {
  const t = record(raw, path, `${what}: the target`);
  if ('agentId' in t) {
    onlyKeys(t, ['agentId'], path, what);
    return { agentId: id(t.agentId, `${path}.agentId`, `${what}: the agent`) };
  }
  if (!('groupId' in t)) fail(`${what}: assign to an agent (agentId) or to a team (groupId)`, path);
  onlyKeys(t, ['groupId', 'strategy', 'onlyOnline'], path, what);
  const strategy = t.strategy as (typeof STRATEGIES)[number];
  if (!STRATEGIES.includes(strategy)) {
    fail(`${what}: a team assignment uses round_robin or least_open`, `${path}.strategy`);
  }
  if (t.onlyOnline !== undefined && typeof t.onlyOnline !== 'boolean')
    fail(`${what}: onlyOnline is true or false`, `${path}.onlyOnline`);
  return {
    groupId: id(t.groupId, `${path}.groupId`, `${what}: the team`),
    strategy,
    onlyOnline: t.onlyOnline === true,
  };
}

function parseBranch(s: Raw, path: string, what: string): WorkflowStep {
  if (!Array.isArray(s.branches) || s.branches.length === 0 || s.branches.length > MAX_BRANCHES) {
    fail(`${what}: a Branch has 1 to ${MAX_BRANCHES} branches`, `${path}.branches`);
  }
  const branches: BranchPath[] = (s.branches as unknown[]).map((b, i) => {
    const bp = `${path}.branches.${i}`;
    const branch = record(b, bp, `${what}: branch ${i + 1}`);
    onlyKeys(branch, ['conditions', 'next'], bp, what);
    const next = optionalStepRef(branch.next, `${bp}.next`, what);
    if (next === undefined) fail(`${what}: branch ${i + 1} needs a next step`, `${bp}.next`);
    return {
      conditions: inStep(what, () =>
        validateConditionSet(branch.conditions, 'workflow', `${bp}.conditions`),
      ),
      next: next as string,
    };
  });
  const otherwise = optionalStepRef(s.otherwise, `${path}.otherwise`, what);
  return otherwise === undefined
    ? { type: 'branch', branches }
    : { type: 'branch', branches, otherwise };
}

function parseFieldActions(raw: unknown, path: string, what: string): WorkflowFieldAction[] {
  const actions = inStep(what, () =>
    validateActions(raw, path, { allowed: FIELD_ACTION_TYPES }),
  ) as WorkflowFieldAction[];
  if (actions.length > MAX_FIELD_ACTIONS)
    fail(`${what}: Update ticket has at most ${MAX_FIELD_ACTIONS} actions`, path);
  return actions;
}

function parseHttpRequest(s: Raw, path: string, what: string) {
  const url = s.url;
  if (typeof url !== 'string' || !isWebUrl(url))
    fail(`${what}: the URL must be an http or https address`, `${path}.url`);
  if (s.method !== undefined && s.method !== 'POST')
    fail(`${what}: an HTTP request step sends POST`, `${path}.method`);
  const body = s.body === undefined ? undefined : text(s.body, `${path}.body`, what);
  return body === undefined
    ? { type: 'http_request' as const, url: url as string, method: 'POST' as const }
    : { type: 'http_request' as const, url: url as string, method: 'POST' as const, body };
}

// --- the graph ----------------------------------------------------------------------------

function checkReferences(steps: Record<string, WorkflowStep>): void {
  for (const [id, step] of Object.entries(steps)) {
    for (const edge of stepSuccessors(step)) {
      if (!Object.hasOwn(steps, edge.to))
        fail(`Step "${id}": ${edge.field} "${edge.to}" names no step`, `steps.${id}.${edge.field}`);
    }
  }
}

function checkReachable(steps: Record<string, WorkflowStep>, start: string): void {
  const seen = new Set<string>([start]);
  const todo = [start];
  for (let id = todo.pop(); id !== undefined; id = todo.pop()) {
    for (const edge of stepSuccessors(steps[id]!)) {
      if (!seen.has(edge.to)) {
        seen.add(edge.to);
        todo.push(edge.to);
      }
    }
  }
  for (const id of Object.keys(steps)) {
    if (!seen.has(id))
      fail(`Step "${id}" cannot be reached from the start step "${start}"`, `steps.${id}`);
  }
}

/**
 * A run pauses only at Wait steps, so a loop without one would run forever in one go: such a loop
 * is a cycle among the other steps. Depth-first search; a back edge closes a cycle.
 */
function checkLoopsHaveWait(steps: Record<string, WorkflowStep>): void {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (id: string): void => {
    state.set(id, 'open');
    path.push(id);
    for (const edge of stepSuccessors(steps[id]!)) {
      if (steps[edge.to]!.type === 'wait') continue;
      const seen = state.get(edge.to);
      if (seen === 'open') {
        const loop = [...path.slice(path.indexOf(edge.to)), edge.to];
        fail(
          `Steps ${loop.map((s) => `"${s}"`).join(' → ')} form a loop without a Wait: add a Wait step to the loop`,
          `steps.${id}.${edge.field}`,
        );
      }
      if (seen === undefined) visit(edge.to);
    }
    path.pop();
    state.set(id, 'done');
  };
  for (const id of Object.keys(steps)) {
    if (steps[id]!.type !== 'wait' && !state.has(id)) visit(id);
  }
}

// --- small parsers ------------------------------------------------------------------------

function record(raw: unknown, field: string, what: string): Raw {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    fail(`${what} must be an object`, field || undefined);
  return raw as Raw;
}

function onlyKeys(obj: Raw, allowed: readonly string[], path: string, what: string): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) {
      fail(
        `${what}: unknown field "${key}" (allowed: ${allowed.join(', ')})`,
        path ? `${path}.${key}` : key,
      );
    }
  }
}

function optionalStepRef(raw: unknown, field: string, what: string): string | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || raw === '') fail(`${what}: ${field} must be a step id`, field);
  return raw as string;
}

function text(raw: unknown, field: string, what: string): string {
  if (typeof raw !== 'string' || raw.trim() === '') fail(`${what}: a text is required`, field);
  const body = (raw as string).trim();
  if (body.length > MAX_MESSAGE_LENGTH)
    fail(`${what}: a text is at most ${MAX_MESSAGE_LENGTH} characters`, field);
  return body;
}

function id(raw: unknown, field: string, what: string): string {
  if (typeof raw !== 'string' || !UUID.test(raw)) fail(`${what} must be an id`, field);
  return (raw as string).toLowerCase();
}

function oneTag(raw: unknown, field: string, what: string): string {
  if (typeof raw !== 'string') fail(`${what}: a tag is required`, field);
  return tags([raw as string], field, what)[0]!;
}

function tags(raw: readonly string[], field: string, what: string): string[] {
  return inStep(what, () => normalizeTags(raw, field));
}

/** Runs a shared rule-language check, naming the step in its message. */
function inStep<T>(what: string, check: () => T): T {
  try {
    return check();
  } catch (err) {
    if (err instanceof DomainError) fail(`${what}: ${err.message}`, err.field);
    throw err;
  }
}

function fail(message: string, field: string | undefined): never {
  throw new DomainError('validation/invalid', message, field);
}
