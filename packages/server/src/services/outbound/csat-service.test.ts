import type { FeedEntry, Ticket, TicketEvent } from '@parlour/protocol';
import { listOutboundEmailsOfTicket, loadConversationState } from '@parlour/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableStorageKinds } from '../../../../storage/src/testing/test-database.js';
import { ManualClock } from '../../clock.js';
import { DEMO_ACCOUNTS } from '../../seed-demo.js';
import { apiClient } from '../../testing/api-client.js';
import { startTestServer, type TestServer } from '../../testing/test-server.js';
import { publishFeed } from '../feed-publisher.js';
import { CSAT_QUESTION, type CsatSendOutcome } from './csat-service.js';

const DAY = 24 * 60 * 60 * 1000;

describe.each(availableStorageKinds())('CSAT surveys on %s', (kind) => {
  const clock = new ManualClock();
  let t: TestServer;
  let api: ReturnType<typeof apiClient>;

  beforeAll(async () => {
    t = await startTestServer(kind, { clock });
    api = apiClient(t.server.app);
  });
  afterAll(async () => t.close());

  // Logged in per call: the tests jump the clock past a login's lifetime.
  const admin = () => api.login(DEMO_ACCOUNTS.admin.email, DEMO_ACCOUNTS.admin.password);
  const agent = () => api.login(DEMO_ACCOUNTS.agents[0].email, DEMO_ACCOUNTS.agents[0].password);

  interface Opened {
    readonly ticket: Ticket;
    readonly conversationId: string;
    readonly visitor: { token: string; endUserId: string };
  }

  /** A customer chats and is handed to people: a ticket with an active messaging session. */
  async function openTicket(options: { email?: string; ended?: boolean } = {}): Promise<Opened> {
    clock.advance(1_000);
    const visitor = await api.visitor();
    if (options.email) {
      await t.server.database.db
        .updateTable('end_users')
        .set({ email: options.email })
        .where('id', '=', visitor.endUserId)
        .execute();
    }
    const started = await api.call('POST', '/api/conversations', {
      token: visitor.token,
      body: { body: 'Hello, I need help' },
    });
    const conversationId = started.body.conversation.id as string;
    const handoff = await api.call<Ticket>('POST', `/api/conversations/${conversationId}/handoff`, {
      token: visitor.token,
      body: {},
    });
    expect(handoff.status, JSON.stringify(handoff.body)).toBe(201);
    if (options.ended) {
      const ended = await api.call('POST', `/api/conversations/${conversationId}/end-session`, {
        token: visitor.token,
        body: { reason: 'customer_left' },
      });
      expect(ended.status, JSON.stringify(ended.body)).toBe(200);
    }
    return { ticket: handoff.body, conversationId, visitor };
  }

  /** What a trigger's action does: send inside the transaction that holds the conversation's lock. */
  async function sendCsat(opened: Opened): Promise<CsatSendOutcome> {
    const at = clock.now();
    const { signals, outcome, failure } = await t.server.database.db
      .transaction()
      .execute(async (trx) => {
        const state = await loadConversationState(trx, opened.conversationId, { lock: true });
        return t.server.services.csat.send(trx, {
          ticketId: opened.ticket.id,
          conversationId: opened.conversationId,
          lastSeq: state!.lastSeq,
          at,
          actor: { type: 'system', reason: 'trigger' },
        });
      });
    await publishFeed(t.server.bus, signals);
    // The rules engine records `failure` as the action's failure reason.
    expect(failure).toBe(outcome.status === 'failed' ? outcome.reason : null);
    return outcome;
  }

  const history = async (ticketId: string) =>
    (
      await api.call<TicketEvent[]>('GET', `/api/tickets/${ticketId}/events`, {
        token: await agent(),
      })
    ).body;
  const csatEvents = async (ticketId: string) =>
    (await history(ticketId)).filter((e) => e.type.startsWith('csat.'));
  const satisfaction = async (ticketId: string) =>
    (await api.call('GET', `/api/tickets/${ticketId}/csat`, { token: await agent() })).body;
  const customerFeed = async (opened: Opened) =>
    (
      await api.call<FeedEntry[]>(
        'GET',
        `/api/conversations/${opened.conversationId}/events?after=0`,
        { token: opened.visitor.token },
      )
    ).body;
  const emailsOf = (ticketId: string) => listOutboundEmailsOfTicket(t.server.database.db, ticketId);

  /** A survey sent by email; its token read from the link in the queued email. */
  async function surveyByEmail(): Promise<{ opened: Opened; token: string; surveyId: string }> {
    const opened = await openTicket({ email: 'casey@example.com', ended: true });
    const outcome = await sendCsat(opened);
    if (outcome.status !== 'sent') throw new Error(`not sent: ${JSON.stringify(outcome)}`);
    const [email] = await emailsOf(opened.ticket.id);
    const token = /\/csat\/([A-Za-z0-9_-]+)/.exec(email!.text)![1]!;
    return { opened, token, surveyId: outcome.surveyId };
  }

  it('asks in the widget while the messaging session is active', async () => {
    const opened = await openTicket({ email: 'robin@example.com' });
    const outcome = await sendCsat(opened);
    expect(outcome).toMatchObject({ status: 'sent', via: 'messaging' });
    const asked = (await customerFeed(opened)).filter((e) => e.event.type === 'csat.requested');
    expect(asked.map((e) => e.event)).toEqual([
      {
        type: 'csat.requested',
        surveyId: (outcome as { surveyId: string }).surveyId,
        question: CSAT_QUESTION,
      },
    ]);
    expect(await emailsOf(opened.ticket.id)).toEqual([]);
    expect(await csatEvents(opened.ticket.id)).toMatchObject([
      { type: 'csat.sent', data: { via: 'messaging' }, actor: { type: 'system' } },
    ]);
  });

  it('asks by email, with a link to the survey, once the session has ended', async () => {
    const { opened, token } = await surveyByEmail();
    const [email] = await emailsOf(opened.ticket.id);
    expect(email).toMatchObject({ to: 'casey@example.com', kind: 'csat', sentAt: null });
    expect(email!.subject).toContain(`#${opened.ticket.number}`);
    expect(email!.text).toContain(`http://127.0.0.1:0/csat/${token}`);
    expect((await customerFeed(opened)).some((e) => e.event.type === 'csat.requested')).toBe(false);
    expect(await csatEvents(opened.ticket.id)).toMatchObject([
      { type: 'csat.sent', data: { via: 'email' } },
    ]);
    const view = await api.call('GET', `/api/csat/${token}`);
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({
      question: CSAT_QUESTION,
      ticketNumber: opened.ticket.number,
      state: 'open',
      rating: null,
    });
  });

  it('says why, and records nothing, when the customer can be reached neither way', async () => {
    const opened = await openTicket({ ended: true });
    const outcome = await sendCsat(opened);
    expect(outcome.status).toBe('failed');
    expect((outcome as { reason: string }).reason).toMatch(/no email/);
    expect(await csatEvents(opened.ticket.id)).toEqual([]);
    expect((await satisfaction(opened.ticket.id)).surveys).toEqual([]);
  });

  it('stores an answer given through the link on the ticket and in its events', async () => {
    const { opened, token } = await surveyByEmail();
    clock.advance(60_000);
    const answered = await api.call('POST', `/api/csat/${token}`, {
      body: { rating: 'good', comment: '  Quick and kind  ' },
    });
    expect(answered.status, JSON.stringify(answered.body)).toBe(200);
    expect(answered.body).toMatchObject({ state: 'answered', rating: 'good' });
    expect(await satisfaction(opened.ticket.id)).toMatchObject({
      satisfaction: {
        rating: 'good',
        comment: 'Quick and kind',
        answeredAt: clock.now().toISOString(),
      },
    });
    expect((await csatEvents(opened.ticket.id)).map((e) => [e.type, e.actor])).toEqual([
      ['csat.sent', { type: 'system', id: null }],
      ['csat.answered', { type: 'end_user', id: opened.visitor.endUserId }],
    ]);
    expect((await csatEvents(opened.ticket.id))[1]!.data).toMatchObject({
      rating: 'good',
      comment: 'Quick and kind',
    });
    expect((await api.call('GET', `/api/csat/${token}`)).body.state).toBe('answered');
  });

  it('stores an answer given in the widget by the customer it asked', async () => {
    const opened = await openTicket();
    const outcome = await sendCsat(opened);
    const surveyId = (outcome as { surveyId: string }).surveyId;
    const r = await api.call('POST', `/api/conversations/${opened.conversationId}/csat`, {
      token: opened.visitor.token,
      body: { surveyId, rating: 'bad' },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect((await satisfaction(opened.ticket.id)).satisfaction).toMatchObject({
      rating: 'bad',
      comment: null,
    });
  });

  it("refuses another customer's answer to a survey in the widget", async () => {
    const opened = await openTicket();
    const surveyId = ((await sendCsat(opened)) as { surveyId: string }).surveyId;
    const stranger = await api.visitor();
    const r = await api.call('POST', `/api/conversations/${opened.conversationId}/csat`, {
      token: stranger.token,
      body: { surveyId, rating: 'bad' },
    });
    expect(r.status).toBe(404);
    expect((await satisfaction(opened.ticket.id)).satisfaction).toBeNull();
  });

  it('refuses a second answer for the ticket and keeps the first', async () => {
    const { opened, token, surveyId } = await surveyByEmail();
    expect(
      (await api.call('POST', `/api/csat/${token}`, { body: { rating: 'good' } })).status,
    ).toBe(200);
    const again = await api.call('POST', `/api/csat/${token}`, { body: { rating: 'bad' } });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('csat/answered');
    const widget = await api.call('POST', `/api/conversations/${opened.conversationId}/csat`, {
      token: opened.visitor.token,
      body: { surveyId, rating: 'bad' },
    });
    expect(widget.status).toBe(409);
    expect((await satisfaction(opened.ticket.id)).satisfaction.rating).toBe('good');
    expect((await csatEvents(opened.ticket.id)).map((e) => e.type)).toEqual([
      'csat.sent',
      'csat.answered',
    ]);
  });

  it('sends no second survey while one waits for its answer, nor after an answer', async () => {
    const { opened, token } = await surveyByEmail();
    expect(await sendCsat(opened)).toMatchObject({ status: 'skipped' });
    await api.call('POST', `/api/csat/${token}`, { body: { rating: 'good' } });
    clock.advance(30 * DAY);
    expect(await sendCsat(opened)).toMatchObject({ status: 'skipped' });
    expect(await emailsOf(opened.ticket.id)).toHaveLength(1);
    expect((await satisfaction(opened.ticket.id)).surveys).toHaveLength(1);
  });

  it('refuses an answer once the link has expired (410), and may ask again after', async () => {
    const { opened, token } = await surveyByEmail();
    clock.advance(7 * DAY);
    const late = await api.call('POST', `/api/csat/${token}`, { body: { rating: 'good' } });
    expect(late.status).toBe(410);
    expect(late.body.error.code).toBe('csat/expired');
    expect((await api.call('GET', `/api/csat/${token}`)).body.state).toBe('expired');
    expect((await satisfaction(opened.ticket.id)).satisfaction).toBeNull();
    expect(await sendCsat(opened)).toMatchObject({ status: 'sent', via: 'email' });
  });

  it('lets the link live as many days as the workspace setting says', async () => {
    const set = await api.call('PATCH', '/api/settings', {
      token: await admin(),
      body: { csatExpiryDays: 2 },
    });
    expect(set.body.csatExpiryDays).toBe(2);
    try {
      const { token } = await surveyByEmail();
      clock.advance(2 * DAY - 1);
      expect((await api.call('GET', `/api/csat/${token}`)).body.state).toBe('open');
      clock.advance(1);
      expect(
        (await api.call('POST', `/api/csat/${token}`, { body: { rating: 'good' } })).status,
      ).toBe(410);
    } finally {
      await api.call('PATCH', '/api/settings', {
        token: await admin(),
        body: { csatExpiryDays: 7 },
      });
    }
  });

  it('refuses bad answers with a 4xx and changes nothing', async () => {
    const { opened, token } = await surveyByEmail();
    const tries = [
      { url: `/api/csat/${token}`, body: { rating: 'meh' }, status: 400 },
      {
        url: `/api/csat/${token}`,
        body: { rating: 'good', comment: 'x'.repeat(2001) },
        status: 400,
      },
      { url: `/api/csat/${token}`, body: { rating: 'good', extra: true }, status: 400 },
      { url: `/api/csat/${token}`, body: {}, status: 400 },
      { url: `/api/csat/${'A'.repeat(43)}`, body: { rating: 'good' }, status: 404 },
      { url: '/api/csat/not%20a%20token', body: { rating: 'good' }, status: 400 },
    ];
    for (const attempt of tries) {
      const r = await api.call('POST', attempt.url, { body: attempt.body });
      expect(r.status, `${attempt.url} ${JSON.stringify(r.body)}`).toBe(attempt.status);
    }
    expect((await api.call('GET', `/api/csat/${'A'.repeat(43)}`)).status).toBe(404);
    expect((await api.call('GET', `/api/csat/${token}`)).body.state).toBe('open');
    expect((await csatEvents(opened.ticket.id)).map((e) => e.type)).toEqual(['csat.sent']);
  });

  it('serves a survey page for the emailed link, with its script and no inline code', async () => {
    const { token } = await surveyByEmail();
    const page = await t.server.app.inject({ method: 'GET', url: `/csat/${token}` });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.body).toContain('<script src="/assets/csat.js" defer></script>');
    expect(page.body).not.toContain(token);
    const script = await t.server.app.inject({ method: 'GET', url: '/assets/csat.js' });
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toMatch(/^text\/javascript/);
    expect(script.body).toContain("'/api/csat/'");
  });
});
