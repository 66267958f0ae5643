import type { FeedEntry, Ticket } from '@parlour/protocol';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableStorageKinds } from '../../../storage/src/testing/test-database.js';
import { ManualClock } from '../clock.js';
import { DEMO_ACCOUNTS } from '../seed-demo.js';
import { apiClient } from '../testing/api-client.js';
import { sendRawBySmtp, startSmtpCapture } from '../testing/smtp-capture.js';
import { startTestServer, type TestServer } from '../testing/test-server.js';

const JWT_SECRET = 'email-seed-secret-of-at-least-32-characters';
const DOMAIN = 'support.parlour.test';

/**
 * Seeds 000 and 002 over real SMTP on loopback: a customer chats and is known by email; the agent
 * takes the chat, answers, and ends the session; the agent's next public reply goes out by email;
 * the customer's emailed reply threads into the same ticket; the CSAT survey arrives by email.
 */
describe.each(availableStorageKinds())('the email seed scenario on %s', (kind) => {
  const clock = new ManualClock();
  let t: TestServer;
  let relay: Awaited<ReturnType<typeof startSmtpCapture>>;
  let api: ReturnType<typeof apiClient>;

  beforeAll(async () => {
    relay = await startSmtpCapture();
    t = await startTestServer(kind, {
      clock,
      env: {
        SMTP_HOST: '127.0.0.1',
        SMTP_PORT: String(relay.port),
        SMTP_LISTEN_PORT: '0',
        EMAIL_REPLY_DOMAIN: DOMAIN,
        EMAIL_FROM: `Parlour Support <support@${DOMAIN}>`,
      },
    });
    api = apiClient(t.server.app);
  });
  afterAll(async () => {
    await t.close();
    await relay.close();
  });

  it('continues the chat by email, both ways, and surveys by email', async () => {
    const admin = await api.login(DEMO_ACCOUNTS.admin.email, DEMO_ACCOUNTS.admin.password);
    const alexToken = await api.login(
      DEMO_ACCOUNTS.agents[0].email,
      DEMO_ACCOUNTS.agents[0].password,
    );
    const alexId = (await api.call('GET', '/api/me', { token: alexToken })).body.id as string;
    const supportId = (
      await api.call<{ id: string; name: string }[]>('GET', '/api/groups', { token: admin })
    ).body.find((g) => g.name === 'Support')!.id;
    await api.call('PATCH', '/api/settings', {
      token: admin,
      body: { endUserJwtSecret: JWT_SECRET, agentsMayEndSessions: true },
    });
    const trigger = await api.call('POST', '/api/triggers', {
      token: admin,
      body: {
        name: 'CSAT by email when the agent ends the chat',
        conditions: {
          all: [{ field: 'session_end_reason', operator: 'changed_to', value: 'ended_by_agent' }],
          any: [],
        },
        actions: [{ type: 'send_csat' }],
      },
    });
    expect(trigger.status, JSON.stringify(trigger.body)).toBe(201);

    // The customer is known to the company's site, with their email (identity).
    const now = Math.floor(clock.now().getTime() / 1000);
    const jwt = await new SignJWT({
      external_id: 'kim-42',
      email: 'kim@customer.example',
      name: 'Kim Kunde',
    })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt(now)
      .setExpirationTime(now + 3600)
      .sign(new TextEncoder().encode(JWT_SECRET));
    const session = await api.call('POST', '/api/widget/session', { body: { jwt } });
    expect(session.status, JSON.stringify(session.body)).toBe(200);
    const customer = session.body.token as string;
    const started = await api.call('POST', '/api/conversations', {
      token: customer,
      body: { body: 'Meine Bestellung ist nicht angekommen' },
    });
    const conversationId = started.body.conversation.id as string;
    const ticket = (
      await api.call<Ticket>('POST', `/api/conversations/${conversationId}/handoff`, {
        token: customer,
        body: { groupId: supportId },
      })
    ).body;

    // The agent takes the chat and answers in it, then ends the session.
    const taken = await api.call('PATCH', `/api/tickets/${ticket.id}`, {
      token: alexToken,
      body: { assigneeId: alexId },
    });
    expect(taken.status, JSON.stringify(taken.body)).toBe(200);
    const say = (body: string, channel?: 'email') =>
      api.call('POST', `/api/conversations/${conversationId}/messages`, {
        token: alexToken,
        body: { body, kind: 'public', ...(channel ? { channel } : {}) },
      });
    expect((await say('Ich schaue nach.')).status).toBe(201);
    const ended = await api.call('POST', `/api/conversations/${conversationId}/end-session`, {
      token: alexToken,
      body: { reason: 'ended_by_agent' },
    });
    expect(ended.status, JSON.stringify(ended.body)).toBe(200);
    expect(ended.body.composer.default).toBe('email');

    // The agent's next public reply goes out by email.
    const reply = await say('Das Paket wurde heute neu versendet <b>Tracking 123</b>.', 'email');
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    await t.server.services.emailSender.drain();
    const arrived = await relay.waitFor(2);
    const csat = arrived.find((e) => /How did we do/.test(e.parsed.subject ?? ''))!;
    const answer = arrived.find((e) => e !== csat)!;
    expect(answer.envelopeTo).toEqual(['kim@customer.example']);
    expect(answer.parsed.text).toContain(
      'Das Paket wurde heute neu versendet <b>Tracking 123</b>.',
    );
    // The HTML part escapes what the agent typed.
    expect(String(answer.parsed.html)).toContain('&lt;b&gt;Tracking 123&lt;/b&gt;');
    const messageId = answer.parsed.messageId!;
    expect(messageId).toMatch(new RegExp(`^<[0-9a-f-]+@${DOMAIN.replace(/\./g, '\\.')}>$`));
    const replyTo = answer.parsed.replyTo!.value[0]!.address!;
    expect(replyTo).toMatch(new RegExp(`^reply\\+[a-z2-7]{32}@${DOMAIN.replace(/\./g, '\\.')}$`));
    // Threaded after the survey that went out first.
    expect(answer.parsed.inReplyTo).toBe(csat.parsed.messageId);
    expect(answer.parsed.references).toContain(csat.parsed.messageId);
    expect(csat.parsed.text).toMatch(/\/csat\/[A-Za-z0-9_-]+/);
    expect(csat.parsed.headers.get('auto-submitted')).toBe('auto-generated');

    // The customer replies by email to Parlour's own SMTP listener.
    const sent = await sendRawBySmtp(
      t.server.smtpPort!,
      { from: 'kim@customer.example', to: [replyTo] },
      [
        'From: Kim Kunde <kim@customer.example>',
        `To: ${replyTo}`,
        'Subject: Re: Ihre Anfrage',
        `Message-ID: <kim-reply-1@customer.example>`,
        `In-Reply-To: ${messageId}`,
        `References: ${messageId}`,
        'Content-Type: text/plain; charset=utf-8',
        '',
        'Danke, das Paket ist angekommen!',
        '',
        'Am Montag, 23. November 2026 schrieb Parlour Support <support@support.parlour.test>:',
        '> Das Paket wurde heute neu versendet.',
        '',
      ].join('\r\n'),
    );
    expect(sent.ok, JSON.stringify(sent)).toBe(true);

    // The agent sees it on the same ticket, quoted history stripped.
    const feed = await api.call<FeedEntry[]>(
      'GET',
      `/api/conversations/${conversationId}/events?after=0`,
      { token: alexToken },
    );
    const messages = feed.body
      .map((e) => e.event)
      .flatMap((e) => (e.type === 'message.created' ? [e.message] : []));
    const last = messages.at(-1)!;
    expect(last).toMatchObject({
      authorType: 'end_user',
      channel: 'email',
      body: 'Danke, das Paket ist angekommen!',
      ticketId: ticket.id,
    });
  });
});
