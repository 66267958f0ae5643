import type { Ticket } from '@parlour/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableStorageKinds } from '../../../../storage/src/testing/test-database.js';
import { ManualClock } from '../../clock.js';
import { findInDatabase } from '../../testing/find-in-database.js';
import { startTestServer, type TestServer } from '../../testing/test-server.js';
import { apiChannelClient } from './api-channel-test-bed.js';

const VISA = '4111111111111111';

describe.each(availableStorageKinds())('API channel inbound on %s', (kind) => {
  const clock = new ManualClock();
  let t: TestServer;
  let c: ReturnType<typeof apiChannelClient>;
  let inboxId: string;
  let secret: string;
  let billingId: string;

  beforeAll(async () => {
    t = await startTestServer(kind, { clock });
    c = apiChannelClient(t, clock);
    const groups = await c.api.call('GET', '/api/groups', { token: await c.admin() });
    billingId = (groups.body as { id: string; name: string }[]).find(
      (g) => g.name === 'Billing',
    )!.id;
    ({
      inbox: { id: inboxId },
      secret,
    } = await c.createInbox({
      webhookUrl: 'https://hooks.example/parlour',
      defaultGroupId: billingId,
    }));
  });
  afterAll(async () => t.close());

  let contacts = 0;
  const message = (text: string, contactId = `wa-${++contacts}`) => ({
    contact: { id: contactId, name: 'Ada Lovelace', email: 'ada@customer.example' },
    text,
  });
  const count = async (table: 'messages' | 'api_contacts' | 'conversations' | 'tickets') =>
    Number(
      (
        await t.server.database.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const counts = async () => ({
    messages: await count('messages'),
    contacts: await count('api_contacts'),
    conversations: await count('conversations'),
    tickets: await count('tickets'),
  });
  const ticket = async (ticketId: string) =>
    (await c.api.call<Ticket>('GET', `/api/tickets/${ticketId}`, { token: await c.agent() })).body;

  it('opens a ticket on the api channel in the default group for a new contact', async () => {
    const r = await c.send(inboxId, secret, message('Hello, where is my order?'));
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.duplicate).toBe(false);
    const opened = await ticket(r.body.ticketId);
    expect(opened).toMatchObject({ channel: 'api', status: 'new', groupId: billingId });
    const conversation = await c.api.call('GET', `/api/conversations/${r.body.conversationId}`, {
      token: await c.agent(),
    });
    expect(conversation.body.channel).toBe('api');
    const events = await c.api.call(
      'GET',
      `/api/conversations/${r.body.conversationId}/events?after=0`,
      { token: await c.agent() },
    );
    const texts = (events.body as { event: { type: string; message?: { body: string } } }[])
      .filter((e) => e.event.type === 'message.created')
      .map((e) => e.event.message!.body);
    expect(texts).toEqual(['Hello, where is my order?']);
  });

  it("lands a contact's later messages on the same open conversation", async () => {
    const first = await c.send(inboxId, secret, message('One', 'wa-same'));
    clock.advance(1_000);
    const second = await c.send(inboxId, secret, message('Two', 'wa-same'));
    expect(second.status).toBe(201);
    expect(second.body.conversationId).toBe(first.body.conversationId);
    expect(second.body.ticketId).toBe(first.body.ticketId);
  });

  it('reopens a Solved ticket, and starts a new conversation once it is Closed', async () => {
    const agent = await c.agent();
    const me = (await c.api.call('GET', '/api/me', { token: agent })).body.id as string;
    const first = await c.send(inboxId, secret, message('Broken', 'wa-reopen'));
    const solve = await c.api.call('PATCH', `/api/tickets/${first.body.ticketId}`, {
      token: agent,
      body: { assigneeId: me, status: 'solved' },
    });
    expect(solve.status, JSON.stringify(solve.body)).toBe(200);
    clock.advance(1_000);
    const again = await c.send(inboxId, secret, message('Still broken', 'wa-reopen'));
    expect(again.body.ticketId).toBe(first.body.ticketId);
    expect((await ticket(first.body.ticketId)).status).toBe('open');

    await c.api.call('PATCH', `/api/tickets/${first.body.ticketId}`, {
      token: agent,
      body: { status: 'solved' },
    });
    const close = await c.api.call('PATCH', `/api/tickets/${first.body.ticketId}`, {
      token: agent,
      body: { status: 'closed' },
    });
    expect(close.status, JSON.stringify(close.body)).toBe(200);
    clock.advance(1_000);
    const later = await c.send(inboxId, secret, message('New problem', 'wa-reopen'));
    expect(later.status).toBe(201);
    expect(later.body.conversationId).not.toBe(first.body.conversationId);
    expect(later.body.ticketId).not.toBe(first.body.ticketId);
    expect((await ticket(later.body.ticketId)).status).toBe('new');
  });

  it('refuses a forged signature with 401 and stores nothing', async () => {
    const before = await counts();
    const forged = await c.send(inboxId, secret, message('Forged'), { secret: 'not-the-secret' });
    expect(forged.status).toBe(401);
    expect(forged.body.error).toMatchObject({
      code: 'api-channel/bad-signature',
      field: 'X-Parlour-Signature',
    });
    const unsigned = await c.send(inboxId, secret, message('Unsigned'), { signature: '' });
    expect(unsigned.status).toBe(401);
    // The body changed after signing.
    const signed = JSON.stringify(message('Pay 5 EUR'));
    const tampered = await c.send(inboxId, secret, null, {
      rawBody: signed.replace('5 EUR', '500 EUR'),
      signature: (await import('../outbound/webhook-signature.js')).signWebhook(
        secret,
        Math.floor(clock.now().getTime() / 1000),
        signed,
      ),
    });
    expect(tampered.body.error.code).toBe('api-channel/bad-signature');
    expect(await counts()).toEqual(before);
  });

  it('refuses an old or future timestamp with 401 stale-timestamp', async () => {
    const before = await counts();
    const now = Math.floor(clock.now().getTime() / 1000);
    for (const timestamp of [now - 6 * 60, now + 6 * 60]) {
      const r = await c.send(inboxId, secret, message('Stale'), { timestamp });
      expect(r.status).toBe(401);
      expect(r.body.error).toMatchObject({
        code: 'api-channel/stale-timestamp',
        field: 'X-Parlour-Timestamp',
      });
    }
    expect(await counts()).toEqual(before);
  });

  it('refuses a replayed request (the same signature again) with 401 replayed', async () => {
    const body = message('Once only');
    const first = await c.send(inboxId, secret, body, { key: 'replay-1' });
    expect(first.status).toBe(201);
    const before = await counts();
    clock.advance(2 * 60_000);
    const replay = await c.send(inboxId, secret, body, {
      key: 'replay-other-key',
      timestamp: Math.floor((clock.now().getTime() - 2 * 60_000) / 1000),
      signature: first.signature,
    });
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('api-channel/replayed');
    expect(await counts()).toEqual(before);
  });

  it('stores a redelivery (same Idempotency-Key) once and answers with the same result', async () => {
    const body = message('Deliver me once');
    const first = await c.send(inboxId, secret, body, { key: 'idem-1' });
    clock.advance(5_000);
    const again = await c.send(inboxId, secret, body, { key: 'idem-1' });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ ...first.body, duplicate: true });
    const stored = await t.server.database.db
      .selectFrom('messages')
      .select('id')
      .where('body', '=', 'Deliver me once')
      .execute();
    expect(stored).toHaveLength(1);
  });

  it('stores concurrent duplicates once', async () => {
    const body = message('Racing duplicates', 'wa-race');
    const now = Math.floor(clock.now().getTime() / 1000);
    const results = await Promise.all(
      [0, 1, 2, 3, 4].map((i) =>
        c.send(inboxId, secret, body, { key: 'idem-race', timestamp: now - i }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 201]);
    expect(new Set(results.map((r) => r.body.messageId)).size).toBe(1);
    const stored = await t.server.database.db
      .selectFrom('messages')
      .select('id')
      .where('body', '=', 'Racing duplicates')
      .execute();
    expect(stored).toHaveLength(1);
    const contactsOfRace = await t.server.database.db
      .selectFrom('api_contacts')
      .select('id')
      .where('external_id', '=', 'wa-race')
      .execute();
    expect(contactsOfRace).toHaveLength(1);
  });

  it('refuses an Idempotency-Key reused for a different message', async () => {
    await c.send(inboxId, secret, message('First text'), { key: 'idem-reused' });
    const r = await c.send(inboxId, secret, message('Other text'), { key: 'idem-reused' });
    expect(r.status).toBe(422);
    expect(r.body.error).toMatchObject({
      code: 'api-channel/idempotency-conflict',
      field: 'Idempotency-Key',
    });
  });

  it('requires an Idempotency-Key', async () => {
    const before = await counts();
    const r = await c.send(inboxId, secret, message('No key'), { key: '' });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({
      code: 'api-channel/idempotency-key',
      field: 'Idempotency-Key',
    });
    expect(await counts()).toEqual(before);
  });

  it('answers 404 for an unknown inbox', async () => {
    const r = await c.send('0198c1a0-0000-7000-8000-00000000dead', secret, message('Lost'));
    expect(r.status).toBe(404);
    expect(r.body.error).toMatchObject({ code: 'api-channel/inbox-not-found', field: 'inboxId' });
  });

  it('refuses a malformed body after the signature, naming the field, storing nothing', async () => {
    const before = await counts();
    const r = await c.send(inboxId, secret, { contact: { id: 'x', name: 'X' }, text: '' });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('validation/invalid');
    expect(r.body.error.field).toBe('text');
    const broken = await c.send(inboxId, secret, null, { rawBody: '{"contact":' });
    expect(broken.status).toBe(400);
    expect(await counts()).toEqual(before);
  });

  it('masks a card number at this ingress, and in drop mode refuses it with 422 storing nothing', async () => {
    const masked = await c.send(inboxId, secret, message(`My card is ${VISA}`, 'wa-card'));
    expect(masked.status).toBe(201);
    const stored = await t.server.database.db
      .selectFrom('messages')
      .select('body')
      .where('id', '=', masked.body.messageId)
      .executeTakeFirstOrThrow();
    expect(stored.body).toContain('1111');
    expect(stored.body).not.toContain(VISA);

    const admin = await c.admin();
    const drop = await c.api.call('PATCH', '/api/settings', {
      token: admin,
      body: { pciMode: 'drop' },
    });
    expect(drop.status).toBe(200);
    try {
      const before = await counts();
      const dropped = await c.send(
        inboxId,
        secret,
        message(`Card 5555 5555 5555 4444 exp 12/29`, 'wa-card-new'),
      );
      expect(dropped.status).toBe(422);
      expect(dropped.body.error.code).toBe('content/card-data');
      expect(await counts()).toEqual(before);
    } finally {
      await c.api.call('PATCH', '/api/settings', { token: admin, body: { pciMode: 'redact' } });
    }
    const hits = await findInDatabase(t.server.database.db, [VISA, '5555555555554444']);
    expect(hits.map((h) => h.table)).toEqual([]);
  });
});
