import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { availableStorageKinds } from '../../../../storage/src/testing/test-database.js';
import { WorkflowTestBed, type Staff } from './workflow-test-bed.js';

const MINUTE = 60_000;
const NOTE = 'Reassigned to you: the first agent did not answer within 15 minutes';

/**
 * Seed 003: when a contact opens a conversation, assign it to agent A; wait 15 minutes; if the
 * conversation is still Open and no outgoing message exists, assign it to an online member of
 * team B and leave them an internal note.
 */
function seed003(agentA: string, teamB: string) {
  return {
    trigger: { type: 'conversation_opened', source: 'contact' },
    start: 'assign_a',
    steps: {
      assign_a: { type: 'assign_to', target: { agentId: agentA }, next: 'wait' },
      wait: { type: 'wait', seconds: 15 * 60, next: 'check' },
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
        target: { groupId: teamB, strategy: 'round_robin', onlyOnline: true },
        next: 'note',
      },
      note: { type: 'comment', body: NOTE },
    },
  };
}

describe.each(availableStorageKinds())("seed 003's workflow on %s", (kind) => {
  let bed: WorkflowTestBed;
  let ana: Staff;
  let ben: Staff;
  let cleo: Staff;
  let teamB: string;

  beforeAll(async () => {
    bed = await WorkflowTestBed.start(kind);
    ana = await bed.newAgent('Ana');
    ben = await bed.newAgent('Ben');
    cleo = await bed.newAgent('Cleo');
    teamB = await bed.newTeam('Team B', [ben, cleo]);
    // Ben is online; Cleo is a member of team B but not connected.
    await bed.online(ben);
  });
  afterEach(async () => bed.removeWorkflows());
  afterAll(async () => bed.close());

  it('gives the conversation to an online member of team B with a note when agent A does not answer in 15 minutes', async () => {
    await bed.publish(seed003(ana.id, teamB));
    const chat = await bed.customerOpens('My parcel never arrived');
    expect(await bed.ticket(chat)).toMatchObject({ assigneeId: ana.id, status: 'open' });

    await bed.pass(14 * MINUTE);
    expect(await bed.ticket(chat)).toMatchObject({ assigneeId: ana.id });
    await bed.pass(MINUTE);

    expect(await bed.ticket(chat)).toMatchObject({
      assigneeId: ben.id,
      groupId: teamB,
      status: 'open',
    });
    expect(await bed.notes(chat)).toEqual([NOTE]);
  });

  it('changes nothing when agent A answers within 15 minutes', async () => {
    await bed.publish(seed003(ana.id, teamB));
    const chat = await bed.customerOpens('Where is my refund?');
    await bed.pass(10 * MINUTE);
    await bed.reply(ana, chat, 'Looking into it right now');

    await bed.pass(10 * MINUTE);

    expect(await bed.ticket(chat)).toMatchObject({ assigneeId: ana.id, groupId: null });
    expect(await bed.notes(chat)).toEqual([]);
    const [run] = await bed.runs(chat);
    expect(run).toMatchObject({ state: 'finished' });
    expect(run!.steps.at(-1)).toMatchObject({
      stepId: 'check',
      outcome: 'branch',
      detail: { taken: null },
    });
  });

  it("shows each step's outcome in the conversation's run history", async () => {
    const workflowId = await bed.publish(seed003(ana.id, teamB), 'Reassign when unanswered');
    const chat = await bed.customerOpens();
    await bed.pass(15 * MINUTE);

    const runs = await bed.runs(chat);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      workflowId,
      workflowName: 'Reassign when unanswered',
      version: 1,
      trigger: 'conversation_opened',
      state: 'finished',
      currentStep: null,
    });
    expect(runs[0]!.steps.map((s) => [s.stepId, s.outcome])).toEqual([
      ['assign_a', 'done'],
      ['wait', 'waiting'],
      ['wait', 'done'],
      ['check', 'branch'],
      ['assign_b', 'done'],
      ['note', 'done'],
    ]);
    expect(runs[0]!.steps[1]!.detail).toMatchObject({ seconds: 900 });
    expect(runs[0]!.steps[3]!.detail).toMatchObject({ taken: 0, next: 'assign_b' });
    expect(runs[0]!.steps[4]!.detail).toMatchObject({ agentId: ben.id, groupId: teamB });
    const history = await bed.api.call<{ type: string; data: Record<string, unknown> }[]>(
      'GET',
      `/api/tickets/${chat.ticketId}/events`,
      { token: bed.admin.token },
    );
    expect(history.body.find((e) => e.type === 'rule.fired')).toMatchObject({
      data: { ruleType: 'workflow', ruleId: workflowId, name: 'Reassign when unanswered' },
    });
  });

  it('records the assignment as failed with its reason when nobody in the team is online, and goes on', async () => {
    const teamC = await bed.newTeam('Team C', [cleo]);
    await bed.publish(seed003(ana.id, teamC));
    const chat = await bed.customerOpens();
    await bed.pass(15 * MINUTE);

    expect(await bed.ticket(chat)).toMatchObject({ assigneeId: ana.id });
    const [run] = await bed.runs(chat);
    expect(run!.steps.find((s) => s.stepId === 'assign_b')).toMatchObject({
      outcome: 'failed',
      detail: { reason: 'Nobody in the team qualifies: no team member is online' },
    });
    expect(run!.steps.at(-1)).toMatchObject({ stepId: 'note', outcome: 'done' });
    expect(run!.state).toBe('finished');
  });
});
