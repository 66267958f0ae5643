import type { ApiDelivery } from '@parlour/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableStorageKinds } from '../../../../storage/src/testing/test-database.js';
import { ManualClock } from '../../clock.js';
import { startTestServer, type TestServer } from '../../testing/test-server.js';
import { webhookRetryDelayMs } from '../outbound/webhook-service.js';
import { verifyWebhook } from '../outbound/webhook-signature.js';
import { answer, apiChannelClient, loopbackReceiver } from './api-channel-test-bed.js';

describe.each(availableStorageKinds())('API channel outbound on %s', (kind) => {
  const clock = new ManualClock();
  let t: TestServer;
  let c: ReturnType<typeof apiChannelClient>;
  const closing: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    t = await startTestServer(kind, { clock });
    c = apiChannelClient(t, clock);
  });
  afterAll(async () => {
    await t.close();
    for (const close of closing) await close();
  });

  async function endpoint(respond: Parameters<typeof loopbackReceiver>[0]) {
    const r = await loopbackReceiver(respond);
    closing.push(r.close);
    return r;
  }

  let contacts = 0;
  /** A customer writes through the inbox; resolves to their conversation. */
  async function customerWrites(inbox: { id: string }, secret: string, text = 'Hello') {
    const r = await c.send(inbox.id, secret, {
      contact: { id: `contact-${++contacts}`, name: 'Grace' },
      text,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body as { conversationId: string; ticketId: string };
  }

  const reply = async (conversationId: string, body: string) =>
    c.api.call('POST', `/api/conversations/${conversationId}/messages`, {
      token: await c.agent(),
      body: { body },
    });

  const deliveries = async (inboxId: string) => {
    const r = await c.api.call<ApiDelivery[]>(
      'GET',
      `/api/channels/api/inboxes/${inboxId}/deliveries`,
      { token: await c.admin() },
    );
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body;
  };

  const deliverDue = async () => {
    await t.server.timers.runDue();
    await t.server.services.apiOutbound.settle();
  };

  it("posts an agent's reply to the inbox's webhook, signed with the inbox's secret", async () => {
    const hook = await endpoint(answer(200));
    const { inbox, secret } = await c.createInbox({ webhookUrl: hook.url });
    const { conversationId, ticketId } = await customerWrites(inbox, secret);
    const r = await reply(conversationId, 'Your parcel left this morning.');
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    await deliverDue();

    expect(hook.received).toHaveLength(1);
    const [request] = hook.received;
    const now = Math.floor(clock.now().getTime() / 1000);
    const headers = {
      timestamp: request!.headers['x-parlour-timestamp'] as string,
      signature: request!.headers['x-parlour-signature'] as string,
    };
    expect(verifyWebhook(secret, headers, request!.body, now)).toBe(true);
    expect(verifyWebhook('another-secret', headers, request!.body, now)).toBe(false);
    expect(JSON.parse(request!.body)).toMatchObject({
      type: 'message.created',
      inboxId: inbox.id,
      conversationId,
      ticketId,
      contact: { id: `contact-${contacts}` },
      message: { text: 'Your parcel left this morning.', authorType: 'user' },
      template: null,
    });
    const [delivery] = await deliveries(inbox.id);
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 1, lastStatus: 200 });
    expect(request!.headers['x-parlour-delivery']).toBe(delivery!.id);
  });

  it('never sends internal notes or the customer’s own messages', async () => {
    const hook = await endpoint(answer(200));
    const { inbox, secret } = await c.createInbox({ webhookUrl: hook.url });
    const { conversationId } = await customerWrites(inbox, secret);
    const note = await c.api.call('POST', `/api/conversations/${conversationId}/messages`, {
      token: await c.agent(),
      body: { body: 'Customer seems upset', kind: 'internal' },
    });
    expect(note.status).toBe(201);
    await deliverDue();
    expect(hook.received).toHaveLength(0);
    expect(await deliveries(inbox.id)).toEqual([]);
  });

  it('retries with backoff, then dead-letters after 6 tries; an admin retry delivers it', async () => {
    let status = 500;
    const hook = await endpoint((res) => res.writeHead(status).end());
    const { inbox, secret } = await c.createInbox({ webhookUrl: hook.url });
    const { conversationId } = await customerWrites(inbox, secret);
    await reply(conversationId, 'Try to deliver me');
    await deliverDue();
    expect(hook.received).toHaveLength(1);
    for (let failures = 1; failures < 6; failures++) {
      // Not a moment before the backoff is over.
      clock.advance(webhookRetryDelayMs(failures) - 1_000);
      await deliverDue();
      expect(hook.received).toHaveLength(failures);
      const [pending] = await deliveries(inbox.id);
      expect(pending).toMatchObject({ status: 'pending', attempts: failures, lastStatus: 500 });
      clock.advance(1_000);
      await deliverDue();
      expect(hook.received).toHaveLength(failures + 1);
    }
    const [dead] = await deliveries(inbox.id);
    expect(dead).toMatchObject({ status: 'failed', attempts: 6, lastError: 'HTTP 500' });
    clock.advance(24 * 3_600_000);
    await deliverDue();
    expect(hook.received).toHaveLength(6);

    const failedOnly = await c.api.call(
      'GET',
      `/api/channels/api/inboxes/${inbox.id}/deliveries?status=failed`,
      { token: await c.admin() },
    );
    expect(failedOnly.body).toHaveLength(1);
    status = 204;
    const retried = await c.api.call(
      'POST',
      `/api/channels/api/inboxes/${inbox.id}/deliveries/${dead!.id}/retry`,
      { token: await c.admin() },
    );
    expect(retried.status, JSON.stringify(retried.body)).toBe(200);
    await deliverDue();
    expect(hook.received).toHaveLength(7);
    expect((await deliveries(inbox.id))[0]).toMatchObject({ status: 'delivered', attempts: 1 });
    const again = await c.api.call(
      'POST',
      `/api/channels/api/inboxes/${inbox.id}/deliveries/${dead!.id}/retry`,
      { token: await c.admin() },
    );
    expect(again.status).toBe(409);
  });

  it('keeps a hanging endpoint from delaying another inbox’s deliveries', async () => {
    const hanging = await endpoint(() => {
      /* never answers */
    });
    const healthy = await endpoint(answer(200));
    const stuck = await c.createInbox({ webhookUrl: hanging.url });
    const fine = await c.createInbox({ webhookUrl: healthy.url });
    const stuckConversation = await customerWrites(stuck.inbox, stuck.secret);
    // More replies than the hanging endpoint's lane holds at once.
    for (let i = 0; i < 6; i++) await reply(stuckConversation.conversationId, `Stuck ${i}`);
    await t.server.timers.runDue();
    await hanging.receivedAtLeast(4);

    const fineConversation = await customerWrites(fine.inbox, fine.secret);
    const started = Date.now();
    await reply(fineConversation.conversationId, 'Prompt');
    await t.server.timers.runDue();
    await healthy.receivedAtLeast(1);
    expect(Date.now() - started).toBeLessThan(2_000);
    // The hanging lane holds at most 4 requests; the rest wait for that endpoint only.
    expect(hanging.received).toHaveLength(4);
    expect(JSON.parse(healthy.received[0]!.body).message.text).toBe('Prompt');
    // The endpoint goes away: its tries fail (and will be retried), freeing its lane.
    await hanging.close();
    await t.server.services.apiOutbound.settle();
    const stuckDeliveries = await deliveries(stuck.inbox.id);
    expect(stuckDeliveries.filter((d) => d.attempts === 1)).toHaveLength(6);
  });

  it('refuses free text outside the reply window and sends templates instead', async () => {
    const hook = await endpoint(answer(200));
    const { inbox, secret } = await c.createInbox({
      webhookUrl: hook.url,
      replyWindowHours: 24,
      templates: [
        { name: 'order_update', body: 'Hello {{name}}, your order {{order}} has shipped.' },
      ],
    });
    const { conversationId } = await customerWrites(inbox, secret);
    clock.advance(23 * 3_600_000);
    expect((await reply(conversationId, 'Within the window')).status).toBe(201);

    clock.advance(2 * 3_600_000);
    const late = await reply(conversationId, 'Too late for free text');
    expect(late.status).toBe(422);
    expect(late.body.error).toMatchObject({
      code: 'api-channel/reply-window-closed',
      field: 'body',
    });
    expect(late.body.error.message).toContain('order_update');

    const send = (body: unknown) =>
      c
        .agent()
        .then((token) =>
          c.api.call('POST', `/api/conversations/${conversationId}/templates`, { token, body }),
        );
    const unknown = await send({ name: 'nope' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({
      code: 'api-channel/unknown-template',
      field: 'name',
    });
    const missing = await send({ name: 'order_update', parameters: { name: 'Grace' } });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({
      code: 'api-channel/template-parameters',
      field: 'parameters.order',
    });
    const sent = await send({
      name: 'order_update',
      parameters: { name: 'Grace', order: 'A-42' },
    });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    expect(sent.body.message.body).toBe('Hello Grace, your order A-42 has shipped.');
    await deliverDue();
    const bodies = hook.received.map((r) => JSON.parse(r.body));
    expect(bodies.map((b) => b.message.text)).toEqual([
      'Within the window',
      'Hello Grace, your order A-42 has shipped.',
    ]);
    expect(bodies[1].template).toEqual({
      name: 'order_update',
      parameters: { name: 'Grace', order: 'A-42' },
    });

    // The customer writes again: the window opens again.
    await c.send(inbox.id, secret, {
      contact: { id: `contact-${contacts}`, name: 'Grace' },
      text: 'Thanks!',
    });
    expect((await reply(conversationId, 'You are welcome')).status).toBe(201);
  });

  it("delivers a trigger's message, and records a failed action outside the reply window", async () => {
    const hook = await endpoint(answer(200));
    const { inbox, secret } = await c.createInbox({ webhookUrl: hook.url, replyWindowHours: 1 });
    const admin = await c.admin();
    const trigger = await c.api.call('POST', '/api/triggers', {
      token: admin,
      body: {
        name: 'Acknowledge API contacts',
        conditions: {
          all: [
            { field: 'update_type', operator: 'is', value: 'created' },
            { field: 'channel', operator: 'is', value: 'api' },
          ],
          any: [],
        },
        actions: [{ type: 'send_message', body: 'Thanks, we got your message.' }],
      },
    });
    expect(trigger.status, JSON.stringify(trigger.body)).toBe(201);
    const pending = await c.api.call('POST', '/api/triggers', {
      token: admin,
      body: {
        name: 'Tell API contacts we wait',
        conditions: { all: [{ field: 'status', operator: 'is', value: 'pending' }], any: [] },
        actions: [{ type: 'send_message', body: 'We are waiting for you.' }],
      },
    });
    try {
      const { ticketId } = await customerWrites(inbox, secret);
      await deliverDue();
      expect(hook.received.map((r) => JSON.parse(r.body).message)).toMatchObject([
        { text: 'Thanks, we got your message.', authorType: 'system' },
      ]);
      clock.advance(2 * 3_600_000);
      const agent = await c.agent();
      const me = (await c.api.call('GET', '/api/me', { token: agent })).body.id as string;
      const patched = await c.api.call('PATCH', `/api/tickets/${ticketId}`, {
        token: agent,
        body: { assigneeId: me, status: 'pending' },
      });
      expect(patched.status, JSON.stringify(patched.body)).toBe(200);
      await deliverDue();
      expect(hook.received).toHaveLength(1);
      const events = await c.api.call('GET', `/api/tickets/${ticketId}/events`, { token: agent });
      const failed = (events.body as { type: string; data: { reason?: string } }[]).find(
        (e) => e.type === 'rule.action_failed',
      );
      expect(failed?.data.reason).toMatch(/reply window/);
    } finally {
      for (const id of [trigger.body.id, pending.body.id])
        await c.api.call('DELETE', `/api/triggers/${id}`, { token: admin });
    }
  });

  it('refuses templates on conversations of other channels', async () => {
    const visitor = await c.api.visitor();
    const started = await c.api.call('POST', '/api/conversations', {
      token: visitor.token,
      body: { body: 'Hi from the widget' },
    });
    const r = await c.api.call(
      'POST',
      `/api/conversations/${started.body.conversation.id}/templates`,
      { token: await c.agent(), body: { name: 'order_update' } },
    );
    expect(r.status).toBe(400);
    expect(r.body.error.field).toBe('conversationId');
  });
});
