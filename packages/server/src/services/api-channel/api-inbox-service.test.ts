import type { ApiInbox } from '@parlour/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock.js';
import { startTestServer, type TestServer } from '../../testing/test-server.js';
import { apiChannelClient } from './api-channel-test-bed.js';

describe('API-channel inboxes (admin)', () => {
  const clock = new ManualClock();
  let t: TestServer;
  let c: ReturnType<typeof apiChannelClient>;

  beforeAll(async () => {
    t = await startTestServer('pglite', { clock });
    c = apiChannelClient(t, clock);
  });
  afterAll(async () => t.close());

  it('shows the secret once, at creation; never in lists or reads', async () => {
    const { inbox, secret } = await c.createInbox({ webhookUrl: 'https://hooks.example/a' });
    expect(secret).toMatch(/^pls_[0-9a-f]{64}$/);
    expect(inbox.inboundUrl).toMatch(new RegExp(`/api/channels/api/${inbox.id}/messages$`));
    const admin = await c.admin();
    const list = await c.api.call('GET', '/api/channels/api/inboxes', { token: admin });
    const one = await c.api.call('GET', `/api/channels/api/inboxes/${inbox.id}`, { token: admin });
    expect(JSON.stringify(list.body)).not.toContain(secret);
    expect(JSON.stringify(one.body)).not.toContain(secret);
    expect(one.body).toEqual(inbox);
    // Nor in the audit log of the change.
    const audit = await c.api.call('GET', '/api/audit-log', { token: admin });
    expect(JSON.stringify(audit.body)).not.toContain(secret);
  });

  it('refuses webhook URLs that are not http or https, naming the field', async () => {
    const admin = await c.admin();
    for (const webhookUrl of ['ftp://hooks.example/a', 'file:///etc/passwd', 'not a url']) {
      const r = await c.api.call('POST', '/api/channels/api/inboxes', {
        token: admin,
        body: { name: 'Bad', webhookUrl },
      });
      expect(r.status, webhookUrl).toBe(400);
      expect(r.body.error).toMatchObject({ code: 'validation/invalid', field: 'webhookUrl' });
    }
    const { inbox } = await c.createInbox({ webhookUrl: 'https://hooks.example/b' });
    const r = await c.api.call('PATCH', `/api/channels/api/inboxes/${inbox.id}`, {
      token: admin,
      body: { webhookUrl: 'javascript:alert(1)' },
    });
    expect(r.status).toBe(400);
    expect(r.body.error.field).toBe('webhookUrl');
  });

  it('refuses an unknown default group and duplicate template names', async () => {
    const admin = await c.admin();
    const group = await c.api.call('POST', '/api/channels/api/inboxes', {
      token: admin,
      body: {
        name: 'X',
        webhookUrl: 'https://hooks.example/x',
        defaultGroupId: '0198c1a0-0000-7000-8000-00000000beef',
      },
    });
    expect(group.status).toBe(404);
    expect(group.body.error.field).toBe('defaultGroupId');
    const twice = await c.api.call('POST', '/api/channels/api/inboxes', {
      token: admin,
      body: {
        name: 'X',
        webhookUrl: 'https://hooks.example/x',
        templates: [
          { name: 'hello', body: 'Hi' },
          { name: 'hello', body: 'Hello' },
        ],
      },
    });
    expect(twice.status).toBe(400);
    expect(twice.body.error.field).toBe('templates.1.name');
  });

  it('updates an inbox', async () => {
    const { inbox } = await c.createInbox({ webhookUrl: 'https://hooks.example/c' });
    clock.advance(1_000);
    const r = await c.api.call<ApiInbox>('PATCH', `/api/channels/api/inboxes/${inbox.id}`, {
      token: await c.admin(),
      body: {
        name: 'Telegram',
        replyWindowHours: 24,
        templates: [{ name: 'hi', body: 'Hi {{name}}' }],
      },
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      name: 'Telegram',
      replyWindowHours: 24,
      webhookUrl: 'https://hooks.example/c',
      templates: [{ name: 'hi', body: 'Hi {{name}}' }],
    });
  });

  it('rotates the secret: the old one stops working at once', async () => {
    const { inbox, secret } = await c.createInbox({ webhookUrl: 'https://hooks.example/d' });
    const body = { contact: { id: 'r-1', name: 'Rita' }, text: 'Before rotation' };
    expect((await c.send(inbox.id, secret, body)).status).toBe(201);
    const rotated = await c.api.call(
      'POST',
      `/api/channels/api/inboxes/${inbox.id}/rotate-secret`,
      {
        token: await c.admin(),
      },
    );
    expect(rotated.status).toBe(200);
    const fresh = rotated.body.secret as string;
    expect(fresh).not.toBe(secret);
    const old = await c.send(inbox.id, secret, { ...body, text: 'Old secret' });
    expect(old.status).toBe(401);
    expect(old.body.error.code).toBe('api-channel/bad-signature');
    expect((await c.send(inbox.id, fresh, { ...body, text: 'New secret' })).status).toBe(201);
  });

  it('deletes an inbox: its inbound URL answers 404, its tickets stay', async () => {
    const { inbox, secret } = await c.createInbox({ webhookUrl: 'https://hooks.example/e' });
    const sent = await c.send(inbox.id, secret, {
      contact: { id: 'd-1', name: 'Dan' },
      text: 'Hi',
    });
    const admin = await c.admin();
    const r = await c.api.call('DELETE', `/api/channels/api/inboxes/${inbox.id}`, { token: admin });
    expect(r.status).toBe(204);
    const after = await c.send(inbox.id, secret, {
      contact: { id: 'd-1', name: 'Dan' },
      text: 'Hi',
    });
    expect(after.status).toBe(404);
    const ticket = await c.api.call('GET', `/api/tickets/${sent.body.ticketId}`, { token: admin });
    expect(ticket.status).toBe(200);
    const again = await c.api.call('DELETE', `/api/channels/api/inboxes/${inbox.id}`, {
      token: admin,
    });
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe('api-channel/inbox-not-found');
  });
});
