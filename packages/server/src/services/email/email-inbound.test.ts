import type { FeedEntry, Message } from '@parlour/protocol';
import { findTicketOfMessageIds, listOutboundEmailsOfTicket } from '@parlour/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableStorageKinds } from '../../../../storage/src/testing/test-database.js';
import { ManualClock } from '../../clock.js';
import { PNG } from '../attachments/testing/sample-files.js';
import { DEMO_ACCOUNTS } from '../../seed-demo.js';
import { apiClient } from '../../testing/api-client.js';
import { findInDatabase } from '../../testing/find-in-database.js';
import { sendRawBySmtp } from '../../testing/smtp-capture.js';
import { startTestServer, type TestServer } from '../../testing/test-server.js';

const DOMAIN = 'help.parlour.test';
const SECRET = 'relay-shared-secret-0123456789';
const VISA = '4111 1111 1111 1111';

let counter = 0;
/** A plain email; `headers` adds or replaces header lines. */
function email(
  options: {
    from?: string;
    to?: string;
    subject?: string;
    body?: string;
    messageId?: string | null;
    headers?: readonly string[];
    contentType?: string;
  } = {},
): string {
  const id =
    options.messageId === undefined
      ? `<m${++counter}-${Date.now()}@customer.example>`
      : options.messageId;
  return [
    `From: ${options.from ?? 'Robin Reader <robin@customer.example>'}`,
    `To: ${options.to ?? `support@${DOMAIN}`}`,
    `Subject: ${options.subject ?? 'Where is my order?'}`,
    ...(id ? [`Message-ID: ${id}`] : []),
    ...(options.headers ?? []),
    'MIME-Version: 1.0',
    `Content-Type: ${options.contentType ?? 'text/plain; charset=utf-8'}`,
    '',
    options.body ?? 'Hello, my order 12345 has not arrived.',
    '',
  ].join('\r\n');
}

describe.each(availableStorageKinds())('inbound email on %s', (kind) => {
  const clock = new ManualClock();
  let t: TestServer;
  let api: ReturnType<typeof apiClient>;
  let admin: string;
  let agent: string;
  let agentId: string;

  beforeAll(async () => {
    t = await startTestServer(kind, {
      clock,
      env: {
        SMTP_LISTEN_PORT: '0',
        EMAIL_REPLY_DOMAIN: DOMAIN,
        EMAIL_INBOUND_SECRET: SECRET,
        EMAIL_MAX_BYTES: String(64 * 1024),
      },
    });
    api = apiClient(t.server.app);
    admin = await api.login(DEMO_ACCOUNTS.admin.email, DEMO_ACCOUNTS.admin.password);
    agent = await api.login(DEMO_ACCOUNTS.agents[0].email, DEMO_ACCOUNTS.agents[0].password);
    agentId = (await api.call('GET', '/api/me', { token: agent })).body.id as string;
  });
  afterAll(async () => t.close());

  const relay = async (
    raw: string | Buffer,
    headers: Record<string, string> = { 'x-parlour-email-secret': SECRET },
  ) => {
    clock.advance(1_000);
    const r = await t.server.app.inject({
      method: 'POST',
      url: '/api/email/inbound',
      headers: { 'content-type': 'message/rfc822', ...headers },
      payload: raw,
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test responses are checked field by field
    return { status: r.statusCode, body: r.json() as Record<string, any> };
  };
  const counts = async () => {
    const db = t.server.database.db;
    const one = async (table: 'tickets' | 'messages' | 'conversations' | 'attachments') =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    return {
      tickets: await one('tickets'),
      messages: await one('messages'),
      conversations: await one('conversations'),
      attachments: await one('attachments'),
    };
  };
  const messagesOf = async (conversationId: string): Promise<Message[]> =>
    (
      await api.call<FeedEntry[]>('GET', `/api/conversations/${conversationId}/events?after=0`, {
        token: agent,
      })
    ).body.flatMap((e) => (e.event.type === 'message.created' ? [e.event.message] : []));
  const ticket = async (id: string) =>
    (await api.call('GET', `/api/tickets/${id}`, { token: agent })).body;

  /** A ticket opened by email, answered by the agent by email: its reply address and Message-ID. */
  async function answered(from = `asker${++counter}@customer.example`) {
    const opened = await relay(email({ from }));
    expect(opened.body.outcome).toBe('created');
    await api.call('PATCH', `/api/tickets/${opened.body.ticketId}`, {
      token: agent,
      body: { assigneeId: agentId },
    });
    const reply = await api.call(
      'POST',
      `/api/conversations/${opened.body.conversationId}/messages`,
      {
        token: agent,
        body: { body: 'We are on it.', kind: 'public' },
      },
    );
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    const out = (
      await listOutboundEmailsOfTicket(t.server.database.db, opened.body.ticketId as string)
    ).at(-1)!;
    expect(out.kind).toBe('reply');
    return {
      ticketId: opened.body.ticketId as string,
      conversationId: opened.body.conversationId as string,
      replyTo: out.threading!.replyTo!,
      messageId: out.threading!.messageId,
      from,
    };
  }

  it('opens a ticket on the email channel for a new sender, found again by address', async () => {
    const first = await relay(
      email({ from: 'Nora New <nora@customer.example>', subject: 'Invoice question' }),
    );
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.outcome).toBe('created');
    const created = await ticket(first.body.ticketId);
    expect(created).toMatchObject({ channel: 'email', status: 'new', subject: 'Invoice question' });
    const [message] = await messagesOf(first.body.conversationId);
    expect(message).toMatchObject({
      authorType: 'end_user',
      channel: 'email',
      body: 'Hello, my order 12345 has not arrived.',
    });
    const second = await relay(email({ from: 'NORA@customer.example', subject: 'Another one' }));
    const requesterOf = async (id: string) => (await ticket(id)).requesterId;
    expect(await requesterOf(second.body.ticketId)).toBe(await requesterOf(first.body.ticketId));
  });

  it("threads a reply sent to the ticket's reply address over SMTP into the same ticket", async () => {
    const thread = await answered();
    expect(thread.replyTo).toMatch(
      new RegExp(`^reply\\+[a-z2-7]{32}@${DOMAIN.replace(/\./g, '\\.')}$`),
    );
    const before = await counts();
    const sent = await sendRawBySmtp(
      t.server.smtpPort!,
      { from: thread.from, to: [thread.replyTo] },
      email({
        from: thread.from,
        to: thread.replyTo,
        subject: 'Re: [#1] Where is my order?',
        body: 'Thanks!\r\n\r\nOn Mon, 23 Nov 2026, Support wrote:\r\n> We are on it.',
      }),
    );
    expect(sent.ok, JSON.stringify(sent)).toBe(true);
    expect((await counts()).tickets).toBe(before.tickets);
    expect((await messagesOf(thread.conversationId)).at(-1)).toMatchObject({
      authorType: 'end_user',
      body: 'Thanks!',
    });
  });

  it('threads a reply by In-Reply-To alone (sent to the general address)', async () => {
    const thread = await answered();
    const r = await relay(
      email({
        from: thread.from,
        headers: [`In-Reply-To: ${thread.messageId}`],
        body: 'By header',
      }),
    );
    expect(r.body).toMatchObject({ outcome: 'replied', ticketId: thread.ticketId });
  });

  it('reopens a Solved ticket when the customer replies', async () => {
    const thread = await answered();
    const solved = await api.call('PATCH', `/api/tickets/${thread.ticketId}`, {
      token: agent,
      body: { status: 'solved' },
    });
    expect(solved.status, JSON.stringify(solved.body)).toBe(200);
    const r = await relay(email({ from: thread.from, to: thread.replyTo, body: 'Still broken' }));
    expect(r.body).toMatchObject({ outcome: 'replied', ticketId: thread.ticketId });
    expect((await ticket(thread.ticketId)).status).toBe('open');
  });

  it('opens a new ticket, linked to the old one, when the customer replies to a Closed ticket', async () => {
    const thread = await answered();
    await t.server.database.db
      .updateTable('tickets')
      .set({ status: 'closed' })
      .where('id', '=', thread.ticketId)
      .execute();
    const r = await relay(email({ from: thread.from, to: thread.replyTo, body: 'One more thing' }));
    expect(r.body).toMatchObject({ outcome: 'followed_up', previousTicketId: thread.ticketId });
    expect(r.body.ticketId).not.toBe(thread.ticketId);
    const old = await ticket(thread.ticketId);
    const messages = await messagesOf(r.body.conversationId);
    expect(messages.map((m) => [m.kind, m.body])).toEqual([
      ['internal', `Follow-up by email to ticket #${old.number}, which is closed.`],
      ['public', 'One more thing'],
    ]);
    expect((await ticket(r.body.ticketId)).requesterId).toBe(old.requesterId);
  });

  it('stores a redelivered email (same Message-ID) once', async () => {
    const raw = email({ messageId: '<same-id-twice@customer.example>' });
    const first = await relay(raw);
    const before = await counts();
    const again = await relay(raw);
    expect(again.body).toEqual({ outcome: 'duplicate', ticketId: first.body.ticketId });
    expect(await counts()).toEqual(before);
    const overSmtp = await sendRawBySmtp(
      t.server.smtpPort!,
      { from: 'robin@customer.example', to: [`support@${DOMAIN}`] },
      raw,
    );
    expect(overSmtp.ok).toBe(true);
    expect(await counts()).toEqual(before);
  });

  it('stores a new email delivered twice at the same moment once', async () => {
    const raw = email({ messageId: '<raced-twice@customer.example>' });
    const before = await counts();
    const [a, b] = await Promise.all([relay(raw), relay(raw)]);
    expect([a.body.outcome, b.body.outcome].sort()).toEqual(['created', 'duplicate']);
    expect(a.body.ticketId).toBe(b.body.ticketId);
    expect((await counts()).tickets).toBe(before.tickets + 1);
  });

  it('keeps a very long email, cut to the length of a message', async () => {
    const r = await relay(email({ body: 'long line of text. '.repeat(1_000) }));
    expect(r.body.outcome).toBe('created');
    const [message] = await messagesOf(r.body.conversationId);
    expect(message!.body.length).toBeLessThanOrEqual(10_000);
    expect(message!.body).toMatch(/cut off\]$/);
  });

  it.each([
    ['an out-of-office reply', { headers: ['Auto-Submitted: auto-replied'] }],
    ['bulk mail', { headers: ['Precedence: bulk'] }],
    ['an X-Autoreply', { headers: ['X-Autoreply: yes'] }],
    ['a bounce from MAILER-DAEMON', { from: 'MAILER-DAEMON@mx.customer.example' }],
    [
      'a delivery status notification',
      {
        contentType: 'multipart/report; report-type=delivery-status; boundary="b1"',
        body: '--b1\r\nContent-Type: text/plain\r\n\r\nDelivery failed\r\n--b1--',
      },
    ],
  ] as const)('never opens a ticket for %s, nor answers it', async (_name, options) => {
    const before = await counts();
    const emailsBefore = Number(
      (
        await t.server.database.db
          .selectFrom('outbound_emails')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    const r = await relay(email(options));
    expect(r.status).toBe(200);
    expect(r.body.outcome).toBe('ignored');
    expect(await counts()).toEqual(before);
    const emailsAfter = Number(
      (
        await t.server.database.db
          .selectFrom('outbound_emails')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    expect(emailsAfter).toBe(emailsBefore);
  });

  it('ignores one of our own emails that comes back (no loop)', async () => {
    const thread = await answered();
    const r = await relay(email({ messageId: thread.messageId, from: `support@${DOMAIN}` }));
    expect(r.body.outcome).toBe('ignored');
  });

  it('refuses an unknown reply token at RCPT TO over SMTP, and with 422 over HTTP', async () => {
    const before = await counts();
    const unknown = `reply+${'a'.repeat(32)}@${DOMAIN}`;
    const smtp = await sendRawBySmtp(
      t.server.smtpPort!,
      { from: 'robin@customer.example', to: [unknown] },
      email({ to: unknown }),
    );
    expect(smtp).toMatchObject({ ok: false, code: 550 });
    const http = await relay(email({ to: unknown }));
    expect(http.status).toBe(422);
    expect(http.body.error).toMatchObject({ code: 'email/unknown-recipient', field: 'to' });
    expect(await counts()).toEqual(before);
  });

  it('refuses malformed, oversized and deeply nested emails with a reason, storing nothing', async () => {
    const before = await counts();
    const garbage = await relay('this is not an email at all');
    expect(garbage.status).toBe(400);
    expect(garbage.body.error).toMatchObject({ code: 'email/malformed' });
    const noFrom = await relay('Subject: hi\r\n\r\nbody\r\n');
    expect(noFrom.body.error).toMatchObject({ code: 'email/malformed', field: 'from' });
    const huge = email({ body: 'x'.repeat(70 * 1024) });
    expect((await relay(huge)).status).toBe(413);
    const overSmtp = await sendRawBySmtp(
      t.server.smtpPort!,
      { from: 'robin@customer.example', to: [`support@${DOMAIN}`] },
      huge,
    );
    expect(overSmtp).toMatchObject({ ok: false, code: 552 });
    let nested = 'innermost';
    for (let depth = 12; depth > 0; depth--)
      nested = `Content-Type: multipart/mixed; boundary="d${depth}"\r\n\r\n--d${depth}\r\n${nested}\r\n--d${depth}--`;
    const bomb = `From: robin@customer.example\r\nSubject: nested\r\nMIME-Version: 1.0\r\n${nested}\r\n`;
    const refused = await relay(bomb);
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'email/too-complex' });
    const bombSmtp = await sendRawBySmtp(
      t.server.smtpPort!,
      { from: 'robin@customer.example', to: [`support@${DOMAIN}`] },
      bomb,
    );
    expect(bombSmtp).toMatchObject({ ok: false, code: 554 });
    expect(await counts()).toEqual(before);
  });

  it('masks card data in the body, and refuses the email in drop mode', async () => {
    const masked = await relay(email({ body: `My card is ${VISA}, please refund` }));
    const [message] = await messagesOf(masked.body.conversationId);
    expect(message!.body).not.toContain('4111 1111 1111 1111');
    expect(message!.body).toContain('1111');
    await api.call('PATCH', '/api/settings', { token: admin, body: { pciMode: 'drop' } });
    try {
      const before = await counts();
      const dropped = await relay(email({ body: `Card ${VISA}` }));
      expect(dropped.status).toBe(422);
      expect(dropped.body.error).toMatchObject({ code: 'content/card-data' });
      expect(await counts()).toEqual(before);
    } finally {
      await api.call('PATCH', '/api/settings', { token: admin, body: { pciMode: 'redact' } });
    }
  });

  it('keeps an attachment, and discards one with card data (staff are told)', async () => {
    const b64 = (text: string) => Buffer.from(text).toString('base64');
    const raw = email({
      contentType: 'multipart/mixed; boundary="att"',
      body: [
        '--att',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'Two files attached.',
        '--att',
        'Content-Type: text/plain; name="notes.txt"',
        'Content-Disposition: attachment; filename="notes.txt"',
        'Content-Transfer-Encoding: base64',
        '',
        b64('Order 12345 arrived damaged.'),
        '--att',
        'Content-Type: text/plain; name="card.txt"',
        'Content-Disposition: attachment; filename="card.txt"',
        'Content-Transfer-Encoding: base64',
        '',
        b64(`card ${VISA} exp 12/29`),
        '--att--',
      ].join('\r\n'),
    });
    const r = await relay(raw);
    expect(r.body.outcome).toBe('created');
    const messages = await messagesOf(r.body.conversationId);
    const customer = messages.find((m) => m.authorType === 'end_user')!;
    expect(customer.body).toBe('Two files attached.');
    expect(customer.attachments?.map((a) => a.fileName)).toEqual(['notes.txt']);
    const note = messages.find((m) => m.kind === 'internal')!;
    expect(note.body).toMatch(/not kept/);
    expect(note.body).toMatch(/card data/);
    expect(JSON.stringify(messages)).not.toContain('4111');
  });

  it('stores nothing of a new email whose message is refused, and takes its redelivery later', async () => {
    // No text, no subject, and the only file refused (unscannable): the message would be empty.
    const set = (unscannableAttachments: 'allow' | 'reject') =>
      api.call('PATCH', '/api/settings', { token: admin, body: { unscannableAttachments } });
    expect((await set('reject')).status).toBe(200);
    const messageId = `<refused-${Date.now()}@customer.example>`;
    const raw = email({
      from: 'Pat Picture <pat@customer.example>',
      subject: '',
      messageId,
      contentType: 'multipart/mixed; boundary="img"',
      body: [
        '--img',
        'Content-Type: image/png; name="photo.png"',
        'Content-Disposition: attachment; filename="photo.png"',
        'Content-Transfer-Encoding: base64',
        '',
        Buffer.from(PNG).toString('base64'),
        '--img--',
      ].join('\r\n'),
    });
    const before = await counts();
    const fileKeys = async () => {
      const keys: string[] = [];
      for await (const key of t.server.fileStorage.keys()) keys.push(key);
      return keys.sort();
    };
    const files = await fileKeys();
    try {
      const refused = await relay(raw);
      expect(refused.status, JSON.stringify(refused.body)).toBe(400);
      expect(refused.body.error.code).toBe('message/empty');
      // No ticket without its message, no conversation, no thread entry for the Message-ID.
      expect(await counts()).toEqual(before);
      expect(await findTicketOfMessageIds(t.server.database.db, [messageId])).toBeNull();
      expect(await fileKeys()).toEqual(files);
    } finally {
      expect((await set('allow')).status).toBe(200);
    }
    // Once the file is accepted, the same email delivered again opens its ticket (not a duplicate).
    const again = await relay(raw);
    expect(again.body.outcome).toBe('created');
    const [message] = await messagesOf(again.body.conversationId);
    expect(message?.authorType).toBe('end_user');
    expect(message?.attachments?.map((a) => a.fileName)).toEqual(['photo.png']);
    expect((await relay(raw)).body.outcome).toBe('duplicate');
  });

  it('keeps card numbers in subject, body, sender name and files out of every table and the file store', async () => {
    const cards = [
      '5555555555554444',
      '378282246310005',
      '6011111111111117',
      '4012888888881881',
      '5105105105105100',
    ];
    const [inSubject, inBody, inName, inFileName, inFile] = cards as [
      string,
      string,
      string,
      string,
      string,
    ];
    const b64 = (text: string) => Buffer.from(text).toString('base64');
    const r = await relay(
      email({
        from: `Card ${inName} <pci-sender@customer.example>`,
        subject: `Refund to ${inSubject}`,
        contentType: 'multipart/mixed; boundary="pci"',
        body: [
          '--pci',
          'Content-Type: text/plain; charset=utf-8',
          '',
          `Please refund card ${inBody}, thanks`,
          '--pci',
          `Content-Type: text/plain; name="receipt ${inFileName}.txt"`,
          `Content-Disposition: attachment; filename="receipt ${inFileName}.txt"`,
          '',
          'Receipt for order 12345',
          '--pci',
          'Content-Type: text/plain; name="card.txt"',
          'Content-Disposition: attachment; filename="card.txt"',
          'Content-Transfer-Encoding: base64',
          '',
          b64(`number ${inFile}`),
          '--pci--',
        ].join('\r\n'),
      }),
    );
    expect(r.body.outcome, JSON.stringify(r.body)).toBe('created');
    const needles = cards.flatMap((c) => [c, c.slice(0, 12)]);
    const hits = await findInDatabase(t.server.database.db, needles);
    expect(hits.map((h) => `${h.table}: ${h.sample}`)).toEqual([]);
    for await (const key of t.server.fileStorage.keys()) {
      const bytes = Buffer.from((await t.server.fileStorage.get(key)) ?? new Uint8Array()).toString(
        'latin1',
      );
      for (const needle of needles) expect(bytes).not.toContain(needle);
    }
    // The masked forms arrived: the customer's message and the ticket's subject.
    const [message] = await messagesOf(r.body.conversationId);
    expect(message!.body).toMatch(/\*{4}/);
    expect((await ticket(r.body.ticketId)).subject).toMatch(/\*{4}/);
  });

  describe('who may hand over raw email', () => {
    it('refuses a relay without the secret or a token (401)', async () => {
      const r = await relay(email(), {});
      expect(r.status).toBe(401);
      expect(r.body.error.code).toBe('auth/unauthenticated');
    });
    it('refuses a wrong secret, an agent and an end user (403)', async () => {
      expect((await relay(email(), { 'x-parlour-email-secret': 'wrong' })).status).toBe(403);
      expect((await relay(email(), { authorization: `Bearer ${agent}` })).status).toBe(403);
      const visitor = await api.visitor();
      expect((await relay(email(), { authorization: `Bearer ${visitor.token}` })).status).toBe(403);
    });
    it('takes an admin token', async () => {
      expect((await relay(email(), { authorization: `Bearer ${admin}` })).body.outcome).toBe(
        'created',
      );
    });
    it('refuses a body that is not message/rfc822', async () => {
      const r = await api.call('POST', '/api/email/inbound', {
        body: { raw: 'x' },
        headers: { 'x-parlour-email-secret': SECRET },
      });
      expect(r.status).toBe(400);
      expect(r.body.error).toMatchObject({ code: 'email/malformed', field: 'content-type' });
    });
  });
});
