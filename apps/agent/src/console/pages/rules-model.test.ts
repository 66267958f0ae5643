import { describe, expect, it } from 'vitest';
import type { WorkflowDefinition } from '@parlour/protocol';
import { ApiError } from '../../api.js';
import {
  NONE,
  actionBody,
  actionDraft,
  conditionBody,
  conditionDraft,
  fieldErrors,
  operatorsFor,
  stableJson,
  type FieldSpec,
} from './rules-model.js';
import { moveWithinGroup, placeNear } from './rules-order.js';
import {
  addStep,
  definitionBody,
  removeStep,
  workflowDraft,
  type StepDraft,
} from './rules-workflow-model.js';

const FIELDS: FieldSpec[] = [
  {
    field: 'status',
    operators: ['is', 'is_not', 'changed_to'],
    value: 'status',
    usage: ['trigger', 'workflow'],
  },
  { field: 'group', operators: ['is', 'is_not'], value: 'id', usage: ['trigger'] },
  { field: 'tags', operators: ['contains', 'not_contains'], value: 'tag', usage: ['trigger'] },
  {
    field: 'hours_since_solved',
    operators: ['greater_than'],
    value: 'hours',
    usage: ['automation'],
  },
  { field: 'requester_email_known', operators: ['is'], value: 'boolean', usage: ['trigger'] },
];
const GROUP = '0190a0b0-0000-7000-8000-000000000001';

describe('conditions as the API takes them', () => {
  it('sends a number for hours, true/false for booleans and null for "none"', () => {
    expect(
      conditionBody({ field: 'hours_since_solved', operator: 'greater_than', value: '2' }, FIELDS),
    ).toEqual({ field: 'hours_since_solved', operator: 'greater_than', value: 2 });
    expect(
      conditionBody({ field: 'requester_email_known', operator: 'is', value: 'false' }, FIELDS),
    ).toMatchObject({ value: false });
    expect(conditionBody({ field: 'group', operator: 'is', value: NONE }, FIELDS)).toMatchObject({
      value: null,
    });
  });

  it('sends one tag as a text and several as a list', () => {
    expect(conditionBody({ field: 'tags', operator: 'contains', value: 'vip' }, FIELDS).value).toBe(
      'vip',
    );
    expect(
      conditionBody({ field: 'tags', operator: 'contains', value: 'vip, gold ,' }, FIELDS).value,
    ).toEqual(['vip', 'gold']);
  });

  it('leaves out a blank value so the API names the missing value at its field', () => {
    expect(conditionBody({ field: 'status', operator: 'is', value: ' ' }, FIELDS)).toEqual({
      field: 'status',
      operator: 'is',
    });
  });

  it('reads back what it sends', () => {
    const sent = { field: 'group', operator: 'is', value: null };
    expect(conditionBody(conditionDraft(sent), FIELDS)).toEqual(sent);
    const tags = { field: 'tags', operator: 'contains', value: ['a', 'b'] };
    expect(conditionBody(conditionDraft(tags), FIELDS)).toEqual(tags);
  });

  it('offers the "changed" operators in triggers only', () => {
    expect(operatorsFor(FIELDS[0], 'trigger')).toContain('changed_to');
    expect(operatorsFor(FIELDS[0], 'workflow')).toEqual(['is', 'is_not']);
  });
});

describe('actions as the API takes them', () => {
  it('sends tags as a list, a group as an id or null, a note as its body', () => {
    expect(actionBody({ type: 'add_tags', value: 'a, b', body: '', url: '' })).toEqual({
      type: 'add_tags',
      value: ['a', 'b'],
    });
    expect(actionBody({ type: 'set_group', value: NONE, body: '', url: '' })).toEqual({
      type: 'set_group',
      value: null,
    });
    expect(actionBody(actionDraft({ type: 'add_note', body: 'Hi' }))).toEqual({
      type: 'add_note',
      body: 'Hi',
    });
  });
});

describe('where the API error shows', () => {
  const error = new ApiError(
    400,
    'validation/invalid',
    'needs some text',
    'conditions.all.0.value',
  );

  it('shows an error at its input and at no block above it', () => {
    const at = fieldErrors(error);
    expect(at.at('conditions.all.0.value')).toBe('needs some text');
    expect(at.at('conditions.all.0.field')).toBeUndefined();
    expect(at.exactly('conditions.all')).toBeUndefined();
    expect(at.exactly('conditions.all.0.value')).toBe('needs some text');
  });

  it("drops a workflow's definition. prefix so schema and validator errors land alike", () => {
    const schema = new ApiError(400, 'validation/invalid', 'bad', 'definition.steps.w.seconds');
    expect(fieldErrors(schema, 'definition.').at('steps.w.seconds')).toBe('bad');
  });

  it('claims nothing for an error without a field', () => {
    expect(fieldErrors(new Error('boom')).at('name')).toBeUndefined();
  });
});

describe('reordering rules', () => {
  const order = ['a', 'x', 'b', 'c'];

  it('moves a rule past the previous member of its group, skipping other groups', () => {
    expect(moveWithinGroup(order, ['a', 'b', 'c'], 'b', -1)).toEqual(['b', 'a', 'x', 'c']);
    expect(moveWithinGroup(order, ['a', 'b', 'c'], 'a', 1)).toEqual(['x', 'b', 'a', 'c']);
  });

  it('does not move the first rule of a group up', () => {
    expect(moveWithinGroup(order, ['a', 'b', 'c'], 'a', -1)).toBeNull();
  });

  it('drops a dragged rule before or after the target', () => {
    expect(placeNear(order, 'c', 'a', 'before')).toEqual(['c', 'a', 'x', 'b']);
    expect(placeNear(order, 'a', 'b', 'after')).toEqual(['x', 'b', 'a', 'c']);
  });
});

describe('workflow steps', () => {
  const seed003 = {
    trigger: { type: 'conversation_opened', source: 'contact' },
    start: 'assign',
    steps: {
      note: { type: 'comment', body: 'Reassigned to you' },
      check: {
        type: 'branch',
        branches: [
          {
            conditions: {
              all: [
                { field: 'status', operator: 'is', value: 'open' },
                { field: 'minutes_since_last_outgoing_message', operator: 'not_exists' },
              ],
              any: [],
            },
            next: 'again',
          },
        ],
      },
      again: {
        type: 'assign_to',
        target: { groupId: GROUP, strategy: 'round_robin', onlyOnline: true },
        next: 'note',
      },
      wait: { type: 'wait', seconds: 900, next: 'check' },
      assign: {
        type: 'assign_to',
        target: { groupId: GROUP, strategy: 'round_robin', onlyOnline: true },
        next: 'wait',
      },
    },
  } as WorkflowDefinition;

  it('lists the steps from the start, following each step', () => {
    const draft = workflowDraft('Seed 003', true, seed003);
    expect(draft.steps.map((s) => s.id)).toEqual(['assign', 'wait', 'check', 'again', 'note']);
    expect(draft.steps[1]).toMatchObject({ waitAmount: '15', waitUnit: 'minutes' });
  });

  it('saves exactly the definition it loaded', () => {
    const fields: FieldSpec[] = [
      { field: 'status', operators: ['is'], value: 'status', usage: ['workflow'] },
      {
        field: 'minutes_since_last_outgoing_message',
        operators: ['not_exists'],
        value: 'minutes',
        usage: ['workflow'],
      },
    ];
    const body = definitionBody(workflowDraft('Seed 003', true, seed003), fields);
    expect(stableJson(body)).toBe(stableJson(seed003));
  });

  it('links a new step after the last one, and sends an empty Wait without seconds', () => {
    let steps: StepDraft[] = addStep([], 'assign_to');
    steps = addStep(steps, 'wait');
    expect(steps.map((s) => [s.id, s.next])).toEqual([
      ['assign_to_1', 'wait_2'],
      ['wait_2', ''],
    ]);
    const body = definitionBody(
      { name: 'x', active: true, trigger: { type: 'manual', source: '', tag: '' }, steps },
      [],
    );
    expect(body.steps['wait_2']).toEqual({ type: 'wait' });
    expect(body.start).toBe('assign_to_1');
  });

  it('removing a step joins its neighbours', () => {
    const steps = addStep(addStep(addStep([], 'assign_to'), 'wait'), 'comment');
    expect(removeStep(steps, 'wait_2').map((s) => [s.id, s.next])).toEqual([
      ['assign_to_1', 'comment_3'],
      ['comment_3', ''],
    ]);
  });
});
