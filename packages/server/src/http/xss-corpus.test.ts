import type { FeedEntry, Ticket, TicketEvent } from '@parlour/protocol';
import { listOutboundEmailsOfTicket, loadConversationState } from '@parlour/storage';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableStorageKinds } from '../../../storage/src/testing/test-database.js';
import { ManualClock } from '../clock.js';
import { DEMO_ACCOUNTS } from '../seed-demo.js';
import { publishFeed } from '../services/feed-publisher.js';
import { textToEmailHtml } from '../services/outbound/email-html.js';
import { apiClient, type ApiResponse } from '../testing/api-client.js';
import { startTestServer, type TestServer } from '../testing/test-server.js';
import { TestSocket } from '../testing/ws-client.js';
import { XSS_PAYLOADS } from '../testing/xss-payloads.js';
import { API_CSP } from './security-headers.js';

const JWT_SECRET = 'xss-corpus-identity-secret-0123456789abcdef';
const TAG = /^[\p{L}\p{N}_\-:.]{1,64}$/u;
/** A payload that HTML would read as markup (the rest is harmless as HTML too). */
const MARKUP = /[<>"'&]/;

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/**
 * An XSS payload corpus through every ingress into the agent API that exists: whatever a
 * customer, an agent or a company backend sends comes back as the same JSON string (stored as
 * text, never interpreted), every API answer is JSON that browsers must not sniff or frame, and
 * the HTML the server produces (the survey page, the HTML of a queued email) never holds it raw.
 */
describe.each(availableStorageKinds())('XSS payloads through every ingress on %s', (kind) => {
  const clock = new ManualClock();
  let t: TestServer;
  let api: ReturnType<typeof apiClient>;
  let adminToken: string;
  let agent: { token: string; id: string };
  let supportId: string;

  beforeAll(async () => {
    t = await startTestServer(kind, {
      clock,
      listen: true,
      // Hundreds of requests in one frozen minute: the limits have their own tests.
      env: {
        RATE_LIMIT_TOKEN_PER_MIN: '0',
        RATE_LIMIT_IP_PER_MIN: '0',
        RATE_LIMIT_WS_FRAMES_PER_10S: '0',
      },
    });
    api = apiClient(t.server.app);
    adminToken = await api.login(DEMO_ACCOUNTS.admin.email, DEMO_ACCOUNTS.admin.password);
    const token = await api.login(DEMO_ACCOUNTS.agents[0].email, DEMO_ACCOUNTS.agents[0].password);
    agent = { token, id: (await call('GET', '/api/me', { token })).body.id as string };
    supportId = (
      await call<{ id: string; name: string }[]>('GET', '/api/groups', { token })
    ).body.find((g) => g.name === 'Support')!.id;
    await call('PATCH', '/api/settings', {
      token: adminToken,
      body: { endUserJwtSecret: JWT_SECRET },
    });
  });
  afterAll(async () => t.close());

  /** Every API call of these tests: the answer is JSON, not to be sniffed, framed or run. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are checked field by field
  async function call<T = any>(
    method: Method,
    url: string,
    options: { token?: string; body?: unknown } = {},
  ): Promise<ApiResponse<T>> {
    const r = await api.call<T>(method, url, options);
    const label = `${method} ${url} -> ${r.status}`;
    if (r.status !== 204) expect(r.headers['content-type'], label).toMatch(/^application\/json/);
    expect(r.headers['x-content-type-options'], label).toBe('nosniff');
    expect(r.headers['content-security-policy'], label).toBe(API_CSP);
    expect(r.status, `${label} ${JSON.stringify(r.body)}`).toBeLessThan(500);
    return r;
  }

  async function visitor(): Promise<{ token: string; endUserId: string }> {
    const r = await call('POST', '/api/widget/session', { body: {} });
    return { token: r.body.token as string, endUserId: r.body.endUser.id as string };
  }

  async function verifiedVisitor(claims: Record<string, unknown>) {
    const now = Math.floor(clock.now().getTime() / 1000);
    const jwt = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt(now)
      .setExpirationTime(now + 3600)
      .sign(new TextEncoder().encode(JWT_SECRET));
    return call('POST', '/api/widget/session', { body: { jwt } });
  }

  /** A customer chats and is handed to Support; with `assign`, the agent takes the ticket. */
  async function chat(options: { assign?: boolean; token?: string } = {}) {
    clock.advance(1_000);
    const customer = options.token ? { token: options.token } : await visitor();
    const started = await call('POST', '/api/conversations', {
      token: customer.token,
      body: { body: 'Hello' },
    });
    expect(started.status).toBe(201);
    const conversationId = started.body.conversation.id as string;
    const ticket = await call<Ticket>('POST', `/api/conversations/${conversationId}/handoff`, {
      token: customer.token,
      body: { groupId: supportId },
    });
    expect(ticket.status).toBe(201);
    if (options.assign) {
      const assigned = await call('PATCH', `/api/tickets/${ticket.body.id}`, {
        token: agent.token,
        body: { assigneeId: agent.id },
      });
      expect(assigned.status).toBe(200);
    }
    return { customer, conversationId, ticketId: ticket.body.id };
  }

  async function messageBodies(conversationId: string, token: string): Promise<string[]> {
    const feed = await call<FeedEntry[]>(
      'GET',
      `/api/conversations/${conversationId}/events?after=0`,
      { token },
    );
    return feed.body.flatMap((e) =>
      e.event.type === 'message.created' ? [e.event.message.body] : [],
    );
  }

  it('keeps widget messages sent over HTTP as text, byte for byte', async () => {
    const customer = await visitor();
    const started = await call('POST', '/api/conversations', {
      token: customer.token,
      body: { body: XSS_PAYLOADS[0] },
    });
    expect(started.status).toBe(201);
    const conversationId = started.body.conversation.id as string;
    const sent: string[] = [XSS_PAYLOADS[0]!];
    for (const payload of XSS_PAYLOADS) {
      const r = await call('POST', `/api/conversations/${conversationId}/messages`, {
        token: customer.token,
        body: { body: payload },
      });
      expect(r.status, payload).toBe(201);
      expect(r.body.message.body, payload).toBe(payload);
      const widget = await call('POST', '/api/widget/messages', {
        token: customer.token,
        body: { body: payload },
      });
      expect(widget.status, payload).toBe(201);
      expect(widget.body.conversationId).toBe(conversationId);
      expect(widget.body.message.body, payload).toBe(payload);
      sent.push(payload, payload);
    }
    expect(await messageBodies(conversationId, agent.token)).toEqual(sent);
    expect(await messageBodies(conversationId, customer.token)).toEqual(sent);
  });

  it('keeps widget messages sent over the socket as text, byte for byte', async () => {
    const customer = await visitor();
    const started = await call('POST', '/api/conversations', { token: customer.token, body: {} });
    const conversationId = started.body.conversation.id as string;
    const socket = await TestSocket.open(t.url, customer.token);
    for (const [i, payload] of XSS_PAYLOADS.entries()) {
      const reply = await socket.request({
        type: 'message.send',
        conversationId,
        clientMessageId: `xss-${i}`,
        body: payload,
      });
      expect(reply.type, `${payload} ${JSON.stringify(reply)}`).toBe('ack');
    }
    await socket.close();
    expect(await messageBodies(conversationId, agent.token)).toEqual(XSS_PAYLOADS);
  });

  it('keeps agent replies and internal notes as text, byte for byte', async () => {
    const { conversationId, ticketId, customer } = await chat({ assign: true });
    for (const payload of XSS_PAYLOADS) {
      for (const kind of ['public', 'internal'] as const) {
        const r = await call('POST', `/api/conversations/${conversationId}/messages`, {
          token: agent.token,
          body: { body: payload, kind },
        });
        expect(r.status, `${kind} ${payload}`).toBe(201);
        expect(r.body.message.body, payload).toBe(payload);
      }
    }
    const history = await call<TicketEvent[]>('GET', `/api/tickets/${ticketId}/events`, {
      token: agent.token,
    });
    const notes = history.body.filter((e) => e.type === 'message.internal_note');
    expect(notes.map((e) => (e.data as { body: string }).body)).toEqual(XSS_PAYLOADS);
    const replies = (await messageBodies(conversationId, customer.token)).slice(1);
    expect(replies).toEqual(XSS_PAYLOADS);
  });

  it('keeps ticket subjects set at handoff and by PATCH as text, byte for byte', async () => {
    for (const payload of XSS_PAYLOADS) {
      const customer = await visitor();
      const started = await call('POST', '/api/conversations', {
        token: customer.token,
        body: { body: 'Hi' },
      });
      const handoff = await call<Ticket>(
        'POST',
        `/api/conversations/${started.body.conversation.id as string}/handoff`,
        { token: customer.token, body: { groupId: supportId, subject: payload } },
      );
      expect(handoff.status, payload).toBe(201);
      expect(handoff.body.subject, payload).toBe(payload);
      const edited = `${payload} (edited)`;
      const patched = await call<Ticket>('PATCH', `/api/tickets/${handoff.body.id}`, {
        token: agent.token,
        body: { subject: edited },
      });
      expect(patched.body.subject, payload).toBe(edited);
      const read = await call<Ticket>('GET', `/api/tickets/${handoff.body.id}`, {
        token: agent.token,
      });
      expect(read.body.subject, payload).toBe(edited);
    }
  });

  it('refuses a tag the tag rules do not allow, naming the field, and changes nothing', async () => {
    const { ticketId } = await chat();
    const handoffOf = await chat();
    for (const payload of XSS_PAYLOADS) {
      const allowed = TAG.test(payload.trim().toLowerCase());
      for (const body of [{ tags: [payload] }, { addTags: [payload] }]) {
        const r = await call('PATCH', `/api/tickets/${ticketId}`, { token: agent.token, body });
        if (allowed) expect(r.body.tags, payload).toContain(payload.trim().toLowerCase());
        else {
          expect(r.status, payload).toBe(400);
          expect(r.body.error, payload).toMatchObject({ code: 'validation/invalid' });
          expect(r.body.error.field, payload).toMatch(
            new RegExp(`^${Object.keys(body)[0]!}(\\.\\d+)?$`),
          );
        }
      }
    }
    const ticket = await call<Ticket>('GET', `/api/tickets/${ticketId}`, { token: agent.token });
    expect(ticket.body.tags).toEqual(
      XSS_PAYLOADS.filter((p) => TAG.test(p.trim().toLowerCase())).map((p) =>
        p.trim().toLowerCase(),
      ),
    );
    // A handoff carrying such a tag is refused whole: the conversation can still be handed off.
    const fresh = await visitor();
    const started = await call('POST', '/api/conversations', {
      token: fresh.token,
      body: { body: 'Hi' },
    });
    const conversationId = started.body.conversation.id as string;
    for (const payload of XSS_PAYLOADS.filter((p) => !TAG.test(p.trim().toLowerCase()))) {
      const r = await call('POST', `/api/conversations/${conversationId}/handoff`, {
        token: fresh.token,
        body: { groupId: supportId, tags: [payload] },
      });
      expect(r.status, payload).toBe(400);
      expect(r.body.error, payload).toMatchObject({ code: 'validation/invalid' });
      expect(r.body.error.field, payload).toMatch(/^tags(\.\d+)?$/);
    }
    const handoff = await call('POST', `/api/conversations/${conversationId}/handoff`, {
      token: fresh.token,
      body: { groupId: supportId },
    });
    expect(handoff.status).toBe(201);
    expect(handoff.body.tags).toEqual([]);
    expect(handoffOf.ticketId).not.toBe(handoff.body.id);
  });

  it("keeps the end user's name from the company's JWT as text, and their email as sent or refused", async () => {
    const macro = await call('POST', '/api/macros', {
      token: agent.token,
      body: { title: 'Greeting', body: 'Hello {{requester.name}}!' },
    });
    const greeting = macro.body.id as string;
    for (const [i, payload] of XSS_PAYLOADS.entries()) {
      const named = await verifiedVisitor({ external_id: `xss-name-${i}`, name: payload });
      expect(named.status, payload).toBe(200);
      expect(named.body.endUser.name, payload).toBe(payload);
      const email = `${payload.replace(/[\s@]/g, '')}@xss.example`;
      const mailed = await verifiedVisitor({ external_id: `xss-mail-${i}:${payload}`, email });
      if (mailed.status === 200) {
        expect(mailed.body.endUser.email, payload).toBe(email);
        expect(mailed.body.endUser.externalId ?? `xss-mail-${i}:${payload}`).toBe(
          `xss-mail-${i}:${payload}`,
        );
      } else {
        expect(mailed.status, payload).toBeGreaterThanOrEqual(400);
        expect(typeof mailed.body.error.message, payload).toBe('string');
      }
      // Staff see the name as the same text where a text names the requester.
      if (i % 10 === 0) {
        const { ticketId } = await chat({ assign: true, token: named.body.token as string });
        const preview = await call('POST', `/api/tickets/${ticketId}/macros/${greeting}/preview`, {
          token: agent.token,
          body: {},
        });
        expect(preview.body.text, payload).toBe(`Hello ${payload}!`);
      }
    }
  });

  it('keeps macro titles and bodies as text, byte for byte, or refuses unknown placeholders', async () => {
    const { ticketId } = await chat({ assign: true });
    for (const payload of XSS_PAYLOADS) {
      const created = await call('POST', '/api/macros', {
        token: agent.token,
        body: { title: payload, body: payload },
      });
      if (created.status !== 201) {
        expect(payload).toContain('{{');
        expect(created.body.error, payload).toMatchObject({
          code: 'validation/invalid',
          field: 'body',
        });
        continue;
      }
      const macro = await call('GET', `/api/macros/${created.body.id as string}`, {
        token: agent.token,
      });
      expect(macro.body.title, payload).toBe(payload);
      expect(macro.body.body, payload).toBe(payload);
      const preview = await call(
        'POST',
        `/api/tickets/${ticketId}/macros/${created.body.id as string}/preview`,
        { token: agent.token, body: {} },
      );
      expect(preview.body.text, payload).toBe(payload);
    }
  });

  it('keeps predefined responses as text, byte for byte, or refuses unknown placeholders', async () => {
    const { ticketId } = await chat({ assign: true });
    for (const payload of XSS_PAYLOADS) {
      const created = await call('POST', '/api/responses', {
        token: adminToken,
        body: { title: payload, body: payload },
      });
      if (created.status !== 201) {
        expect(payload).toContain('{{');
        expect(created.body.error, payload).toMatchObject({ code: 'validation/invalid' });
        continue;
      }
      expect(created.body).toMatchObject({ title: payload, body: payload });
      const found = await call(
        'GET',
        `/api/responses?limit=100&ticketId=${ticketId}&q=${encodeURIComponent(payload.slice(0, 200))}`,
        { token: agent.token },
      );
      const response = (found.body as { id: string; title: string; text: string }[]).find(
        (r) => r.id === created.body.id,
      );
      expect(response, payload).toMatchObject({ title: payload, text: payload });
    }
  });

  it('keeps CSAT comments as text, byte for byte, and the survey page never holds them', async () => {
    for (const [i, payload] of XSS_PAYLOADS.entries()) {
      const { conversationId, ticketId, customer } = await chat();
      await t.server.database.db
        .updateTable('end_users')
        .set({ email: `csat-${i}@customer.example` })
        .where('id', '=', (customer as { endUserId: string }).endUserId)
        .execute();
      await call('POST', `/api/conversations/${conversationId}/end-session`, {
        token: customer.token,
        body: { reason: 'customer_left' },
      });
      const at = clock.now();
      const { signals } = await t.server.database.db.transaction().execute(async (trx) => {
        const state = await loadConversationState(trx, conversationId, { lock: true });
        return t.server.services.csat.send(trx, {
          ticketId,
          conversationId,
          lastSeq: state!.lastSeq,
          at,
          actor: { type: 'system', reason: 'trigger' },
        });
      });
      await publishFeed(t.server.bus, signals);
      const [email] = await listOutboundEmailsOfTicket(t.server.database.db, ticketId);
      const token = /\/csat\/([A-Za-z0-9_-]+)/.exec(email!.text)![1]!;
      const answered = await call('POST', `/api/csat/${token}`, {
        body: { rating: 'bad', comment: payload },
      });
      expect(answered.status, payload).toBe(200);
      const satisfaction = await call('GET', `/api/tickets/${ticketId}/csat`, {
        token: agent.token,
      });
      expect(JSON.stringify(satisfaction.body)).toContain(JSON.stringify(payload));
      const page = await api.call('GET', `/csat/${token}`);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(String(page.body)).not.toContain(payload);
    }
  });

  it('queues email replies with the text as typed, and their HTML holds it escaped', async () => {
    const verified = await verifiedVisitor({
      external_id: 'xss-email-reply',
      email: 'reader@customer.example',
    });
    const { conversationId, ticketId } = await chat({
      assign: true,
      token: verified.body.token as string,
    });
    await call('POST', `/api/conversations/${conversationId}/end-session`, {
      token: agent.token,
      body: { reason: 'ended_by_agent' },
    });
    // A macro's text goes out by email once the session has ended: it is queued in the outbox.
    const macro = await call('POST', '/api/macros', {
      token: agent.token,
      body: { title: 'Email follow-up', body: 'Thanks' },
    });
    const sent: string[] = [];
    for (const payload of XSS_PAYLOADS) {
      await call('PATCH', `/api/tickets/${ticketId}`, {
        token: agent.token,
        body: { subject: payload },
      });
      const r = await call(
        'POST',
        `/api/tickets/${ticketId}/macros/${macro.body.id as string}/apply`,
        { token: agent.token, body: { body: payload } },
      );
      if (r.status >= 400) {
        expect(payload).toContain('{{');
        expect(r.body.error, payload).toMatchObject({ code: 'validation/invalid', field: 'body' });
        continue;
      }
      expect(r.body.message).toMatchObject({ channel: 'email', body: payload });
      sent.push(payload);
    }
    expect(sent.length).toBeGreaterThan(XSS_PAYLOADS.length - 3);
    const emails = (await listOutboundEmailsOfTicket(t.server.database.db, ticketId)).filter(
      (e) => e.kind === 'reply',
    );
    expect(emails.map((e) => e.text)).toEqual(sent);
    expect(emails.map((e) => e.subject.replace(/^\[#\d+\] /, ''))).toEqual(
      sent.map((p) => p.trim()),
    );
    for (const email of emails) {
      const html = textToEmailHtml(email.text);
      if (MARKUP.test(email.text)) expect(html, email.text).not.toContain(email.text);
      expect(html.replace(/<br>\n/g, ''), email.text).not.toMatch(/[<>]/);
    }
  });
});
