import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page, WebSocketRoute } from 'playwright-core';
import { ManualClock } from '../../clock.js';
import { apiClient } from '../../testing/api-client.js';
import { hasChromium, launchBrowser, screenshot } from '../../testing/browser.js';
import { startTestServer, type TestServer } from '../../testing/test-server.js';
import { TestSocket } from '../../testing/ws-client.js';

/**
 * Seed 004's agent desktop in Chromium, driven like an agent would: offers, RONA, accept, a
 * predefined response edited before sending, transfer, end with wrap-up reasons; then an
 * expired login (the draft survives) and a card number refused in drop mode.
 * Needs a fresh `npm run build`.
 */
/** A free loopback port, so PUBLIC_URL (the origin the socket accepts cookies from) matches the page. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = address && typeof address === 'object' ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

describe.skipIf(!hasChromium)('the agent workspace, in Chromium', () => {
  // The browser keeps real time (cookie expiry): the server's manual clock starts now.
  const clock = new ManualClock(new Date());
  let t: TestServer;
  let browser: Browser;
  let page: Page;
  let api: ReturnType<typeof apiClient>;
  let adminToken: string;
  let supportId: string;
  const visitors = new Map<string, string>();

  beforeAll(async () => {
    const port = await freePort();
    t = await startTestServer('pglite', {
      listen: true,
      clock,
      env: {
        PORT: String(port),
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        // Rate-limit windows run on the manual clock, which this test barely moves: off here.
        RATE_LIMIT_IP_PER_MIN: '0',
        RATE_LIMIT_TOKEN_PER_MIN: '0',
        RATE_LIMIT_WS_FRAMES_PER_10S: '0',
      },
    });
    api = apiClient(t.server.app);
    adminToken = await api.login('admin@parlour.example', 'parlour-admin');
    const groups = (await api.call('GET', '/api/groups', { token: adminToken })).body as {
      id: string;
      name: string;
    }[];
    supportId = groups.find((g) => g.name === 'Support')!.id;
    const admin = async (method: 'POST' | 'PATCH', url: string, body: unknown) => {
      const r = await api.call(method, url, { token: adminToken, body });
      expect(r.status, `${method} ${url}: ${JSON.stringify(r.body)}`).toBeLessThan(300);
      return r.body;
    };
    await admin('PATCH', `/api/groups/${supportId}/routing`, { offerTimeoutS: 5 });
    await admin('PATCH', '/api/settings', { agentsMayEndSessions: true });
    await admin('POST', '/api/wrap-up-reasons', { name: 'Resolved' });
    await admin('POST', '/api/wrap-up-reasons', { name: 'Follow-up needed' });
    await admin('POST', '/api/idle-reasons', { name: 'Break' });
    await admin('POST', '/api/responses', {
      title: 'Checking the order',
      shortcut: 'order',
      body: 'Thanks for waiting, I am checking your order now.',
    });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1366, height: 860 } });
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function customerHandsOff(text: string): Promise<string> {
    // Keep the server's clock in step with the browser's, so the wait timers read true.
    if (clock.now().getTime() < Date.now()) clock.set(new Date());
    const visitor = await api.visitor();
    const started = await api.call('POST', '/api/conversations', {
      token: visitor.token,
      body: { body: text, clientMessageId: 'c1' },
    });
    expect(started.status).toBe(201);
    const conversationId = started.body.conversation.id as string;
    visitors.set(conversationId, visitor.token);
    requesters.set(conversationId, visitor.endUserId);
    const handoff = await api.call('POST', `/api/conversations/${conversationId}/handoff`, {
      token: visitor.token,
      body: { groupId: supportId },
    });
    expect(handoff.status).toBe(201);
    return conversationId;
  }

  const requesters = new Map<string, string>();
  function ticketRequester(conversationId: string): string {
    return requesters.get(conversationId)!;
  }

  async function logIn() {
    await page.getByLabel('Email').fill('alex@parlour.example');
    await page.getByLabel('Password').fill('parlour-agent');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByTestId('workspace').waitFor();
    await page.getByTestId('connection-state').filter({ hasText: 'Connected' }).waitFor();
  }

  /** Accept the first offer shown and decline any other; returns the accepted conversation. */
  async function acceptAnOffer(): Promise<string> {
    await page.getByTestId('offer').first().waitFor();
    const label = (await page.getByTestId('offer').first().getAttribute('aria-label')) ?? '';
    const number = Number(label.replace(/\D+/g, ''));
    await page.getByTestId('offer-accept').first().click();
    await page.getByTestId('conversation-view').waitFor();
    while ((await page.getByTestId('offer-decline').count()) > 0)
      await page.getByTestId('offer-decline').first().click();
    const tickets = (await api.call('GET', '/api/tickets?status=open', { token: adminToken })).body
      .items as { number: number; conversationId: string }[];
    return tickets.find((x) => x.number === number)!.conversationId;
  }

  it('runs seed 004: offer, RONA, accept, predefined response, transfer, wrap-up', async () => {
    await page.goto(`${t.url}/agent/`);
    await page.getByTestId('login-page').waitFor();
    await screenshot(page, 'agent-login');
    await logIn();
    await page.getByTestId('status-select').selectOption('available');
    await expect.poll(async () => page.getByTestId('status-select').inputValue()).toBe('available');

    // An offer arrives: customer, queue, a running wait timer and the time left.
    await customerHandsOff('Hello, my order is late');
    await page.getByTestId('offer').waitFor();
    expect(await page.getByTestId('offer-queue').textContent()).toBe('Support');
    expect(await page.getByTestId('offer-left').textContent()).toMatch(/^0:0\d$/);
    await screenshot(page, 'agent-offer-popover');

    // The agent lets it expire: RONA, and the popover offers Available or Idle.
    clock.advance(6_000);
    await t.server.timers.runDue();
    await page.getByTestId('rona-popover').waitFor();
    expect(await page.getByTestId('offer').count()).toBe(0);
    await screenshot(page, 'agent-rona-popover');
    await page.getByTestId('rona-available').click();
    await page.getByTestId('rona-popover').waitFor({ state: 'detached' });

    // The next offer is accepted; the conversation opens.
    await customerHandsOff('Hi, I need help with an invoice');
    const conversationId = await acceptAnOffer();
    const visitorToken = visitors.get(conversationId)!;
    await page.getByTestId('message').first().waitFor();
    await screenshot(page, 'agent-conversation-view');

    // A predefined response, found by searching, edited before sending.
    await page.getByTestId('responses-toggle').click();
    await page.getByTestId('responses-search').fill('order');
    await page.getByTestId('response-option').first().waitFor();
    await screenshot(page, 'agent-composer-responses');
    await page.getByTestId('response-option').first().click();
    const input = page.getByTestId('composer-input');
    expect(await input.inputValue()).toBe('Thanks for waiting, I am checking your order now.');
    await input.press('End');
    await input.pressSequentially(' It ships today.');
    await input.press('Enter');
    const sent = 'Thanks for waiting, I am checking your order now. It ships today.';
    await page.getByTestId('message').filter({ hasText: sent }).waitFor();
    expect(await input.inputValue()).toBe('');
    await expect
      .poll(async () => {
        const feed = await api.call('GET', `/api/conversations/${conversationId}/events`, {
          token: visitorToken,
        });
        return (feed.body as { event: { type: string; message?: { body: string } } }[]).some(
          (e) => e.event.type === 'message.created' && e.event.message?.body === sent,
        );
      })
      .toBe(true);

    // The customer's side: typing shows in the workspace, the agent's typing reaches the
    // customer, and the customer's read mark shows on the agent's reply.
    const customer = await TestSocket.open(t.url, visitorToken);
    try {
      customer.send({ type: 'subscribe', conversationId, afterSeq: 0 });
      await customer.next((f) => f.type === 'subscribed');
      customer.send({ type: 'typing', conversationId, typing: true });
      await page.getByTestId('typing-indicator').filter({ hasText: 'typing' }).waitFor();
      // The server drops typing frames closer than a second apart on its (manual) clock.
      clock.advance(1_500);
      await input.fill('One more thing');
      await customer.next(
        (f) => f.type === 'typing' && (f as { typing?: boolean }).typing === true,
      );
      await input.fill('');
      const replySeq = Number(
        await page.getByTestId('message').filter({ hasText: sent }).getAttribute('data-seq'),
      );
      customer.send({ type: 'read', conversationId, seq: replySeq });
      await page
        .getByTestId('message')
        .filter({ hasText: sent })
        .getByTestId('read-mark')
        .waitFor();
    } finally {
      await customer.close();
    }

    // Transfer to the Billing queue; Alex, its only member, is offered it again and accepts.
    await page.getByTestId('action-transfer').click();
    await page.getByTestId('transfer-dialog').waitFor();
    await page.getByTestId('transfer-agent-sam@parlour.example').waitFor();
    await screenshot(page, 'agent-transfer-dialog');
    await page.getByTestId('transfer-group-Billing').check();
    await page.getByTestId('transfer-submit').click();
    await page.getByTestId('transfer-dialog').waitFor({ state: 'detached' });
    const again = await acceptAnOffer();
    expect(again).toBe(conversationId);
    const ticketId = (
      await api.call('GET', `/api/conversations/${conversationId}`, { token: adminToken })
    ).body.ticketId as string;

    // End the chat with two wrap-up reasons.
    await page.getByTestId('action-end-chat').click();
    await page.getByTestId('wrap-up-dialog').waitFor();
    await page.getByTestId('wrap-up-reason-Resolved').check();
    await page.getByTestId('wrap-up-reason-Follow-up needed').check();
    await screenshot(page, 'agent-wrap-up-dialog');
    await page.getByTestId('wrap-up-submit').click();
    await page.getByTestId('wrap-up-dialog').waitFor({ state: 'detached' });
    const wrapUp = await api.call('GET', `/api/tickets/${ticketId}/wrap-up`, { token: adminToken });
    expect((wrapUp.body as { name: string }[]).map((w) => w.name).sort()).toEqual([
      'Follow-up needed',
      'Resolved',
    ]);
    // Seed 000: the session ended and the customer's email is unknown: an internal note.
    await expect
      .poll(async () => page.getByTestId('composer-channel-internal').isChecked())
      .toBe(true);
    expect(await page.getByTestId('composer-channel-messaging').count()).toBe(0);
  }, 120_000);

  it('returns to login when the login expires, and the draft survives', async () => {
    const input = page.getByTestId('composer-input');
    await input.fill('A draft that must survive');
    const cookie = (await page.context().cookies()).find((c) => c.name === 'parlour_session');
    expect(cookie).toBeDefined();
    const out = await api.call('POST', '/api/auth/logout', { token: cookie!.value });
    expect(out.status).toBe(204);
    // The next call (or the socket's reconnect, refused) meets a 401: back to login.
    await page
      .getByTestId('lists-refresh')
      .click({ timeout: 2_000 })
      .catch(() => undefined);
    await page.getByTestId('login-expired').waitFor();
    await logIn();
    await page.getByTestId('conversation-view').waitFor();
    expect(await page.getByTestId('composer-input').inputValue()).toBe('A draft that must survive');
  }, 60_000);

  it('shows the refusal when a message with a card number is dropped', async () => {
    const r = await api.call('PATCH', '/api/settings', {
      token: adminToken,
      body: { pciMode: 'drop' },
    });
    expect(r.status).toBe(200);
    const input = page.getByTestId('composer-input');
    await input.fill('The card is 4111 1111 1111 1111');
    await input.press('Enter');
    const refusal = page.getByTestId('composer-refusal');
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/card/i);
    // The text comes back so the agent can fix it; nothing was stored.
    expect(await input.inputValue()).toBe('The card is 4111 1111 1111 1111');
    expect(await page.getByTestId('message-note').filter({ hasText: '4111' }).count()).toBe(0);
  }, 60_000);

  it('keeps a message sent while the connection is down and sends it once after the reconnect', async () => {
    await api.call('PATCH', '/api/settings', { token: adminToken, body: { pciMode: 'redact' } });
    // Every socket of the page goes through this route, so the test can cut the line.
    let down = false;
    const open: WebSocketRoute[] = [];
    await page.routeWebSocket(/\/ws$/, (ws) => {
      if (down) {
        void ws.close();
        return;
      }
      ws.connectToServer();
      open.push(ws);
    });
    await page.reload();
    await page.getByTestId('connection-state').filter({ hasText: 'Connected' }).waitFor();
    const input = page.getByTestId('composer-input');
    await input.waitFor();

    down = true;
    for (const ws of open.splice(0)) await ws.close();
    await page.getByTestId('connection-state').filter({ hasText: 'reconnecting' }).waitFor();
    const text = 'Written while the line was down';
    await input.fill(text);
    await input.press('Enter');
    const pending = page.getByTestId('message-pending');
    await pending.filter({ hasText: text }).waitFor();
    expect(await input.inputValue()).toBe('');
    await screenshot(page, 'agent-offline-queued');

    down = false;
    await page.getByTestId('connection-state').filter({ hasText: 'Connected' }).waitFor();
    await page.getByTestId('message-note').filter({ hasText: text }).waitFor();
    expect(await pending.count()).toBe(0);
    const conversations = (
      await api.call('GET', '/api/tickets?status=new,open,pending,on_hold,solved,closed', {
        token: adminToken,
      })
    ).body.items as { conversationId: string }[];
    let copies = 0;
    for (const c of conversations) {
      const feed = await api.call('GET', `/api/conversations/${c.conversationId}/events`, {
        token: adminToken,
      });
      copies += (feed.body as { event: { type: string; message?: { body: string } } }[]).filter(
        (e) => e.event.type === 'message.created' && e.event.message?.body === text,
      ).length;
    }
    expect(copies).toBe(1);
  }, 60_000);

  it('sends attachments (refusing one too large) and holds a conference with a second agent', async () => {
    const samToken = await api.login('sam@parlour.example', 'parlour-agent');
    const sam = await TestSocket.open(t.url, samToken);
    try {
      const reasons = (await api.call('GET', '/api/idle-reasons', { token: samToken })).body as {
        id: string;
      }[];
      const idle = await api.call('PUT', '/api/agents/me/status', {
        token: samToken,
        body: { status: 'idle', idleReasonId: reasons[0]!.id },
      });
      expect(idle.status).toBe(200);
      await customerHandsOff('I have a question about a refund');
      const conversationId = await acceptAnOffer();
      await page.getByTestId('composer-channel-messaging').waitFor();

      // Too large: a clear message, nothing attached.
      await api.call('PATCH', '/api/settings', {
        token: adminToken,
        body: { attachmentMaxBytes: 1024 },
      });
      const file = page.getByTestId('composer-file');
      await file.setInputFiles({
        name: 'big.txt',
        mimeType: 'text/plain',
        buffer: Buffer.alloc(4096, 'a'),
      });
      const uploadError = page.getByTestId('composer-upload-error');
      await uploadError.waitFor();
      expect(await uploadError.textContent()).toMatch(/too large|larger than/i);
      // A small file goes with the next message and downloads from the transcript.
      await file.setInputFiles({
        name: 'receipt.txt',
        mimeType: 'text/plain',
        buffer: Buffer.from('Order 1234, refunded'),
      });
      await page.getByRole('button', { name: 'Remove receipt.txt' }).waitFor();
      expect(await uploadError.count()).toBe(0);
      const input = page.getByTestId('composer-input');
      await input.fill('Here is your receipt');
      await input.press('Enter');
      const link = page
        .getByTestId('message')
        .filter({ hasText: 'Here is your receipt' })
        .getByTestId('attachment-link');
      await link.waitFor();
      expect(await link.textContent()).toBe('receipt.txt');

      // Conference: invite Sam, who joins; then end it.
      await page.getByTestId('action-conference').click();
      await page.getByTestId('conference-dialog').waitFor();
      await page.getByTestId('conference-agent-sam@parlour.example').check();
      await page.getByTestId('conference-submit').click();
      await page.getByTestId('conference-dialog').waitFor({ state: 'detached' });
      await sam.next((f) => f.type === 'conference.invited');
      const joined = await api.call(
        'POST',
        `/api/conversations/${conversationId}/conference/accept`,
        { token: samToken },
      );
      expect(joined.status).toBe(200);
      await page.getByTestId('system-line').filter({ hasText: 'Sam Agent joined' }).waitFor();
      await page.getByTestId('conference-participants').filter({ hasText: 'Sam Agent' }).waitFor();
      await screenshot(page, 'agent-conference');
      await page.getByTestId('action-end-conference').click();
      await page.getByTestId('conference-participants').waitFor({ state: 'detached' });

      // Unread: with another conversation open, the customer's new message counts on the list.
      const ticket = (
        await api.call('GET', `/api/tickets?requesterId=${ticketRequester(conversationId)}`, {
          token: adminToken,
        })
      ).body.items[0] as { number: number };
      const other = page
        .getByTestId('list-mine')
        .getByRole('button')
        .filter({ hasNotText: `#${ticket.number} ` })
        .first();
      await other.click();
      await page
        .getByTestId('conversation-view')
        .filter({ hasNotText: 'Here is your receipt' })
        .waitFor();
      const posted = await api.call('POST', `/api/conversations/${conversationId}/messages`, {
        token: visitors.get(conversationId)!,
        body: { body: 'Are you still there?', clientMessageId: 'c2' },
      });
      expect(posted.status).toBe(201);
      await page
        .getByTestId(`ticket-item-${ticket.number}`)
        .first()
        .getByTestId('unread-count')
        .filter({ hasText: '1' })
        .waitFor();
      // Opening it reads it.
      await page.getByTestId(`ticket-item-${ticket.number}`).first().click();
      await page.getByTestId('message').filter({ hasText: 'Are you still there?' }).waitFor();
      expect(
        await page
          .getByTestId(`ticket-item-${ticket.number}`)
          .first()
          .getByTestId('unread-count')
          .count(),
      ).toBe(0);
    } finally {
      await sam.close();
    }
  }, 60_000);

  it('edits ticket fields, applies a macro, and shows the session rules and the customer leaving', async () => {
    // The conversation from the previous test is open, its session active.
    const view = page.getByTestId('conversation-view');
    await view.waitFor();
    const ticketNumber = Number(
      ((await view.getAttribute('aria-label')) ?? '').replace(/\D+/g, ''),
    );
    const ticket = (
      await api.call('GET', '/api/tickets?status=open&limit=100', { token: adminToken })
    ).body.items.find((x: { number: number }) => x.number === ticketNumber) as {
      id: string;
      conversationId: string;
    };

    // A field saved with the ticket's version; a bad value shows the API's error beside it.
    await page.getByTestId('field-priority').selectOption('high');
    await expect
      .poll(
        async () =>
          (await api.call('GET', `/api/tickets/${ticket.id}`, { token: adminToken })).body.priority,
      )
      .toBe('high');
    await page.getByTestId('field-tags').fill('x'.repeat(70));
    await page.getByRole('button', { name: 'Save tags' }).click();
    await page.locator('[data-testid^="field-error-tags"]').waitFor();

    // A macro: preview, then apply (its field change and its text).
    const macro = await api.call('POST', '/api/macros', {
      token: adminToken,
      body: {
        title: 'Escalate',
        body: 'I have escalated this for you.',
        bodyKind: 'public',
        actions: [{ type: 'set_priority', value: 'urgent' }],
        shared: true,
      },
    });
    expect(macro.status).toBe(201);
    await page.getByTestId('macros-toggle').click();
    await page
      .getByTestId('macros-panel')
      .getByRole('button', { name: /Escalate/ })
      .click();
    await page.getByTestId('macro-preview').waitFor();
    await page.getByTestId('macro-apply').click();
    await page
      .getByTestId('message')
      .filter({ hasText: 'I have escalated this for you.' })
      .waitFor();
    await expect.poll(async () => page.getByTestId('field-priority').inputValue()).toBe('urgent');

    // Ending the session is refused while an admin does not allow it: the reason is shown.
    await api.call('PATCH', '/api/settings', {
      token: adminToken,
      body: { agentsMayEndSessions: false },
    });
    await page.getByTestId('action-end-session').click();
    const error = page.getByTestId('conversation-error');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/not allowed/i);

    // The customer leaves: the banner, and the composer moves off messaging (seed 000).
    const left = await api.call('POST', `/api/conversations/${ticket.conversationId}/end-session`, {
      token: visitors.get(ticket.conversationId)!,
      body: { reason: 'customer_left' },
    });
    expect(left.status).toBe(200);
    await page.getByTestId('customer-left').waitFor();
    await expect
      .poll(async () => page.getByTestId('composer-channel-internal').isChecked())
      .toBe(true);
    await screenshot(page, 'agent-customer-left');
  }, 60_000);
});
