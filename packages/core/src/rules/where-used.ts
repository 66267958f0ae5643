import type { BotFlow, BotHandoffTarget } from '../bot/bot-flow.js';
import type { WorkflowDefinition, WorkflowStep } from '../workflows/workflow-types.js';
import type { Condition, ConditionSet, RuleAction, RuleField } from './rule-types.js';

/**
 * "Where used": every place in a stored definition (trigger, automation, workflow, macro, bot
 * flow) that names a group, an agent, a tag or a rule field, so an admin sees what a change to
 * it would touch. Pure walkers over the definitions; the caller loads them.
 */
export type UsageKind = 'group' | 'agent' | 'tag' | 'field';
export const USAGE_KINDS: readonly UsageKind[] = ['group', 'agent', 'tag', 'field'];

/** What is looked for: a group or user id, a tag (any case), or a rule field name. */
export interface UsageTarget {
  readonly kind: UsageKind;
  readonly value: string;
}

export interface UsagePlace {
  /** Where inside the definition, as the validators name fields (`conditions.any.1`, `steps.check.target`). */
  readonly path: string;
  /** The same for people, numbered from 1 (`Condition 2 of any: group is`, `Action 1: set group`). */
  readonly label: string;
}

/** A rule's conditions read these fields; its actions change these. */
const ACTION_FIELD: Readonly<Record<RuleAction['type'], RuleField | null>> = {
  set_status: 'status',
  set_priority: 'priority',
  set_group: 'group',
  set_assignee: 'assignee',
  set_skills: 'skills',
  add_tags: 'tags',
  remove_tags: 'tags',
  add_note: null,
  send_message: null,
  send_csat: null,
  webhook: null,
};

const STEP_LABEL: Readonly<Record<WorkflowStep['type'], string>> = {
  assign_to: 'assign to',
  wait: 'wait',
  branch: 'branch',
  comment: 'comment',
  send_message: 'send message',
  update_ticket: 'update ticket',
  add_tag: 'add tag',
  close_conversation: 'close conversation',
  http_request: 'HTTP request',
};

function items(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

function sameTag(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/** Whether a group id, user id or tag (by `kind`) is among `values`. */
function names(target: UsageTarget, kind: 'group' | 'agent' | 'tag', values: unknown): boolean {
  if (target.kind !== kind) return false;
  const list = items(values);
  return kind === 'tag'
    ? list.some((v) => sameTag(v, target.value))
    : list.some((v) => v === target.value);
}

function conditionUses(c: Condition, target: UsageTarget): boolean {
  switch (target.kind) {
    case 'field':
      return c.field === target.value;
    case 'group':
      return c.field === 'group' && names(target, 'group', c.value);
    case 'agent':
      return c.field === 'assignee' && names(target, 'agent', c.value);
    case 'tag':
      return c.field === 'tags' && names(target, 'tag', c.value);
  }
}

/** The conditions of a set that name the target. */
export function usesInConditions(
  set: ConditionSet,
  target: UsageTarget,
  path = 'conditions',
  label = '',
): UsagePlace[] {
  const out: UsagePlace[] = [];
  for (const list of ['all', 'any'] as const) {
    set[list].forEach((c, i) => {
      if (!conditionUses(c, target)) return;
      out.push({
        path: `${path}.${list}.${i}`,
        label: `${label}Condition ${i + 1} of ${list}: ${c.field} ${c.operator.replace(/_/g, ' ')}`,
      });
    });
  }
  return out;
}

function actionUses(a: RuleAction, target: UsageTarget): boolean {
  const value = 'value' in a ? a.value : undefined;
  switch (target.kind) {
    case 'field':
      return ACTION_FIELD[a.type] === target.value;
    case 'group':
      return a.type === 'set_group' && names(target, 'group', value);
    case 'agent':
      return a.type === 'set_assignee' && names(target, 'agent', value);
    case 'tag':
      return (a.type === 'add_tags' || a.type === 'remove_tags') && names(target, 'tag', value);
  }
}

/** The actions of a list that name the target (a field: the actions that change it). */
export function usesInActions(
  actions: readonly RuleAction[],
  target: UsageTarget,
  path = 'actions',
  label = '',
): UsagePlace[] {
  const out: UsagePlace[] = [];
  actions.forEach((a, i) => {
    if (actionUses(a, target))
      out.push({
        path: `${path}.${i}`,
        label: `${label}Action ${i + 1}: ${a.type.replace(/_/g, ' ')}`,
      });
  });
  return out;
}

/** A trigger or an automation: its conditions, then its actions. */
export function usesInRule(
  rule: { readonly conditions: ConditionSet; readonly actions: readonly RuleAction[] },
  target: UsageTarget,
): UsagePlace[] {
  return [...usesInConditions(rule.conditions, target), ...usesInActions(rule.actions, target)];
}

function stepUses(id: string, step: WorkflowStep, target: UsageTarget): UsagePlace[] {
  const path = `steps.${id}`;
  const label = `Step "${id}" (${STEP_LABEL[step.type]}): `;
  const here = (suffix: string, what: string): UsagePlace => ({
    path: `${path}${suffix}`,
    label: `${label}${what}`,
  });
  switch (step.type) {
    case 'assign_to': {
      const t = step.target;
      if ('groupId' in t) {
        if (
          names(target, 'group', t.groupId) ||
          (target.kind === 'field' && target.value === 'group')
        )
          return [here('.target.groupId', 'assigns to the group')];
      } else if (
        names(target, 'agent', t.agentId) ||
        (target.kind === 'field' && target.value === 'assignee')
      ) {
        return [here('.target.agentId', 'assigns to the agent')];
      }
      return [];
    }
    case 'branch':
      return step.branches.flatMap((b, i) =>
        usesInConditions(
          b.conditions,
          target,
          `${path}.branches.${i}.conditions`,
          `${label}path ${i + 1}, `,
        ),
      );
    case 'update_ticket':
      return usesInActions(step.actions, target, `${path}.actions`, label);
    case 'add_tag':
      return names(target, 'tag', step.tag) || (target.kind === 'field' && target.value === 'tags')
        ? [here('.tag', `adds the tag "${step.tag}"`)]
        : [];
    case 'close_conversation':
      return target.kind === 'field' && target.value === 'status'
        ? [here('', 'sets the status to Solved')]
        : [];
    default:
      return [];
  }
}

/** A workflow definition: its start trigger (tag added), then each step by id. */
export function usesInWorkflow(definition: WorkflowDefinition, target: UsageTarget): UsagePlace[] {
  const out: UsagePlace[] = [];
  const trigger = definition.trigger;
  if (trigger.type === 'tag_added' && names(target, 'tag', trigger.tag))
    out.push({ path: 'trigger.tag', label: `Starts when the tag "${trigger.tag}" is added` });
  const ids = Object.keys(definition.steps).sort((a, b) =>
    a === definition.start ? -1 : b === definition.start ? 1 : a < b ? -1 : a > b ? 1 : 0,
  );
  for (const id of ids) out.push(...stepUses(id, definition.steps[id]!, target));
  return out;
}

function handoffUses(h: BotHandoffTarget, target: UsageTarget, path: string, label: string) {
  const out: UsagePlace[] = [];
  const field = (f: RuleField) => target.kind === 'field' && target.value === f;
  if (names(target, 'group', h.groupId) || (field('group') && h.groupId))
    out.push({ path: `${path}.groupId`, label: `${label}hands off to the group` });
  if (names(target, 'tag', h.tags) || (field('tags') && h.tags?.length))
    out.push({ path: `${path}.tags`, label: `${label}tags the ticket` });
  if (field('priority') && h.priority)
    out.push({ path: `${path}.priority`, label: `${label}sets the priority` });
  if (field('skills') && h.skillIds?.length)
    out.push({ path: `${path}.skillIds`, label: `${label}requires skills` });
  return out;
}

/** The bot flow's handoffs: each handoff node, then the default handoff. */
export function usesInBotFlow(flow: BotFlow, target: UsageTarget): UsagePlace[] {
  const out: UsagePlace[] = [];
  for (const id of Object.keys(flow.nodes).sort()) {
    const node = flow.nodes[id]!;
    if (node.type === 'handoff')
      out.push(
        ...handoffUses(node.handoff, target, `nodes.${id}.handoff`, `Node "${id}" (handoff): `),
      );
  }
  out.push(...handoffUses(flow.defaultHandoff, target, 'defaultHandoff', 'Default handoff: '));
  return out;
}
