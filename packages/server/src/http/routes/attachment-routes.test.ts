import type { Attachment, FeedEntry, Message, TicketEvent } from '@parlour/protocol';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { availableStorageKinds } from '../../../../storage/src/testing/test-database.js';
import { ManualClock } from '../../clock.js';
import { DEMO_ACCOUNTS } from '../../seed-demo.js';
import {
  BROKEN_PDF,
  ELF,
  EXE,
  GIF,
  GIF_WITH_HTML,
  PNG,
  PNG_WITH_ZIP,
  VISA,
  multipartBody,
  pdfWithText,
  type Part,
} from '../../services/attachments/testing/sample-files.js';
import { apiClient } from '../../testing/api-client.js';
import { startTestServer, type TestServer } from '../../testing/test-server.js';
import { TestSocket } from '../../testing/ws-client.js';

const VISA_DIGITS = VISA.replace(/\D/g, '');

describe.each(availableStorageKinds())('attachments over HTTP on %s', (kind) => {
  const clock = new ManualClock();
  let t: TestServer;
  let api: ReturnType<typeof apiClient>;
  let admin: string;
  let agent: string;
  let supportId: string;

  beforeAll(async () => {
    t = await startTestServer(kind, { clock, listen: true });
    api = apiClient(t.server.app);
    admin = await api.login(DEMO_ACCOUNTS.admin.email, DEMO_ACCOUNTS.admin.password);
    agent = await api.login(DEMO_ACCOUNTS.agents[0].email, DEMO_ACCOUNTS.agents[0].password);
    supportId = (await api.call('GET', '/api/groups', { token: agent })).body.find(
      (g: { name: string }) => g.name === 'Support',
    ).id;
  });
  afterAll(async () => t.close());

  /** A customer's chat, optionally handed off (then it has a ticket). */
  async function chat(options: { ticket?: boolean } = {}) {
    clock.advance(1_000);
    const visitor = await api.visitor();
    const started = await api.call('POST', '/api/conversations', {
      token: visitor.token,
      body: { body: 'Hello, I have a question about my invoice' },
    });
    expect(started.status).toBe(201);
    const conversationId = started.body.conversation.id as string;
    let ticketId: string | null = null;
    if (options.ticket) {
      const handoff = await api.call('POST', `/api/conversations/${conversationId}/handoff`, {
        token: visitor.token,
        body: { groupId: supportId },
      });
      expect(handoff.status).toBe(201);
      ticketId = handoff.body.id;
    }
    return { visitor, conversationId, ticketId };
  }

  async function upload(token: string, conversationId: string, parts: readonly Part[]) {
    const body = multipartBody(parts);
    const r = await t.server.app.inject({
      method: 'POST',
      url: `/api/conversations/${conversationId}/attachments`,
      headers: { authorization: `Bearer ${token}`, ...body.headers },
      payload: body.payload,
    });
    return { status: r.statusCode, body: JSON.parse(r.body), headers: r.headers };
  }

  const file = (fileName: string, type: string, data: Uint8Array | string): Part => ({
    fileName,
    type,
    data,
  });

  async function download(token: string, attachmentId: string) {
    return t.server.app.inject({
      method: 'GET',
      url: `/api/attachments/${attachmentId}`,
      headers: { authorization: `Bearer ${token}` },
    });
  }

  async function storedKeys(): Promise<string[]> {
    const keys: string[] = [];
    for await (const key of t.server.fileStorage.keys()) keys.push(key);
    return keys;
  }

  async function rowsOf(conversationId: string) {
    return t.server.database.db
      .selectFrom('attachments')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .execute();
  }

  async function staffFeed(conversationId: string): Promise<FeedEntry[]> {
    return (await api.call('GET', `/api/conversations/${conversationId}/events`, { token: agent }))
      .body;
  }

  async function settings(patch: Record<string, unknown>) {
    const r = await api.call('PATCH', '/api/settings', { token: admin, body: patch });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
  }

  /** Runs a check with the store and the table compared before and after: nothing may be added. */
  async function expectNothingKept(conversationId: string, act: () => Promise<void>) {
    const before = await storedKeys();
    await act();
    expect(await storedKeys()).toEqual(before);
    expect(await rowsOf(conversationId)).toEqual([]);
  }

  it('stores an upload and downloads the same bytes with headers that stop it running', async () => {
    const { visitor, conversationId } = await chat();
    const r = await upload(visitor.token, conversationId, [file('pixel.png', 'image/png', PNG)]);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toEqual({
      id: expect.any(String),
      conversationId,
      messageId: null,
      fileName: 'pixel.png',
      contentType: 'image/png',
      sizeBytes: PNG.length,
      createdAt: clock.now().toISOString(),
      url: `/api/attachments/${r.body.id}`,
    });
    const got = await download(agent, r.body.id);
    expect(got.statusCode).toBe(200);
    expect(new Uint8Array(got.rawPayload)).toEqual(PNG);
    expect(got.headers).toMatchObject({
      'content-type': 'image/png',
      'content-disposition': "inline; filename*=UTF-8''pixel.png",
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox",
      'cache-control': 'private, no-store',
    });
    const [row] = await rowsOf(conversationId);
    expect(row?.storage_key).toMatch(/^[0-9a-f]{32}$/);
    expect(await t.server.fileStorage.get(row!.storage_key)).toEqual(PNG);
  });

  it('serves anything but an image as a download, with its name encoded', async () => {
    const { visitor, conversationId } = await chat();
    const r = await upload(visitor.token, conversationId, [
      file('Relevé (mars) été.html', 'text/html', '<h1>Hello</h1><script>alert(1)</script>'),
    ]);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const got = await download(visitor.token, r.body.id);
    expect(got.headers['content-type']).toBe('text/html');
    expect(got.headers['content-disposition']).toBe(
      "attachment; filename*=UTF-8''Relev%C3%A9%20%28mars%29%20%C3%A9t%C3%A9.html",
    );
    expect(got.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
  });

  it('takes the type from the content, not from what the client declared', async () => {
    const { visitor, conversationId } = await chat();
    const image = await upload(visitor.token, conversationId, [
      file('scan', 'application/octet-stream', PNG),
    ]);
    expect(image.body.contentType).toBe('image/png');
    const notes = await upload(visitor.token, conversationId, [
      file('notes', 'application/octet-stream', 'plain words'),
    ]);
    expect(notes.body.contentType).toBe('text/plain');
    const data = await upload(visitor.token, conversationId, [
      file('order.json', 'text/plain', '{"order": 1234}'),
    ]);
    expect(data.body.contentType).toBe('application/json');
  });

  it('refuses a zero-byte file', async () => {
    const { visitor, conversationId } = await chat();
    await expectNothingKept(conversationId, async () => {
      const r = await upload(visitor.token, conversationId, [file('empty.txt', 'text/plain', '')]);
      expect(r.status).toBe(400);
      expect(r.body.error).toMatchObject({ code: 'attachment/empty', field: 'file' });
    });
  });

  it('refuses a file over the size limit with 413 and keeps nothing of it', async () => {
    const { visitor, conversationId } = await chat();
    await settings({ attachmentMaxBytes: 2048 });
    try {
      await expectNothingKept(conversationId, async () => {
        const over = await upload(visitor.token, conversationId, [
          file('big.txt', 'text/plain', 'a'.repeat(2049)),
        ]);
        expect(over.status).toBe(413);
        expect(over.body.error).toMatchObject({ code: 'attachment/too-large', field: 'file' });
        expect(over.body.error.message).toContain('2 KB');
        // Far over: refused by its declared length before the body is read.
        const huge = await upload(visitor.token, conversationId, [
          file('huge.txt', 'text/plain', 'a'.repeat(200_000)),
        ]);
        expect(huge.status).toBe(413);
      });
      const exact = await upload(visitor.token, conversationId, [
        file('fits.txt', 'text/plain', 'a'.repeat(2048)),
      ]);
      expect(exact.status, JSON.stringify(exact.body)).toBe(201);
    } finally {
      await settings({ attachmentMaxBytes: 10 * 1024 * 1024 });
    }
  });

  it('keeps only the last segment of a name with ../ or backslashes', async () => {
    const { visitor, conversationId } = await chat();
    for (const [sent, kept] of [
      ['../../etc/passwd.txt', 'passwd.txt'],
      ['..\\..\\windows\\win.txt', 'win.txt'],
      ['C:\\Users\\me\\notes.txt', 'notes.txt'],
    ]) {
      const r = await upload(visitor.token, conversationId, [file(sent!, 'text/plain', 'hello')]);
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      expect(r.body.fileName).toBe(kept);
    }
  });

  it('removes NUL and control characters from a name', async () => {
    const { visitor, conversationId } = await chat();
    const r = await upload(visitor.token, conversationId, [
      file('in\u0000voi\u0007ce\u001b\u0085 \t final.txt', 'text/plain', 'hello'),
    ]);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.fileName).toBe('invoice final.txt');
  });

  it('removes right-to-left overrides that disguise an extension', async () => {
    const { visitor, conversationId } = await chat();
    const r = await upload(visitor.token, conversationId, [
      file('invoice\u202Etxt.exe\u202C.txt', 'text/plain', 'hello'),
    ]);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.fileName).toBe('invoicetxt.exe.txt');
    expect(r.body.fileName).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
  });

  it('refuses a name with nothing visible in it', async () => {
    const { visitor, conversationId } = await chat();
    await expectNothingKept(conversationId, async () => {
      const r = await upload(visitor.token, conversationId, [
        file('\u202E\u0007 ..', 'text/plain', 'hello'),
      ]);
      expect(r.status).toBe(400);
      expect(r.body.error).toMatchObject({ code: 'attachment/bad-name', field: 'file' });
    });
  });

  it('refuses a GIF that is also an HTML page (a polyglot)', async () => {
    const { visitor, conversationId } = await chat();
    await expectNothingKept(conversationId, async () => {
      const r = await upload(visitor.token, conversationId, [
        file('funny.gif', 'image/gif', GIF_WITH_HTML),
      ]);
      expect(r.status).toBe(415);
      expect(r.body.error).toMatchObject({ code: 'attachment/polyglot', field: 'file' });
    });
  });

  it('refuses an image with an archive hidden after it (a polyglot)', async () => {
    const { visitor, conversationId } = await chat();
    const r = await upload(visitor.token, conversationId, [
      file('photo.png', 'image/png', PNG_WITH_ZIP),
    ]);
    expect(r.status).toBe(415);
    expect(r.body.error.code).toBe('attachment/polyglot');
  });

  it('refuses a PNG named .pdf, saying what was declared and what was found', async () => {
    const { visitor, conversationId } = await chat();
    await expectNothingKept(conversationId, async () => {
      const r = await upload(visitor.token, conversationId, [
        file('invoice.pdf', 'application/pdf', PNG),
      ]);
      expect(r.status).toBe(415);
      expect(r.body.error).toMatchObject({ code: 'attachment/type-mismatch', field: 'file' });
      expect(r.body.error.message).toContain('.pdf');
      expect(r.body.error.message).toContain('image/png');
    });
  });

  it('refuses an HTML page named photo.png', async () => {
    const { visitor, conversationId } = await chat();
    const r = await upload(visitor.token, conversationId, [
      file('photo.png', 'image/png', '<!doctype html><html><script>alert(1)</script></html>'),
    ]);
    expect(r.status).toBe(415);
    expect(r.body.error.code).toBe('attachment/type-mismatch');
    expect(r.body.error.message).toContain('text/html');
  });

  it('refuses a file whose declared type contradicts its content', async () => {
    const { visitor, conversationId } = await chat();
    const r = await upload(visitor.token, conversationId, [file('pixel', 'image/jpeg', PNG)]);
    expect(r.status).toBe(415);
    expect(r.body.error.code).toBe('attachment/type-mismatch');
    expect(r.body.error.message).toContain('image/jpeg');
  });

  it.each([
    ['a Windows executable', 'setup.exe', EXE],
    ['a Linux executable', 'tool', ELF],
    ['an executable named like a PDF', 'invoice.pdf', EXE],
  ])('refuses %s', async (_label, name, bytes) => {
    const { visitor, conversationId } = await chat();
    await expectNothingKept(conversationId, async () => {
      const r = await upload(visitor.token, conversationId, [
        file(name, 'application/octet-stream', bytes),
      ]);
      expect(r.status).toBe(415);
      expect(r.body.error).toMatchObject({ code: 'attachment/type-not-allowed', field: 'file' });
    });
  });

  it('refuses a text file with an extension it does not accept (a script)', async () => {
    const { visitor, conversationId } = await chat();
    const r = await upload(visitor.token, conversationId, [
      file('run.sh', 'text/x-sh', '#!/bin/sh\nrm -rf /\n'),
    ]);
    expect(r.status).toBe(415);
    expect(r.body.error.code).toBe('attachment/type-not-allowed');
  });

  it.each([
    ['a text file', 'card.txt', 'text/plain', `My card is ${VISA}, thanks`],
    ['a CSV file', 'cards.csv', 'text/csv', `name,card\nAlex,${VISA}\n`],
    ['a JSON file', 'payment.json', 'application/json', `{"card":"${VISA}"}`],
    ['an HTML file', 'form.html', 'text/html', `<p>Card: <b>${VISA}</b></p>`],
    ['a Markdown file', 'notes.md', 'text/markdown', `# Payment\n\n* card ${VISA}\n`],
  ])(
    'discards %s with a card number, tells the sender, and records it without the digits',
    async (_label, name, type, content) => {
      const { visitor, conversationId, ticketId } = await chat({ ticket: true });
      await expectNothingKept(conversationId, async () => {
        const r = await upload(visitor.token, conversationId, [file(name, type, content)]);
        expect(r.status).toBe(422);
        expect(r.body.error).toMatchObject({ code: 'attachment/card-data', field: 'file' });
        expect(r.body.error.message).toMatch(/removed.*card data/);
        expect(r.body.error.message).not.toMatch(/\d/);
      });
      const feed = await staffFeed(conversationId);
      const redacted = feed.filter((e) => e.event.type === 'content.redacted');
      expect(redacted.map((e) => e.event)).toEqual([
        {
          type: 'content.redacted',
          source: 'attachment',
          action: 'discarded',
          counts: { card_number: 1 },
          authorType: 'end_user',
        },
      ]);
      const history = (
        await api.call<TicketEvent[]>('GET', `/api/tickets/${ticketId}/events`, { token: agent })
      ).body;
      expect(history.filter((h) => h.type === 'content.redacted')).toEqual([
        expect.objectContaining({
          actor: { type: 'end_user', id: visitor.endUserId },
          data: { source: 'attachment', action: 'discarded', counts: { card_number: 1 } },
        }),
      ]);
      expect(JSON.stringify([feed, history])).not.toContain(VISA_DIGITS);
      expect(JSON.stringify([feed, history])).not.toContain(VISA);
    },
  );

  it('records a discarded file in the staff feed when the conversation has no ticket yet', async () => {
    const { visitor, conversationId } = await chat();
    const r = await upload(visitor.token, conversationId, [
      file('card.txt', 'text/plain', `card ${VISA}`),
    ]);
    expect(r.status).toBe(422);
    const feed = await staffFeed(conversationId);
    expect(feed.at(-1)?.event).toMatchObject({ type: 'content.redacted', source: 'attachment' });
    // The end user's own feed does not show staff events.
    const own = await api.call<FeedEntry[]>('GET', `/api/conversations/${conversationId}/events`, {
      token: visitor.token,
    });
    expect(own.body.map((e) => e.event.type)).not.toContain('content.redacted');
  });

  it('discards a PDF whose text has a card number', async () => {
    const { visitor, conversationId } = await chat();
    await expectNothingKept(conversationId, async () => {
      const r = await upload(visitor.token, conversationId, [
        file('statement.pdf', 'application/pdf', pdfWithText(`Card number ${VISA} exp 12/29`)),
      ]);
      expect(r.status).toBe(422);
      expect(r.body.error.code).toBe('attachment/card-data');
    });
  });

  it('accepts a PDF without card data', async () => {
    const { visitor, conversationId } = await chat();
    const pdf = pdfWithText('Invoice 2024-0042: total 129.90 EUR, call +44 20 7946 0958');
    const r = await upload(visitor.token, conversationId, [
      file('invoice.pdf', 'application/pdf', pdf),
    ]);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.contentType).toBe('application/pdf');
    expect(new Uint8Array((await download(agent, r.body.id)).rawPayload)).toEqual(pdf);
  });

  it('accepts files it cannot scan (images, unreadable PDFs) while the admin allows them', async () => {
    const { visitor, conversationId } = await chat();
    const image = await upload(visitor.token, conversationId, [file('a.gif', 'image/gif', GIF)]);
    expect(image.status).toBe(201);
    const broken = await upload(visitor.token, conversationId, [
      file('broken.pdf', 'application/pdf', BROKEN_PDF),
    ]);
    expect(broken.status, JSON.stringify(broken.body)).toBe(201);
  });

  it('refuses files it cannot scan when the admin rejects them, and says why', async () => {
    const { visitor, conversationId } = await chat();
    await settings({ unscannableAttachments: 'reject' });
    try {
      await expectNothingKept(conversationId, async () => {
        for (const part of [
          file('a.gif', 'image/gif', GIF),
          file('broken.pdf', 'application/pdf', BROKEN_PDF),
        ]) {
          const r = await upload(visitor.token, conversationId, [part]);
          expect(r.status).toBe(415);
          expect(r.body.error).toMatchObject({ code: 'attachment/unscannable', field: 'file' });
          expect(r.body.error.message).toContain('cannot be checked for card data');
        }
      });
      const text = await upload(visitor.token, conversationId, [
        file('ok.txt', 'text/plain', 'nothing secret'),
      ]);
      expect(text.status).toBe(201);
    } finally {
      await settings({ unscannableAttachments: 'allow' });
    }
  });

  it('masks card digits in a file name and records that it did', async () => {
    const { visitor, conversationId, ticketId } = await chat({ ticket: true });
    const r = await upload(visitor.token, conversationId, [
      file(`card ${VISA}.png`, 'image/png', PNG),
    ]);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.fileName).not.toContain(VISA);
    expect(r.body.fileName.replace(/\D/g, '')).toBe('1111');
    expect(r.body.fileName).toMatch(/\.png$/);
    const feed = await staffFeed(conversationId);
    expect(feed.at(-1)?.event).toEqual({
      type: 'content.redacted',
      source: 'attachment_name',
      action: 'masked',
      counts: { card_number: 1 },
      authorType: 'end_user',
    });
    const history = (await api.call('GET', `/api/tickets/${ticketId}/events`, { token: agent }))
      .body as TicketEvent[];
    expect(history.at(-1)).toMatchObject({
      type: 'content.redacted',
      data: { source: 'attachment_name', action: 'masked' },
    });
    const [row] = await rowsOf(conversationId);
    expect(row?.file_name).not.toContain(VISA_DIGITS.slice(0, 12));
  });

  it("hides one end user's attachment from another end user (404)", async () => {
    const a = await chat();
    const b = await chat();
    const r = await upload(a.visitor.token, a.conversationId, [file('a.png', 'image/png', PNG)]);
    const stolen = await download(b.visitor.token, r.body.id);
    expect(stolen.statusCode).toBe(404);
    expect(JSON.parse(stolen.body).error.code).toBe('not-found');
    expect((await download(a.visitor.token, r.body.id)).statusCode).toBe(200);
    const list = await api.call('GET', `/api/conversations/${a.conversationId}/attachments`, {
      token: b.visitor.token,
    });
    expect(list.status).toBe(404);
  });

  it("refuses an upload to another end user's conversation", async () => {
    const a = await chat();
    const b = await chat();
    await expectNothingKept(a.conversationId, async () => {
      const r = await upload(b.visitor.token, a.conversationId, [file('a.png', 'image/png', PNG)]);
      expect(r.status).toBe(404);
      expect(r.body.error.code).toBe('conversation/not-found');
    });
  });

  it('sends uploaded files with a message: the reply, the feed, the live event and the ticket history show them', async () => {
    const { visitor, conversationId, ticketId } = await chat({ ticket: true });
    const one = await upload(visitor.token, conversationId, [file('a.png', 'image/png', PNG)]);
    const two = await upload(visitor.token, conversationId, [
      file('b.txt', 'text/plain', 'order 42'),
    ]);
    const live: FeedEntry[] = [];
    const unsubscribe = await t.server.bus.subscribe(`conversation:${conversationId}`, (s) =>
      live.push((s as { entry: FeedEntry }).entry),
    );
    const posted = await api.call('POST', `/api/conversations/${conversationId}/messages`, {
      token: visitor.token,
      body: { body: '', attachmentIds: [one.body.id, two.body.id] },
    });
    await unsubscribe();
    expect(posted.status, JSON.stringify(posted.body)).toBe(201);
    const message = posted.body.message as Message;
    const sent = (a: Attachment) => ({ ...a, messageId: message.id });
    expect(message.body).toBe('');
    expect(message.attachments).toEqual([sent(one.body), sent(two.body)]);

    const feed = await staffFeed(conversationId);
    const created = feed.find(
      (e) => e.event.type === 'message.created' && e.event.message.id === message.id,
    );
    expect(created?.event).toMatchObject({ message: { attachments: message.attachments } });
    const own = await api.call<FeedEntry[]>('GET', `/api/conversations/${conversationId}/events`, {
      token: visitor.token,
    });
    expect(own.body.find((e) => e.seq === message.seq)?.event).toMatchObject({
      message: { attachments: message.attachments },
    });
    await vi.waitFor(() =>
      expect(live.find((e) => e.seq === message.seq)?.event).toMatchObject({
        message: { attachments: message.attachments },
      }),
    );

    const history = (await api.call('GET', `/api/tickets/${ticketId}/events`, { token: agent }))
      .body as TicketEvent[];
    expect(history.find((h) => h.data.messageId === message.id)?.data.attachments).toEqual(
      message.attachments,
    );
    for (const entry of history.filter((h) => h.type.startsWith('message.')))
      expect(Array.isArray(entry.data.attachments)).toBe(true);

    const rows = await rowsOf(conversationId);
    expect(rows.map((row) => row.message_id)).toEqual([message.id, message.id]);
  });

  it('sends uploaded files with a message over the socket', async () => {
    const { visitor, conversationId } = await chat();
    const one = await upload(visitor.token, conversationId, [file('a.png', 'image/png', PNG)]);
    const socket = await TestSocket.open(t.url, visitor.token);
    try {
      const ack = await socket.request({
        type: 'message.send',
        conversationId,
        clientMessageId: 'with-file',
        body: 'see attached',
        attachmentIds: [one.body.id],
      });
      expect(ack).toMatchObject({ type: 'ack', duplicate: false });
      const [row] = await rowsOf(conversationId);
      expect(row?.message_id).toBe((ack as { messageId: string }).messageId);
    } finally {
      await socket.close();
    }
  });

  it('refuses an attachment id from another conversation, and stores nothing of the message', async () => {
    const mine = await chat();
    const other = await chat();
    const foreign = await upload(other.visitor.token, other.conversationId, [
      file('a.png', 'image/png', PNG),
    ]);
    const before = await staffFeed(mine.conversationId);
    for (const token of [mine.visitor.token, agent]) {
      const r = await api.call('POST', `/api/conversations/${mine.conversationId}/messages`, {
        token,
        body: { body: 'look', attachmentIds: [foreign.body.id] },
      });
      expect(r.status).toBe(400);
      expect(r.body.error).toMatchObject({
        code: 'attachment/not-found',
        field: 'attachmentIds',
      });
    }
    expect(await staffFeed(mine.conversationId)).toEqual(before);
    expect((await rowsOf(other.conversationId))[0]?.message_id).toBeNull();
  });

  it('refuses to send a file someone else uploaded, or one already sent', async () => {
    const { visitor, conversationId } = await chat();
    const customers = await upload(visitor.token, conversationId, [
      file('a.png', 'image/png', PNG),
    ]);
    const asAgent = await api.call('POST', `/api/conversations/${conversationId}/messages`, {
      token: agent,
      body: { body: 'forwarding', attachmentIds: [customers.body.id] },
    });
    expect(asAgent.status).toBe(400);
    expect(asAgent.body.error.code).toBe('attachment/not-found');
    const first = await api.call('POST', `/api/conversations/${conversationId}/messages`, {
      token: visitor.token,
      body: { body: 'here', attachmentIds: [customers.body.id] },
    });
    expect(first.status).toBe(201);
    const again = await api.call('POST', `/api/conversations/${conversationId}/messages`, {
      token: visitor.token,
      body: { body: 'again', attachmentIds: [customers.body.id] },
    });
    expect(again.status).toBe(400);
    expect(again.body.error.code).toBe('attachment/not-found');
  });

  it('still refuses an empty message without attachments', async () => {
    const { visitor, conversationId } = await chat();
    const r = await api.call('POST', `/api/conversations/${conversationId}/messages`, {
      token: visitor.token,
      body: { body: '  ' },
    });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('message/empty');
  });

  it("shows an end user staff files sent to them, never an internal note's", async () => {
    const { visitor, conversationId } = await chat();
    const shared = await upload(agent, conversationId, [
      file('guide.pdf', 'application/pdf', pdfWithText('How to reset')),
    ]);
    const internal = await upload(agent, conversationId, [file('notes.txt', 'text/plain', 'vip')]);
    const unsent = await upload(agent, conversationId, [file('draft.txt', 'text/plain', 'draft')]);
    expect([shared.status, internal.status, unsent.status]).toEqual([201, 201, 201]);
    const reply = await api.call('POST', `/api/conversations/${conversationId}/messages`, {
      token: agent,
      body: { body: 'Here is the guide', attachmentIds: [shared.body.id] },
    });
    const note = await api.call('POST', `/api/conversations/${conversationId}/messages`, {
      token: agent,
      body: { body: 'VIP', kind: 'internal', attachmentIds: [internal.body.id] },
    });
    expect([reply.status, note.status]).toEqual([201, 201]);
    expect((await download(visitor.token, shared.body.id)).statusCode).toBe(200);
    expect((await download(visitor.token, internal.body.id)).statusCode).toBe(404);
    expect((await download(visitor.token, unsent.body.id)).statusCode).toBe(404);
    const theirs = await api.call('GET', `/api/conversations/${conversationId}/attachments`, {
      token: visitor.token,
    });
    expect(theirs.body.map((a: Attachment) => a.id)).toEqual([shared.body.id]);
    const staff = await api.call('GET', `/api/conversations/${conversationId}/attachments`, {
      token: agent,
    });
    expect(staff.body.map((a: Attachment) => a.id)).toEqual([
      shared.body.id,
      internal.body.id,
      unsent.body.id,
    ]);
  });

  it('refuses a body that is not exactly one file in the field "file"', async () => {
    const { visitor, conversationId } = await chat();
    await expectNothingKept(conversationId, async () => {
      for (const parts of [
        [file('a.txt', 'text/plain', 'one'), file('b.txt', 'text/plain', 'two')],
        [{ field: 'note', data: 'just text' }],
        [{ ...file('a.txt', 'text/plain', 'one'), field: 'upload' }],
        [],
      ] as Part[][]) {
        const r = await upload(visitor.token, conversationId, parts);
        expect(r.status, JSON.stringify(r.body)).toBe(400);
        expect(r.body.error).toMatchObject({ code: 'validation/invalid', field: 'file' });
      }
      const json = await api.call('POST', `/api/conversations/${conversationId}/attachments`, {
        token: visitor.token,
        body: { file: 'aGVsbG8=' },
      });
      expect(json.status).toBe(400);
      expect(json.body.error.field).toBe('file');
    });
  });

  it('answers a malformed multipart body with a 400, not a failure', async () => {
    const { visitor, conversationId } = await chat();
    const r = await t.server.app.inject({
      method: 'POST',
      url: `/api/conversations/${conversationId}/attachments`,
      headers: {
        authorization: `Bearer ${visitor.token}`,
        'content-type': 'multipart/form-data; boundary=xyz',
      },
      payload:
        '--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\nhello',
    });
    expect(r.statusCode).toBe(400);
    expect(JSON.parse(r.body).error.field).toBe('file');
  });

  it('keeps the rows of the attachments table free of raw card digits', async () => {
    const rows = await sql<{
      row: string;
    }>`SELECT row_to_json(a)::text AS row FROM attachments a`.execute(t.server.database.db);
    for (const { row } of rows.rows) expect(row).not.toContain(VISA_DIGITS);
  });
});
