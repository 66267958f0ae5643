import { describe, expect, it } from 'vitest';
import type { TicketFacts, TicketUpdate } from '../rules/rule-types.js';
import { AT, buildTicket } from '../testing/build.js';
import type { Ticket } from '../ticket/ticket.js';
import { advanceRun } from './advance-run.js';
import type { WorkflowDefinition } from './workflow-types.js';

const MINUTE = 60_000;

const SEED_003: WorkflowDefinition = {
  trigger: { type: 'conversation_opened', source: 'contact' },
  start: 'assign_a',
  steps: {
    assign_a: { type: 'assign_to', target: { agentId: 'agent-a' }, next: 'wait' },
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
            any: [],
          },
          next: 'assign_b',
        },
      ],
    },
    assign_b: {
      type: 'assign_to',
      target: { groupId: 'team-b', strategy: 'round_robin', onlyOnline: true },
      next: 'note',
    },
    note: { type: 'comment', body: 'Reassigned' },
  },
};

function facts(ticket: Partial<Ticket> = {}, lastAgentReplyAt: Date | null = null): TicketUpdate {
  const now: TicketFacts = {
    ticket: buildTicket({ status: 'open', assigneeId: 'agent-a', ...ticket }),
    skills: [],
    requesterEmailKnown: false,
    sessionState: 'active',
    sessionEndReason: null,
    channel: 'messaging',
    pendingSince: null,
    lastAgentReplyAt,
    lastCustomerMessageAt: null,
  };
  return { before: now, after: now, comment: null, at: new Date(AT.getTime() + 15 * MINUTE) };
}

describe('advanceRun', () => {
  it('hands the start step to the server to perform first', () => {
    const { move } = advanceRun(SEED_003, { stepId: 'assign_a' }, undefined, AT);
    expect(move).toMatchObject({ type: 'perform', stepId: 'assign_a', next: 'wait' });
  });

  it('pauses at a Wait until its duration has passed', () => {
    const { move } = advanceRun(SEED_003, { stepId: 'wait' }, undefined, AT);
    expect(move).toEqual({
      type: 'wait',
      stepId: 'wait',
      seconds: 900,
      until: new Date(AT.getTime() + 15 * MINUTE),
    });
  });

  it('asks for the ticket before deciding a branch', () => {
    const { move } = advanceRun(SEED_003, { stepId: 'wait', waitOver: true }, undefined, AT);
    expect(move).toEqual({ type: 'needs_facts', stepId: 'check' });
  });

  it('takes the first branch whose conditions hold once the Wait is over', () => {
    const result = advanceRun(SEED_003, { stepId: 'wait', waitOver: true }, facts(), AT);
    expect(result.branches).toMatchObject([{ stepId: 'check', taken: 0, next: 'assign_b' }]);
    expect(result.move).toMatchObject({ type: 'perform', stepId: 'assign_b', next: 'note' });
  });

  it('ends the run when no branch holds and the Branch has no otherwise', () => {
    const answered = facts({}, new Date(AT.getTime() + 5 * MINUTE));
    const result = advanceRun(SEED_003, { stepId: 'check' }, answered, AT);
    expect(result.branches).toMatchObject([{ stepId: 'check', taken: null, next: null }]);
    expect(result.move).toEqual({ type: 'finish' });
  });

  it('records what each condition of the branches it looked at saw', () => {
    const answered = facts({}, new Date(AT.getTime() + 5 * MINUTE));
    const [decision] = advanceRun(SEED_003, { stepId: 'check' }, answered, AT).branches;
    expect(decision!.checked).toHaveLength(1);
    expect(decision!.checked[0]!.conditions.map((c) => c.holds)).toEqual([true, false]);
  });

  it('follows otherwise when no branch holds', () => {
    const definition: WorkflowDefinition = {
      ...SEED_003,
      steps: {
        ...SEED_003.steps,
        check: { ...(SEED_003.steps.check as { type: 'branch'; branches: [] }), otherwise: 'note' },
      },
    };
    const result = advanceRun(definition, { stepId: 'check' }, facts({ status: 'pending' }), AT);
    expect(result.branches).toMatchObject([{ stepId: 'check', taken: 'otherwise', next: 'note' }]);
    expect(result.move).toMatchObject({ type: 'perform', stepId: 'note', next: null });
  });

  it('finishes after a step without next', () => {
    expect(advanceRun(SEED_003, { stepId: null }, undefined, AT).move).toEqual({ type: 'finish' });
  });

  it('finishes when a Wait is the last step and its time is over', () => {
    const definition: WorkflowDefinition = {
      trigger: { type: 'manual' },
      start: 'w',
      steps: { w: { type: 'wait', seconds: 60 } },
    };
    expect(advanceRun(definition, { stepId: 'w', waitOver: true }, undefined, AT).move).toEqual({
      type: 'finish',
    });
  });
});
