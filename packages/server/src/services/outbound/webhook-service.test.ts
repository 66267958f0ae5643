import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Ticket, TicketEvent, WebhookDelivery } from '@parlour/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableStorageKinds } from '../../../../storage/src/testing/test-database.js';
import { ManualClock } from '../../clock.js';
import { DEMO_ACCOUNTS } from '../../seed-demo.js';
import { apiClient } from '../../testing/api-client.js';
import { startTestServer, type TestServer } from '../../testing/test-server.js';
import { verifyWebhook } from './webhook-signature.js';

interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A real HTTP endpoint on 127.0.0.1 that answers as `respond` says. */
async function receiver(respond: (res: ServerResponse) => void) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      respond(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const answer = (status: number) => (res: ServerResponse) => res.writeHead(status).end('ok');

describe.each(availableStorageKinds())('webhook deliveries on %s', (kind) => {
  const clock = new ManualClock();
  let t: TestServer;
  let api: ReturnType<typeof apiClient>;
  const closing: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    t = await startTestServer(kind, { clock });
    api = apiClient(t.server.app);
  });
  afterAll(async () => {
    await t.close();
    for (const close of closing) await close();
  });

  const admin = () => api.login(DEMO_ACCOUNTS.admin.email, DEMO_ACCOUNTS.admin.password);
  const agent = () => api.login(DEMO_ACCOUNTS.agents[0].email, DEMO_ACCOUNTS.agents[0].password);

  async function endpoint(respond: (res: ServerResponse) => void) {
    const r = await receiver(respond);
    closing.push(r.close);
    return r;
  }

  async function openTicket(): Promise<Ticket> {
    clock.advance(1_000);
    const visitor = await api.visitor();
    const started = await api.call('POST', '/api/conversations', {
      token: visitor.token,
      body: { body: 'Hello' },
    });
    const handoff = await api.call<Ticket>(
      'POST',
      `/api/conversations/${started.body.conversation.id}/handoff`,
      { token: visitor.token, body: {} },
    );
    expect(handoff.status).toBe(201);
    return handoff.body;
  }

  /** What a trigger's webhook action does inside its transaction. */
  async function enqueue(ticket: Ticket, url: string): Promise<string> {
    return t.server.database.db.transaction().execute((trx) =>
      t.server.services.webhooks.enqueue(trx, {
        ticketId: ticket.id,
        url,
        payload: { event: 'ticket.updated', ticket: { id: ticket.id, number: ticket.number } },
        ruleType: 'trigger',
        ruleId: '0198c1a0-0000-7000-8000-000000000001',
        ruleName: 'Tell the shop',
        at: clock.now(),
      }),
    );
  }

  async function runDueAndSettle(deliveryId: string): Promise<void> {
    await t.server.timers.runDue();
    await t.server.services.webhooks.settle(deliveryId);
  }

  async function delivery(ticket: Ticket): Promise<WebhookDelivery> {
    const r = await api.call<WebhookDelivery[]>(
      'GET',
      `/api/webhook-deliveries?ticketId=${ticket.id}`,
      { token: await admin() },
    );
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toHaveLength(1);
    return r.body[0]!;
  }

  const webhookEvents = async (ticket: Ticket) =>
    (
      await api.call<TicketEvent[]>('GET', `/api/tickets/${ticket.id}/events`, {
        token: await agent(),
      })
    ).body.filter((e) => e.type.startsWith('webhook.'));

  const leaseDueAt = async (deliveryId: string) =>
    (
      await t.server.database.db
        .selectFrom('timers')
        .select('due_at')
        .where('key', '=', `webhook:${deliveryId}`)
        .executeTakeFirst()
    )?.due_at ?? null;

  it('posts the JSON payload signed so the receiver can verify it', async () => {
    const shop = await endpoint(answer(204));
    const ticket = await openTicket();
    const id = await enqueue(ticket, shop.url);
    await runDueAndSettle(id);

    expect(shop.received).toHaveLength(1);
    const [request] = shop.received;
    expect(JSON.parse(request!.body)).toEqual({
      event: 'ticket.updated',
      ticket: { id: ticket.id, number: ticket.number },
    });
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.headers['x-parlour-delivery']).toBe(id);
    const secret = (await api.call('GET', '/api/settings/webhook-secret', { token: await admin() }))
      .body.secret as string;
    const headers = {
      timestamp: request!.headers['x-parlour-timestamp'] as string,
      signature: request!.headers['x-parlour-signature'] as string,
    };
    const now = Math.floor(clock.now().getTime() / 1000);
    expect(verifyWebhook(secret, headers, request!.body, now)).toBe(true);
    expect(verifyWebhook(secret, headers, request!.body.replace('updated', 'deleted'), now)).toBe(
      false,
    );
    expect(verifyWebhook('another secret', headers, request!.body, now)).toBe(false);
    expect(verifyWebhook(secret, headers, request!.body, now + 301)).toBe(false);

    expect(await delivery(ticket)).toMatchObject({
      id,
      status: 'delivered',
      attempts: 1,
      lastStatus: 204,
    });
    expect(await webhookEvents(ticket)).toMatchObject([
      { type: 'webhook.delivered', data: { deliveryId: id, url: shop.url, status: 204 } },
    ]);
    expect(await leaseDueAt(id)).toBeNull();
  });

  it('retries a failing endpoint after 10 s, 20 s, 40 s … and dead-letters it after six tries', async () => {
    const broken = await endpoint(answer(500));
    const ticket = await openTicket();
    const id = await enqueue(ticket, broken.url);
    await runDueAndSettle(id);
    expect(broken.received).toHaveLength(1);
    for (const delay of [10_000, 20_000, 40_000, 80_000, 160_000]) {
      const before = broken.received.length;
      clock.advance(delay - 1);
      await runDueAndSettle(id);
      expect(broken.received.length, `not before ${delay} ms`).toBe(before);
      clock.advance(1);
      await runDueAndSettle(id);
      expect(broken.received.length, `after ${delay} ms`).toBe(before + 1);
    }
    expect(await delivery(ticket)).toMatchObject({
      status: 'failed',
      attempts: 6,
      lastStatus: 500,
      lastError: 'HTTP 500',
    });
    const events = await webhookEvents(ticket);
    expect(events.map((e) => e.type)).toEqual([
      ...Array<string>(5).fill('webhook.retrying'),
      'webhook.failed',
    ]);
    expect(events.map((e) => e.data.attempts)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await leaseDueAt(id)).toBeNull();
    clock.advance(24 * 60 * 60 * 1000);
    await t.server.timers.runDue();
    expect(broken.received).toHaveLength(6);
  });

  it('lets an admin give a dead delivery another round, and only a dead one', async () => {
    let status = 503;
    const flaky = await endpoint((res) => res.writeHead(status).end());
    const ticket = await openTicket();
    const id = await enqueue(ticket, flaky.url);
    await runDueAndSettle(id);
    for (let i = 0; i < 5; i++) {
      clock.advance(10 * 60_000);
      await runDueAndSettle(id);
    }
    expect((await delivery(ticket)).status).toBe('failed');

    status = 200;
    const token = await admin();
    const retried = await api.call('POST', `/api/webhook-deliveries/${id}/retry`, { token });
    expect(retried.status, JSON.stringify(retried.body)).toBe(200);
    expect(retried.body).toMatchObject({ status: 'pending', attempts: 0 });
    await runDueAndSettle(id);
    expect(await delivery(ticket)).toMatchObject({ status: 'delivered', attempts: 1 });
    expect((await webhookEvents(ticket)).at(-1)!.type).toBe('webhook.delivered');

    const again = await api.call('POST', `/api/webhook-deliveries/${id}/retry`, { token });
    expect(again.status).toBe(409);
    const unknown = await api.call(
      'POST',
      '/api/webhook-deliveries/0198c1a0-0000-7000-8000-0000000000ff/retry',
      { token },
    );
    expect(unknown.status).toBe(404);
  });

  it('delivers to a healthy endpoint while another one hangs', async () => {
    const release: ServerResponse[] = [];
    const hanging = await endpoint((res) => void release.push(res));
    const healthy = await endpoint(answer(200));
    const first = await openTicket();
    const second = await openTicket();
    const slow = await enqueue(first, hanging.url);
    const fast = await enqueue(second, healthy.url);

    // The timers' run ends without waiting for either request.
    await t.server.timers.runDue();
    await t.server.services.webhooks.settle(fast);
    expect((await delivery(second)).status).toBe('delivered');
    expect(t.server.services.webhooks.isInFlight(slow)).toBe(true);
    expect((await delivery(first)).status).toBe('pending');
    // While it hangs, a lease keeps the delivery due again a minute on (a crash retries it).
    expect((await leaseDueAt(slow))?.getTime()).toBe(clock.now().getTime() + 60_000);

    await expect.poll(() => release.length).toBe(1);
    release[0]!.writeHead(200).end();
    await t.server.services.webhooks.settle(slow);
    expect((await delivery(first)).status).toBe('delivered');
  });

  it('records a refused connection as a failed try, to be retried', async () => {
    const gone = await endpoint(answer(200));
    await gone.close();
    const ticket = await openTicket();
    const id = await enqueue(ticket, gone.url);
    await runDueAndSettle(id);
    const d = await delivery(ticket);
    expect(d).toMatchObject({ status: 'pending', attempts: 1, lastStatus: null });
    expect(d.lastError).toMatch(/ECONNREFUSED/);
    expect((await webhookEvents(ticket)).map((e) => e.type)).toEqual(['webhook.retrying']);
    expect((await leaseDueAt(id))?.getTime()).toBe(clock.now().getTime() + 10_000);
  });

  it('shows deliveries to managers only, and refuses a malformed filter', async () => {
    const token = await agent();
    expect((await api.call('GET', '/api/webhook-deliveries', { token })).status).toBe(403);
    const bad = await api.call('GET', '/api/webhook-deliveries?ticketId=nope', {
      token: await admin(),
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('ticketId');
  });
});
