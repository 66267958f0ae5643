import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { availableStorageKinds } from '../../../../storage/src/testing/test-database.js';
import { WorkflowTestBed, type Staff } from './workflow-test-bed.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Opened by a contact: wait, then tag the ticket. */
function waitThenTag(tag: string, seconds = 60) {
  return {
    trigger: { type: 'conversation_opened', source: 'contact' },
    start: 'pause',
    steps: {
      pause: { type: 'wait', seconds, next: 'tag' },
      tag: { type: 'add_tag', tag },
    },
  };
}

describe.each(availableStorageKinds())('workflow versions, runs and restarts on %s', (kind) => {
  let bed: WorkflowTestBed;
  let ana: Staff;

  beforeAll(async () => {
    bed = await WorkflowTestBed.start(kind);
    ana = await bed.newAgent('Ana');
  });
  afterEach(async () => bed.removeWorkflows());
  afterAll(async () => bed.close());

  it('finishes a waiting run on the version it started on when a new version is published', async () => {
    const workflowId = await bed.publish(waitThenTag('first-version'));
    const early = await bed.customerOpens();

    const saved = await bed.api.call('PATCH', `/api/workflows/${workflowId}`, {
      token: bed.admin.token,
      body: { definition: waitThenTag('second-version') },
    });
    expect(saved.status).toBe(200);
    const published = await bed.api.call('POST', `/api/workflows/${workflowId}/publish`, {
      token: bed.admin.token,
    });
    expect(published.body).toMatchObject({ version: 2 });
    const late = await bed.customerOpens();
    await bed.pass(MINUTE + 1_000);

    expect((await bed.ticket(early)).tags).toEqual(['first-version']);
    expect((await bed.ticket(late)).tags).toEqual(['second-version']);
    expect((await bed.runs(early))[0]).toMatchObject({ version: 1, state: 'finished' });
    expect((await bed.runs(late))[0]).toMatchObject({ version: 2, state: 'finished' });
  });

  it('keeps the draft apart from what runs: saving a draft changes no published version', async () => {
    const workflowId = await bed.publish(waitThenTag('published'));
    await bed.api.call('PATCH', `/api/workflows/${workflowId}`, {
      token: bed.admin.token,
      body: { definition: waitThenTag('draft-only') },
    });
    const chat = await bed.customerOpens();
    await bed.pass(MINUTE + 1_000);

    expect((await bed.ticket(chat)).tags).toEqual(['published']);
    const versions = await bed.api.call<{ version: number }[]>(
      'GET',
      `/api/workflows/${workflowId}/versions`,
      { token: bed.admin.token },
    );
    expect(versions.body.map((v) => v.version)).toEqual([1]);
  });

  it('carries on with a waiting run after the server restarts', async () => {
    await bed.publish({
      trigger: { type: 'conversation_opened', source: 'contact' },
      start: 'pause',
      steps: {
        pause: { type: 'wait', seconds: 3600, next: 'note' },
        note: { type: 'comment', body: 'Still open after an hour' },
      },
    });
    const chat = await bed.customerOpens();
    expect((await bed.runs(chat))[0]).toMatchObject({ state: 'waiting', currentStep: 'pause' });

    await bed.restart();
    await bed.pass(HOUR + 1_000);

    expect(await bed.notes(chat)).toEqual(['Still open after an hour']);
    expect((await bed.runs(chat))[0]).toMatchObject({ state: 'finished' });
  });

  it('starts no run of an inactive or unpublished workflow', async () => {
    const created = await bed.api.call<{ id: string }>('POST', '/api/workflows', {
      token: bed.admin.token,
      body: { name: 'Never published', definition: waitThenTag('unpublished', 1) },
    });
    expect(created.status).toBe(201);
    const inactive = await bed.publish(waitThenTag('inactive', 1));
    await bed.api.call('PATCH', `/api/workflows/${inactive}`, {
      token: bed.admin.token,
      body: { active: false },
    });

    const chat = await bed.customerOpens();
    await bed.pass(2_000);

    expect(await bed.runs(chat)).toEqual([]);
    expect((await bed.ticket(chat)).tags).toEqual([]);
  });

  it('lets staff start a manual workflow on a conversation and see it run', async () => {
    const workflowId = await bed.publish({
      trigger: { type: 'manual' },
      start: 'escalate',
      steps: {
        escalate: {
          type: 'update_ticket',
          actions: [
            { type: 'set_priority', value: 'urgent' },
            { type: 'add_tags', value: ['escalated'] },
          ],
          next: 'assign',
        },
        assign: { type: 'assign_to', target: { agentId: ana.id }, next: 'solve' },
        solve: { type: 'close_conversation' },
      },
    });
    const chat = await bed.customerOpens();

    const started = await bed.api.call(
      'POST',
      `/api/conversations/${chat.conversationId}/workflows/${workflowId}/runs`,
      { token: ana.token },
    );
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ trigger: 'manual', startedBy: ana.id, state: 'running' });
    await bed.settle();

    expect(await bed.ticket(chat)).toMatchObject({
      status: 'solved',
      assigneeId: ana.id,
      tags: ['escalated'],
    });
    const [run] = await bed.runs(chat);
    expect(run!.steps.map((s) => [s.stepId, s.outcome])).toEqual([
      ['escalate', 'done'],
      ['assign', 'done'],
      ['solve', 'done'],
    ]);
  });

  it('refuses to start by hand a workflow that starts on an event', async () => {
    const workflowId = await bed.publish(waitThenTag('x'));
    const chat = await bed.customerOpens();
    const started = await bed.api.call(
      'POST',
      `/api/conversations/${chat.conversationId}/workflows/${workflowId}/runs`,
      { token: ana.token },
    );
    expect(started.status).toBe(400);
    expect(started.body.error).toMatchObject({ code: 'validation/invalid', field: 'workflowId' });
  });

  it('stops a waiting run when a supervisor cancels it', async () => {
    await bed.publish(waitThenTag('too-late', 600));
    const chat = await bed.customerOpens();
    const [run] = await bed.runs(chat);

    const cancelled = await bed.api.call('POST', `/api/workflow-runs/${run!.id}/cancel`, {
      token: bed.admin.token,
    });
    expect(cancelled.body).toMatchObject({ state: 'cancelled' });
    await bed.pass(HOUR);

    expect((await bed.ticket(chat)).tags).toEqual([]);
  });

  it('stops a run before its next step once the ticket is closed', async () => {
    await bed.publish({
      trigger: { type: 'conversation_opened', source: 'contact' },
      start: 'assign',
      steps: {
        assign: { type: 'assign_to', target: { agentId: ana.id }, next: 'pause' },
        pause: { type: 'wait', seconds: 600, next: 'tag' },
        tag: { type: 'add_tag', tag: 'late' },
      },
    });
    const chat = await bed.customerOpens();
    for (const status of ['solved', 'closed']) {
      const r = await bed.api.call('PATCH', `/api/tickets/${chat.ticketId}`, {
        token: ana.token,
        body: { status },
      });
      expect(r.status).toBe(200);
    }
    await bed.pass(HOUR);

    const [run] = await bed.runs(chat);
    expect(run).toMatchObject({ state: 'cancelled' });
    expect(run!.steps.at(-1)).toMatchObject({ stepId: 'tag', outcome: 'skipped' });
  });

  it('sends an HTTP request step as a signed webhook delivery of the workflow', async () => {
    const received: { headers: IncomingMessage['headers']; body: string }[] = [];
    const receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        received.push({ headers: request.headers, body });
        response.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    try {
      await bed.publish(
        {
          trigger: { type: 'conversation_opened', source: 'contact' },
          start: 'notify',
          steps: { notify: { type: 'http_request', url, method: 'POST', body: 'New chat' } },
        },
        'Notify the CRM',
      );
      const chat = await bed.customerOpens();
      // The run's step queued the delivery; its own timer sends it.
      await bed.settle();
      for (let i = 0; i < 500 && received.length === 0; i++)
        await new Promise((resolve) => setTimeout(resolve, 10));

      expect(received).toHaveLength(1);
      expect(received[0]!.headers['x-parlour-signature']).toEqual(expect.any(String));
      expect(JSON.parse(received[0]!.body)).toMatchObject({
        event: 'workflow.step',
        workflow: { name: 'Notify the CRM', version: 1 },
        stepId: 'notify',
        body: 'New chat',
        ticket: { id: chat.ticketId },
      });
      const [run] = await bed.runs(chat);
      expect(run!.steps[0]).toMatchObject({ stepId: 'notify', outcome: 'done', detail: { url } });
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }
  });

  it("shows managers a workflow's runs", async () => {
    const workflowId = await bed.publish(waitThenTag('listed', 1));
    const chat = await bed.customerOpens();
    const runs = await bed.api.call<{ conversationId: string }[]>(
      'GET',
      `/api/workflows/${workflowId}/runs`,
      { token: bed.admin.token },
    );
    expect(runs.body.map((r) => r.conversationId)).toEqual([chat.conversationId]);
  });
});

describe.each(availableStorageKinds())('saving a workflow on %s', (kind) => {
  let bed: WorkflowTestBed;

  beforeAll(async () => {
    bed = await WorkflowTestBed.start(kind);
  });
  afterAll(async () => bed.close());

  const save = (steps: Record<string, unknown>, start = Object.keys(steps)[0]) =>
    bed.api.call('POST', '/api/workflows', {
      token: bed.admin.token,
      body: { name: 'Broken', definition: { trigger: { type: 'manual' }, start, steps } },
    });

  it('refuses a step nothing leads to, naming it', async () => {
    const r = await save({
      a: { type: 'add_tag', tag: 'vip' },
      orphan: { type: 'close_conversation' },
    });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'validation/invalid', field: 'steps.orphan' });
    expect(r.body.error.message).toContain('"orphan"');
  });

  it('refuses a loop without a Wait, naming its steps', async () => {
    const r = await save({
      a: { type: 'add_tag', tag: 'vip', next: 'b' },
      b: { type: 'comment', body: 'again', next: 'a' },
    });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain('"a" → "b" → "a" form a loop without a Wait');
  });

  it('refuses a next that names no step', async () => {
    const r = await save({ a: { type: 'add_tag', tag: 'vip', next: 'missing' } });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ field: 'steps.a.next' });
  });

  it('refuses a branch condition whose operator does not fit its field', async () => {
    const r = await save({
      a: {
        type: 'branch',
        branches: [
          {
            conditions: {
              all: [{ field: 'minutes_since_last_outgoing_message', operator: 'is', value: 'x' }],
            },
            next: 'b',
          },
        ],
      },
      b: { type: 'close_conversation' },
    });
    expect(r.status).toBe(400);
    expect(r.body.error.field).toBe('steps.a.branches.0.conditions.all.0.operator');
    expect(r.body.error.message).toContain('Step "a"');
  });

  it('refuses an agent or team that does not exist', async () => {
    const r = await save({
      a: { type: 'assign_to', target: { agentId: '0190a000-0000-7000-8000-000000000000' } },
    });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ field: 'steps.a.target.agentId' });
  });

  it('changes nothing when a draft is refused', async () => {
    const created = await bed.api.call<{ id: string }>('POST', '/api/workflows', {
      token: bed.admin.token,
      body: {
        name: 'Fine',
        definition: {
          trigger: { type: 'manual' },
          start: 'a',
          steps: { a: { type: 'add_tag', tag: 'ok' } },
        },
      },
    });
    const refused = await bed.api.call('PATCH', `/api/workflows/${created.body.id}`, {
      token: bed.admin.token,
      body: {
        definition: { trigger: { type: 'manual' }, start: 'a', steps: { a: { type: 'nope' } } },
      },
    });
    expect(refused.status).toBe(400);
    const now = await bed.api.call('GET', `/api/workflows/${created.body.id}`, {
      token: bed.admin.token,
    });
    expect(now.body.draft.steps).toEqual({ a: { type: 'add_tag', tag: 'ok' } });
  });
});
