import { describe, expect, it } from 'vitest';
import type { BotFlow } from '../bot/bot-flow.js';
import type { WorkflowDefinition } from '../workflows/workflow-types.js';
import type { ConditionSet, RuleAction } from './rule-types.js';
import { usesInBotFlow, usesInRule, usesInWorkflow } from './where-used.js';

const G1 = '00000000-0000-4000-8000-000000000001';
const G2 = '00000000-0000-4000-8000-000000000002';
const U1 = '00000000-0000-4000-8000-0000000000a1';

const conditions: ConditionSet = {
  all: [{ field: 'status', operator: 'changed_to', value: 'open' }],
  any: [
    { field: 'group', operator: 'is', value: G2 },
    { field: 'group', operator: 'is', value: G1 },
    { field: 'tags', operator: 'contains', value: ['VIP', 'press'] },
  ],
};
const actions: RuleAction[] = [
  { type: 'add_note', body: 'hi' },
  { type: 'set_group', value: G1 },
  { type: 'set_assignee', value: U1 },
  { type: 'remove_tags', value: ['vip'] },
];

describe('where a rule uses something', () => {
  it('names the condition and the action that refer to a group', () => {
    expect(usesInRule({ conditions, actions }, { kind: 'group', value: G1 })).toEqual([
      { path: 'conditions.any.1', label: 'Condition 2 of any: group is' },
      { path: 'actions.1', label: 'Action 2: set group' },
    ]);
  });

  it('finds an agent in an assign action', () => {
    expect(usesInRule({ conditions, actions }, { kind: 'agent', value: U1 })).toEqual([
      { path: 'actions.2', label: 'Action 3: set assignee' },
    ]);
  });

  it('matches tags whatever their case, in conditions and actions', () => {
    const paths = usesInRule({ conditions, actions }, { kind: 'tag', value: 'Vip' }).map(
      (p) => p.path,
    );
    expect(paths).toEqual(['conditions.any.2', 'actions.3']);
  });

  it('lists the conditions that read a field and the actions that change it', () => {
    expect(
      usesInRule({ conditions, actions }, { kind: 'field', value: 'status' }).map((p) => p.path),
    ).toEqual(['conditions.all.0']);
    expect(
      usesInRule({ conditions, actions }, { kind: 'field', value: 'tags' }).map((p) => p.path),
    ).toEqual(['conditions.any.2', 'actions.3']);
  });

  it('finds nothing in a rule that does not refer to it', () => {
    expect(usesInRule({ conditions, actions }, { kind: 'group', value: 'other' })).toEqual([]);
    expect(usesInRule({ conditions, actions }, { kind: 'field', value: 'priority' })).toEqual([]);
  });
});

describe('where a workflow uses something', () => {
  const definition: WorkflowDefinition = {
    trigger: { type: 'tag_added', tag: 'vip' },
    start: 'assign',
    steps: {
      check: {
        type: 'branch',
        branches: [
          {
            conditions: { all: [{ field: 'group', operator: 'is', value: G1 }], any: [] },
            next: 'tag',
          },
        ],
      },
      assign: {
        type: 'assign_to',
        target: { groupId: G1, strategy: 'round_robin', onlyOnline: true },
        next: 'check',
      },
      tag: { type: 'add_tag', tag: 'VIP', next: 'fix' },
      fix: { type: 'update_ticket', actions: [{ type: 'set_assignee', value: U1 }] },
    },
  };

  it('names the steps that assign to or branch on a group, the start step first', () => {
    expect(usesInWorkflow(definition, { kind: 'group', value: G1 })).toEqual([
      {
        path: 'steps.assign.target.groupId',
        label: 'Step "assign" (assign to): assigns to the group',
      },
      {
        path: 'steps.check.branches.0.conditions.all.0',
        label: 'Step "check" (branch): path 1, Condition 1 of all: group is',
      },
    ]);
  });

  it('finds a tag in the start trigger and in an Add tag step', () => {
    expect(usesInWorkflow(definition, { kind: 'tag', value: 'vip' }).map((p) => p.path)).toEqual([
      'trigger.tag',
      'steps.tag.tag',
    ]);
  });

  it('finds an agent in an Update ticket step', () => {
    expect(usesInWorkflow(definition, { kind: 'agent', value: U1 })).toEqual([
      { path: 'steps.fix.actions.0', label: 'Step "fix" (update ticket): Action 1: set assignee' },
    ]);
  });
});

describe('where the bot flow uses something', () => {
  const flow: BotFlow = {
    enabled: true,
    start: 'menu',
    nodes: {
      menu: { type: 'message', text: 'Hi', buttons: [{ label: 'Billing', next: 'billing' }] },
      billing: {
        type: 'handoff',
        handoff: { groupId: G2, tags: ['billing'], priority: 'high' },
      },
    },
    defaultHandoff: { groupId: G1, tags: ['bot'] },
  };

  it('names the handoff node and the default handoff that send to a group', () => {
    expect(usesInBotFlow(flow, { kind: 'group', value: G2 })).toEqual([
      {
        path: 'nodes.billing.handoff.groupId',
        label: 'Node "billing" (handoff): hands off to the group',
      },
    ]);
    expect(usesInBotFlow(flow, { kind: 'group', value: G1 }).map((p) => p.path)).toEqual([
      'defaultHandoff.groupId',
    ]);
  });

  it('finds the handoffs that tag a ticket or set its priority', () => {
    expect(usesInBotFlow(flow, { kind: 'tag', value: 'BOT' }).map((p) => p.path)).toEqual([
      'defaultHandoff.tags',
    ]);
    expect(usesInBotFlow(flow, { kind: 'field', value: 'priority' }).map((p) => p.path)).toEqual([
      'nodes.billing.handoff.priority',
    ]);
  });
});
