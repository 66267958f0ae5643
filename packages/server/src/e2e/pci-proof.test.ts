import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { FeedEntry } from '@parlour/protocol';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableStorageKinds } from '../../../storage/src/testing/test-database.js';
import { createInProcessBus, createRedisBus, type Bus } from '../bus/index.js';
import { ManualClock } from '../clock.js';
import { createLogger } from '../logging/create-logger.js';
import { DEMO_ACCOUNTS } from '../seed-demo.js';
import { apiClient } from '../testing/api-client.js';
import { findInDatabase } from '../testing/find-in-database.js';
import { startTestServer, type TestServer } from '../testing/test-server.js';
import { TestSocket } from '../testing/ws-client.js';
import { PNG, multipartBody, pdfWithText } from '../services/attachments/testing/sample-files.js';
import { signWebhook } from '../services/outbound/webhook-signature.js';

/** A Luhn-valid card number: the prefix, random-free filler from `seed`, and its check digit. */
function card(prefix: string, length: number, seed: number): string {
  let body = prefix;
  for (let i = 0; body.length < length - 1; i++) body += String((seed * 7 + i * 3) % 10);
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return body + String((10 - (sum % 10)) % 10);
}

/** How people type card numbers: in groups of four, with spaces, dashes or dots, or not at all. */
function typed(digits: string, separator: string): string {
  return digits.replace(/(\d{4})(?=\d)/g, `$1${separator}`);
}

const JWT_SECRET = 'pci-proof-secret-of-at-least-32-characters!!';

/**
 * The proof (issue 5, item 4): card numbers go in through every ingress; afterwards the raw digits
 * are nowhere Parlour keeps or sends data — no table, no log line, no bus message, no webhook
 * payload. Each ingress uses its own card number, so a hit names the leak.
 */
describe.each(availableStorageKinds())('no raw card number anywhere, on %s', (kind) => {
  const clock = new ManualClock();
  const logLines: string[] = [];
  const busTraffic: string[] = [];
  const webhookBodies: string[] = [];
  const cards = new Map<string, string>();
  let t: TestServer;
  let receiver: Server;
  let hookUrl = '';

  /** The card number this ingress sends (digits only). */
  function cardFor(ingress: string): string {
    const prefixes = ['4', '51', '2221', '34', '6011', '3528', '62'];
    const prefix = prefixes[cards.size % prefixes.length]!;
    const digits = card(prefix, prefix === '34' ? 15 : 16, cards.size + 1);
    cards.set(ingress, digits);
    return digits;
  }

  beforeAll(async () => {
    const inner =
      kind === 'postgres' && process.env.REDIS_URL
        ? createRedisBus({ url: process.env.REDIS_URL, onError: () => {} })
        : createInProcessBus();
    const bus: Bus = {
      publish: (topic, payload) => {
        busTraffic.push(JSON.stringify(payload));
        return inner.publish(topic, payload);
      },
      subscribe: (topic, handler) => inner.subscribe(topic, handler),
      close: () => inner.close(),
    };
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(chunk.toString());
        done();
      },
    });
    t = await startTestServer(kind, {
      clock,
      bus,
      listen: true,
      logger: createLogger({ level: 'trace', destination }),
    });
    receiver = createHttpServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        webhookBodies.push(body);
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  });
  afterAll(async () => {
    await t.close();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });

  it('keeps every card number sent through every ingress out of every store and every output', async () => {
    const api = apiClient(t.server.app);
    const admin = await api.login(DEMO_ACCOUNTS.admin.email, DEMO_ACCOUNTS.admin.password);
    const agent = await api.login(DEMO_ACCOUNTS.agents[0].email, DEMO_ACCOUNTS.agents[0].password);
    const ok = (r: { status: number; body: unknown }, status = 201) =>
      expect(r.status, JSON.stringify(r.body)).toBe(status);
    ok(
      await api.call('PATCH', '/api/settings', {
        token: admin,
        body: { endUserJwtSecret: JWT_SECRET },
      }),
      200,
    );
    // Every ticket update is forwarded to a webhook, and a tag asks for a survey.
    ok(
      await api.call('POST', '/api/triggers', {
        token: admin,
        body: {
          name: 'Forward every update',
          conditions: { all: [{ field: 'status', operator: 'is_not', value: 'closed' }], any: [] },
          actions: [{ type: 'webhook', url: hookUrl }],
        },
      }),
    );
    ok(
      await api.call('POST', '/api/triggers', {
        token: admin,
        body: {
          name: 'Survey',
          conditions: { all: [{ field: 'tags', operator: 'contains', value: 'survey' }], any: [] },
          actions: [{ type: 'send_csat' }, { type: 'remove_tags', value: ['survey'] }],
        },
      }),
    );

    // The company's identity token names the visitor (profile ingress).
    const now = Math.floor(clock.now().getTime() / 1000);
    const jwt = await new SignJWT({
      external_id: 'cardholder',
      email: 'cardholder@customer.example',
      name: `Cora ${typed(cardFor('end user name'), ' ')}`,
    })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt(now)
      .setExpirationTime(now + 3600)
      .sign(new TextEncoder().encode(JWT_SECRET));
    const session = await api.call('POST', '/api/widget/session', { body: { jwt } });
    ok(session, 200);
    const visitor = session.body.token as string;

    // Widget: the first message, the widget endpoint, a message to the conversation.
    const started = await api.call('POST', '/api/conversations', {
      token: visitor,
      body: { body: `my card ${typed(cardFor('widget first message'), ' ')} exp 12/29 cvv 123` },
    });
    ok(started);
    const conversationId = started.body.conversation.id as string;
    ok(
      await api.call('POST', `/api/conversations/${conversationId}/messages`, {
        token: visitor,
        body: { body: `or this one: ${typed(cardFor('widget message'), '-')}` },
      }),
    );
    // The bot hands off with a subject the customer typed.
    const handoff = await api.call('POST', `/api/conversations/${conversationId}/handoff`, {
      token: visitor,
      body: { subject: `Payment ${cardFor('handoff subject')}` },
    });
    ok(handoff);
    const ticketId = handoff.body.id as string;

    // Over the socket: the customer and the agent.
    const customerSocket = await TestSocket.open(t.url, visitor);
    const fromSocket = await customerSocket.request({
      type: 'message.send',
      conversationId,
      clientMessageId: 'ws-1',
      body: `socket ${typed(cardFor('widget socket'), '.')}`,
    });
    expect(fromSocket.type).toBe('ack');
    const agentSocket = await TestSocket.open(t.url, agent);
    const agentFrame = await agentSocket.request({
      type: 'message.send',
      conversationId,
      clientMessageId: 'ws-2',
      body: `agent socket ${cardFor('agent socket')}`,
    });
    expect(agentFrame.type).toBe('ack');

    // The agent's composer: a reply and an internal note; the ticket's subject.
    ok(
      await api.call('POST', `/api/conversations/${conversationId}/messages`, {
        token: agent,
        body: { body: `Is it ${typed(cardFor('agent reply'), ' ')}?` },
      }),
    );
    ok(
      await api.call('POST', `/api/conversations/${conversationId}/messages`, {
        token: agent,
        body: { kind: 'internal', body: `note: ${cardFor('internal note')}` },
      }),
    );
    ok(
      await api.call('PATCH', `/api/tickets/${ticketId}`, {
        token: agent,
        body: { subject: `Refund ${typed(cardFor('ticket subject'), ' ')}`, addTags: ['survey'] },
      }),
      200,
    );
    // The survey the trigger sent, answered with a comment.
    const feed = (
      await api.call<FeedEntry[]>('GET', `/api/conversations/${conversationId}/events?after=0`, {
        token: visitor,
      })
    ).body;
    const survey = feed.find((e) => e.event.type === 'csat.requested');
    expect(survey).toBeDefined();
    ok(
      await api.call('POST', `/api/conversations/${conversationId}/csat`, {
        token: visitor,
        body: {
          surveyId: (survey!.event as { surveyId: string }).surveyId,
          rating: 'bad',
          comment: `you charged ${cardFor('csat comment')}`,
        },
      }),
      200,
    );
    // Configuration: a predefined response an admin writes.
    ok(
      await api.call('POST', '/api/responses', {
        token: admin,
        body: { title: 'Card', body: `We have ${cardFor('predefined response')} on file` },
      }),
    );
    // Attachments: a card number in a file name, in a text file, in a PDF.
    const upload = async (fileName: string, type: string, data: Uint8Array | string) => {
      const body = multipartBody([{ fileName, type, data }]);
      const r = await t.server.app.inject({
        method: 'POST',
        url: `/api/conversations/${conversationId}/attachments`,
        headers: { authorization: `Bearer ${visitor}`, ...body.headers },
        payload: body.payload,
      });
      return r.statusCode;
    };
    expect(await upload(`receipt ${cardFor('attachment name')}.png`, 'image/png', PNG)).toBe(201);
    expect(
      await upload('card.txt', 'text/plain', `number: ${typed(cardFor('text attachment'), ' ')}`),
    ).toBe(422);
    expect(
      await upload(
        'statement.pdf',
        'application/pdf',
        pdfWithText(`Card ${typed(cardFor('pdf attachment'), ' ')}`),
      ),
    ).toBe(422);
    // The API channel: an integration's signed message, and the agent's reply to its webhook.
    const inbox = await api.call('POST', '/api/channels/api/inboxes', {
      token: admin,
      body: { name: 'WhatsApp', webhookUrl: hookUrl },
    });
    ok(inbox);
    const viaApi = async (text: string, key: string) => {
      const payload = JSON.stringify({ contact: { id: 'wa-cardholder', name: 'Cora' }, text });
      const timestamp = Math.floor(clock.now().getTime() / 1000);
      return t.server.app.inject({
        method: 'POST',
        url: `/api/channels/api/${inbox.body.inbox.id}/messages`,
        headers: {
          'content-type': 'application/json',
          'idempotency-key': key,
          'x-parlour-timestamp': String(timestamp),
          'x-parlour-signature': signWebhook(inbox.body.secret as string, timestamp, payload),
        },
        payload,
      });
    };
    const fromApi = await viaApi(`card ${typed(cardFor('api channel message'), ' ')}`, 'pci-1');
    expect(fromApi.statusCode, fromApi.body).toBe(201);
    ok(
      await api.call('POST', `/api/conversations/${fromApi.json().conversationId}/messages`, {
        token: agent,
        body: { body: `API reply ${cardFor('api channel reply')}` },
      }),
    );
    // Email (the relay endpoint, with an admin token): the sender's name, the subject, the text
    // and a text file each carry a number.
    const emailFile = Buffer.from(
      `card on file: ${typed(cardFor('email text attachment'), ' ')}`,
    ).toString('base64');
    const rawEmail = [
      `From: Cora ${typed(cardFor('email display name'), ' ')} <cardholder-mail@customer.example>`,
      'To: support@parlour.example',
      `Subject: Charge on ${typed(cardFor('email subject'), '-')}`,
      'Message-ID: <pci-proof-1@customer.example>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="pci"',
      '',
      '--pci',
      'Content-Type: text/plain; charset=utf-8',
      '',
      `Please refund ${typed(cardFor('email body'), ' ')} exp 12/29`,
      '--pci',
      'Content-Type: text/plain; name="card.txt"',
      'Content-Disposition: attachment; filename="card.txt"',
      'Content-Transfer-Encoding: base64',
      '',
      emailFile,
      '--pci--',
      '',
    ].join('\r\n');
    const fromEmail = await t.server.app.inject({
      method: 'POST',
      url: '/api/email/inbound',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'message/rfc822' },
      payload: rawEmail,
    });
    expect(fromEmail.statusCode, fromEmail.body).toBe(200);
    expect(fromEmail.json()).toMatchObject({ outcome: 'created' });
    const emailFeed = (
      await api.call<FeedEntry[]>(
        'GET',
        `/api/conversations/${fromEmail.json().conversationId}/events?after=0`,
        { token: admin },
      )
    ).body.flatMap((e) => (e.event.type === 'message.created' ? [e.event.message] : []));
    // The text arrived masked; the file with the number was not kept (staff are told why).
    expect(emailFeed.find((m) => m.authorType === 'end_user')?.body).toMatch(/\*{4}/);
    expect(emailFeed.find((m) => m.kind === 'internal')?.body).toMatch(/card data/);
    // Drop mode: the whole message is refused.
    ok(await api.call('PATCH', '/api/settings', { token: admin, body: { pciMode: 'drop' } }), 200);
    const dropped = await api.call('POST', `/api/conversations/${conversationId}/messages`, {
      token: visitor,
      body: { body: `dropped ${cardFor('dropped message')}` },
    });
    expect(dropped.status).toBe(422);
    const droppedOnSocket = await customerSocket.request({
      type: 'message.send',
      conversationId,
      clientMessageId: 'ws-3',
      body: `dropped socket ${cardFor('dropped socket message')}`,
    });
    expect(droppedOnSocket).toMatchObject({ type: 'error', code: 'content/card-data' });
    expect((await viaApi(`dropped ${cardFor('dropped api message')}`, 'pci-2')).statusCode).toBe(
      422,
    );
    await customerSocket.close();
    await agentSocket.close();

    // Webhooks go out.
    await t.server.timers.runDue();
    const deliveries = await t.server.database.db
      .selectFrom('webhook_deliveries')
      .select('id')
      .execute();
    for (const d of deliveries) await t.server.services.webhooks.settle(d.id);
    await t.server.services.apiOutbound.settle();
    expect(webhookBodies.some((b) => b.includes('API reply'))).toBe(true);
    expect(webhookBodies.length).toBeGreaterThan(0);

    // Now search everything for every number, as typed and as bare digits.
    const needles = [...cards.values()].flatMap((digits) => [
      digits,
      digits.slice(0, 12),
      typed(digits, ' '),
      typed(digits, '-'),
      typed(digits, '.'),
    ]);
    const leaks = (where: string, texts: readonly string[]) =>
      needles.flatMap((needle) =>
        texts.some((text) => text.includes(needle))
          ? [`${where}: ${[...cards].find(([, d]) => needle.startsWith(d.slice(0, 4)))?.[0]}`]
          : [],
      );
    expect(cards.size).toBe(23);
    const inDatabase = await findInDatabase(t.server.database.db, needles);
    expect(inDatabase.map((h) => `${h.table}: ${h.sample}`)).toEqual([]);
    expect(leaks('logs', logLines)).toEqual([]);
    expect(leaks('bus', busTraffic)).toEqual([]);
    expect(leaks('webhooks', webhookBodies)).toEqual([]);
    const stored: string[] = [];
    for await (const key of t.server.fileStorage.keys()) {
      const bytes = await t.server.fileStorage.get(key);
      if (bytes) stored.push(Buffer.from(bytes).toString('latin1'));
    }
    expect(stored.length).toBe(1);
    expect(leaks('attachment store', stored)).toEqual([]);
    // The masked forms did arrive: the search would have seen the data had it been there.
    expect(busTraffic.join('\n')).toMatch(/\*{4}/);
    expect(logLines.length).toBeGreaterThan(0);
  });
});
