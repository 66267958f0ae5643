import { describe, expect, it } from 'vitest';
import { thrown } from '../testing/build.js';
import { validateWorkflowDefinition } from './validate-workflow.js';

const AGENT_A = '0190a000-0000-7000-8000-00000000000a';
const TEAM_B = '0190a000-0000-7000-8000-00000000000b';

/** Seed 003: assign to agent A, wait 15 minutes, and if nobody answered, to team B plus a note. */
function seed003(): Record<string, unknown> {
  return {
    trigger: { type: 'conversation_opened', source: 'contact' },
    start: 'assign_a',
    steps: {
      assign_a: { type: 'assign_to', target: { agentId: AGENT_A }, next: 'wait' },
      wait: { type: 'wait', seconds: 900, next: 'check' },
      check: {
        type: 'branch',
        branches: [
          {
            conditions: {
              all: [
                { field: 'status', operator: 'is', value: 'open' },
                { field: 'minutes_since_last_outgoing_message', operator: 'not_exists' },
              ],
            },
            next: 'assign_b',
          },
        ],
      },
      assign_b: {
        type: 'assign_to',
        target: { groupId: TEAM_B, strategy: 'round_robin', onlyOnline: true },
        next: 'note',
      },
      note: { type: 'comment', body: 'Reassigned: the first agent did not answer in 15 minutes' },
    },
  };
}

function withSteps(steps: Record<string, unknown>, start = Object.keys(steps)[0]!) {
  return { trigger: { type: 'manual' }, start, steps };
}

describe('validateWorkflowDefinition', () => {
  it("accepts seed 003's workflow as written", () => {
    const definition = validateWorkflowDefinition(seed003());
    expect(definition.start).toBe('assign_a');
    expect(Object.keys(definition.steps)).toEqual([
      'assign_a',
      'wait',
      'check',
      'assign_b',
      'note',
    ]);
    expect(definition.steps.assign_b).toMatchObject({
      target: { groupId: TEAM_B, strategy: 'round_robin', onlyOnline: true },
    });
  });

  it('refuses a workflow without steps', () => {
    const error = thrown(() => validateWorkflowDefinition(withSteps({}, 'a')));
    expect(error).toMatchObject({ code: 'validation/invalid', field: 'steps' });
  });

  it('refuses an unknown step type, naming the step', () => {
    const error = thrown(() => validateWorkflowDefinition(withSteps({ a: { type: 'teleport' } })));
    expect(error.field).toBe('steps.a.type');
    expect(error.message).toContain('Step "a"');
  });

  it('refuses a field the step type does not have', () => {
    const error = thrown(() =>
      validateWorkflowDefinition(withSteps({ a: { type: 'wait', seconds: 60, color: 'red' } })),
    );
    expect(error.field).toBe('steps.a.color');
  });

  it('refuses a next that names no step', () => {
    const error = thrown(() =>
      validateWorkflowDefinition(withSteps({ a: { type: 'close_conversation', next: 'b' } })),
    );
    expect(error.field).toBe('steps.a.next');
    expect(error.message).toContain('"b" names no step');
  });

  it('refuses a branch that leads to no step', () => {
    const error = thrown(() =>
      validateWorkflowDefinition(
        withSteps({ a: { type: 'branch', branches: [{ conditions: {}, next: 'nowhere' }] } }),
      ),
    );
    expect(error.field).toBe('steps.a.branches.0.next');
  });

  it('refuses a start that names no step', () => {
    const error = thrown(() =>
      validateWorkflowDefinition(withSteps({ a: { type: 'close_conversation' } }, 'b')),
    );
    expect(error.field).toBe('start');
  });

  it('refuses a step that cannot be reached from the start', () => {
    const error = thrown(() =>
      validateWorkflowDefinition(
        withSteps({
          a: { type: 'add_tag', tag: 'vip' },
          orphan: { type: 'close_conversation' },
        }),
      ),
    );
    expect(error.field).toBe('steps.orphan');
    expect(error.message).toContain('Step "orphan" cannot be reached');
  });

  it('refuses a loop without a Wait, naming its steps', () => {
    const error = thrown(() =>
      validateWorkflowDefinition(
        withSteps({
          a: { type: 'add_tag', tag: 'vip', next: 'b' },
          b: { type: 'comment', body: 'again', next: 'a' },
        }),
      ),
    );
    expect(error.message).toContain('"a" → "b" → "a" form a loop without a Wait');
    expect(error.field).toBe('steps.b.next');
  });

  it('refuses a loop that goes through a branch without a Wait', () => {
    const error = thrown(() =>
      validateWorkflowDefinition(
        withSteps({
          a: {
            type: 'branch',
            branches: [{ conditions: {}, next: 'b' }],
            otherwise: 'c',
          },
          b: { type: 'comment', body: 'again', next: 'a' },
          c: { type: 'close_conversation' },
        }),
      ),
    );
    expect(error.message).toContain('loop without a Wait');
  });

  it('accepts a loop that pauses at a Wait', () => {
    const definition = validateWorkflowDefinition(
      withSteps({
        a: { type: 'comment', body: 'Still waiting for you', next: 'pause' },
        pause: { type: 'wait', seconds: 3600, next: 'a' },
      }),
    );
    expect(definition.steps.pause).toEqual({ type: 'wait', seconds: 3600, next: 'a' });
  });

  it('refuses a Wait shorter than a second or longer than 30 days', () => {
    for (const seconds of [0, 1.5, 30 * 24 * 3600 + 1]) {
      const error = thrown(() =>
        validateWorkflowDefinition(withSteps({ a: { type: 'wait', seconds } })),
      );
      expect(error.field).toBe('steps.a.seconds');
    }
  });

  it('refuses a branch condition the rule language refuses, naming the step and condition', () => {
    const error = thrown(() =>
      validateWorkflowDefinition(
        withSteps({
          a: {
            type: 'branch',
            branches: [
              {
                conditions: { all: [{ field: 'status', operator: 'contains', value: 'open' }] },
                next: 'b',
              },
            ],
          },
          b: { type: 'close_conversation' },
        }),
      ),
    );
    expect(error.field).toBe('steps.a.branches.0.conditions.all.0.operator');
    expect(error.message).toContain('Step "a"');
  });

  it('refuses an unknown trigger', () => {
    const error = thrown(() =>
      validateWorkflowDefinition({
        ...withSteps({ a: { type: 'close_conversation' } }),
        trigger: { type: 'sunrise' },
      }),
    );
    expect(error.field).toBe('trigger.type');
  });

  it('requires the source of a "conversation opened" trigger', () => {
    const error = thrown(() =>
      validateWorkflowDefinition({
        ...withSteps({ a: { type: 'close_conversation' } }),
        trigger: { type: 'conversation_opened' },
      }),
    );
    expect(error.field).toBe('trigger.source');
  });

  it('normalises the tag of an Add tag step', () => {
    const definition = validateWorkflowDefinition(
      withSteps({ a: { type: 'add_tag', tag: ' VIP ' } }),
    );
    expect(definition.steps.a).toEqual({ type: 'add_tag', tag: 'vip' });
  });

  it('refuses an Update ticket action that is not a field change', () => {
    const error = thrown(() =>
      validateWorkflowDefinition(
        withSteps({ a: { type: 'update_ticket', actions: [{ type: 'send_csat' }] } }),
      ),
    );
    expect(error.field).toBe('steps.a.actions.0.type');
  });

  it('sends HTTP requests as POST to an http(s) URL only', () => {
    expect(
      validateWorkflowDefinition(
        withSteps({ a: { type: 'http_request', url: 'https://hooks.example.com/parlour' } }),
      ).steps.a,
    ).toEqual({ type: 'http_request', url: 'https://hooks.example.com/parlour', method: 'POST' });
    expect(
      thrown(() =>
        validateWorkflowDefinition(
          withSteps({ a: { type: 'http_request', url: 'https://x.example', method: 'GET' } }),
        ),
      ).field,
    ).toBe('steps.a.method');
    expect(
      thrown(() =>
        validateWorkflowDefinition(
          withSteps({ a: { type: 'http_request', url: 'ftp://x.example' } }),
        ),
      ).field,
    ).toBe('steps.a.url');
  });

  it('assigns to a team with a strategy and to an agent by id', () => {
    const error = thrown(() =>
      validateWorkflowDefinition(
        withSteps({ a: { type: 'assign_to', target: { groupId: TEAM_B, strategy: 'random' } } }),
      ),
    );
    expect(error.field).toBe('steps.a.target.strategy');
    expect(
      thrown(() =>
        validateWorkflowDefinition(
          withSteps({ a: { type: 'assign_to', target: { agentId: 'ana' } } }),
        ),
      ).field,
    ).toBe('steps.a.target.agentId');
  });
});
