import { SignJWT } from 'jose';
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchBrowser, screenshot } from '../../testing/browser.js';
import { apiClient } from '../../testing/api-client.js';
import { loadConversationState } from '@parlour/storage';
import { ManualClock } from '../../clock.js';
import { TestSocket } from '../../testing/ws-client.js';
import { publishFeed } from '../../services/feed-publisher.js';
import { startTestServer, type TestServer } from '../../testing/test-server.js';

const JWT_SECRET = 'widget-browser-test-secret-0123456789abcdef';

/**
 * The customer widget in Chromium, on the demo shop page (/demo) served by a Parlour server:
 * loading under the page's CSP, chatting with an agent, reconnecting without gaps or duplicates,
 * offline messages, attachments, card data, CSAT and identity by JWT. Run `npm run build` first.
 */
describe.skipIf(!hasChromium)('the customer widget, in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let api: ReturnType<typeof apiClient>;
  let admin: string;
  let agent: string;
  const clock = new ManualClock();

  beforeAll(async () => {
    server = await startTestServer('pglite', { listen: true, clock, bot: true });
    api = apiClient(server.server.app);
    admin = await api.login('admin@parlour.example', 'parlour-admin');
    agent = await api.login('alex@parlour.example', 'parlour-agent');
    // The test server's public URL names port 0: the page's real origin is allowed like a customer site.
    const r = await api.call('PATCH', '/api/settings', {
      token: admin,
      body: { allowedOrigins: [server.url], endUserJwtSecret: JWT_SECRET },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** A fresh visitor on the demo page, with console errors (CSP violations among them) collected. */
  async function visit(options: { jwt?: string } = {}) {
    const context = await browser.newContext({ viewport: { width: 1100, height: 760 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    if (options.jwt) {
      await page.addInitScript(`window.parlourSettings = { jwt: ${JSON.stringify(options.jwt)} };`);
    }
    const response = await page.goto(`${server.url}/demo`);
    expect(response?.status()).toBe(200);
    return { context, page, errors };
  }

  async function chatFrame(page: Page): Promise<Frame> {
    await page.waitForSelector('[data-testid="parlour-frame"]');
    const handle = await page.$('[data-testid="parlour-frame"]');
    const frame = await handle!.contentFrame();
    await frame!.waitForSelector('[data-testid="chat"]');
    return frame!;
  }

  /** Opens the chat and waits until it is online with a conversation; returns its id. */
  async function openChat(page: Page): Promise<{ frame: Frame; conversationId: string }> {
    await page.click('[data-testid="parlour-launcher"]');
    const frame = await chatFrame(page);
    await frame.waitForSelector(
      '[data-testid="chat"][data-connection="online"][data-conversation-id]',
    );
    const conversationId = await frame.getAttribute('[data-testid="chat"]', 'data-conversation-id');
    await frame.waitForSelector('[data-testid="composer-input"]:not([disabled])');
    return { frame, conversationId: conversationId! };
  }

  async function send(frame: Frame, text: string) {
    await frame.fill('[data-testid="composer-input"]', text);
    await frame.press('[data-testid="composer-input"]', 'Enter');
  }

  async function bodies(frame: Frame, author: 'customer' | 'agent' | 'bot'): Promise<string[]> {
    return frame.$$eval(`[data-testid="message"][data-author="${author}"] .bubble`, (els) =>
      els.map((e) => e.textContent ?? ''),
    );
  }

  async function waitForText(frame: Frame, selector: string, text: string) {
    await frame.waitForFunction(
      ({ selector, text }) =>
        [...document.querySelectorAll(selector)].some((e) => e.textContent?.includes(text)),
      { selector, text },
    );
  }

  async function agentSays(conversationId: string, body: string) {
    const r = await api.call('POST', `/api/conversations/${conversationId}/messages`, {
      token: agent,
      body: { body },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
  }

  /** The conversation's public messages as staff see them, by body. */
  async function storedBodies(conversationId: string): Promise<string[]> {
    const r = await api.call<Array<{ event: { type: string; message?: { body: string } } }>>(
      'GET',
      `/api/conversations/${conversationId}/events`,
      { token: admin },
    );
    return r.body
      .filter((e) => e.event.type === 'message.created')
      .map((e) => e.event.message!.body);
  }

  /** What a trigger's send_csat action does (inside the transaction holding the conversation). */
  async function sendCsat(ticketId: string, conversationId: string) {
    const { signals, outcome } = await server.server.database.db
      .transaction()
      .execute(async (trx) => {
        const state = await loadConversationState(trx, conversationId, { lock: true });
        return server.server.services.csat.send(trx, {
          ticketId,
          conversationId,
          lastSeq: state!.lastSeq,
          at: clock.now(),
          actor: { type: 'system', reason: 'trigger' },
        });
      });
    await publishFeed(server.server.bus, signals);
    expect(outcome.status).toBe('sent');
  }

  function dropSockets() {
    const wss = (
      server.server.app as unknown as { websocketServer: { clients: Set<{ terminate(): void }> } }
    ).websocketServer;
    for (const client of wss.clients) client.terminate();
  }

  async function goOffline(context: BrowserContext, frame: Frame) {
    await context.setOffline(true);
    dropSockets();
    await frame.waitForSelector('[data-testid="chat"][data-connection="offline"]');
  }

  it('loads on the demo page with no console errors or CSP violations, and chats with an agent', async () => {
    const { context, page, errors } = await visit();
    await page.waitForSelector('[data-testid="parlour-launcher"]');
    expect(await page.$('[data-testid="parlour-frame"]')).toBeNull(); // the frame loads on first open
    await screenshot(page, 'widget-launcher');

    const { frame, conversationId } = await openChat(page);
    expect(await page.getAttribute('[data-testid="parlour-launcher"]', 'aria-expanded')).toBe(
      'true',
    );
    await send(frame, 'Hello, where is my order?');
    await waitForText(
      frame,
      '[data-testid="message"][data-author="customer"][data-seq] .bubble',
      'where is my order',
    );
    expect(await storedBodies(conversationId)).toContain('Hello, where is my order?');

    await agentSays(conversationId, 'Hi! Let me check <b>that</b> for you.');
    await waitForText(
      frame,
      '[data-testid="message"][data-author="agent"] .bubble',
      'Let me check',
    );
    // Text is text: markup in a message is shown, never interpreted.
    expect(await bodies(frame, 'agent')).toContain('Hi! Let me check <b>that</b> for you.');
    expect(await frame.$('[data-testid="message"] b')).toBeNull();
    await screenshot(page, 'widget-chat-open');

    // Closed: an agent message raises the unread badge on the launcher.
    await page.click('[data-testid="parlour-launcher"]');
    await agentSays(conversationId, 'Found it: it ships tomorrow.');
    await page.waitForFunction(
      () =>
        document.querySelector<HTMLElement>('[data-testid="parlour-unread"]')?.textContent === '1',
    );
    await page.click('[data-testid="parlour-launcher"]');
    await waitForText(
      frame,
      '[data-testid="message"][data-author="agent"] .bubble',
      'ships tomorrow',
    );
    expect(errors).toEqual([]);
    await context.close();
  });

  it('ignores messages that do not come from its own frame and origin', async () => {
    const { context, page } = await visit();
    await openChat(page);
    // The host page itself (not the frame) forges the frame's messages: nothing changes.
    await page.evaluate(() => {
      window.postMessage({ parlour: 'close' }, '*');
      window.postMessage({ parlour: 'unread', count: 5 }, '*');
    });
    await page.waitForTimeout(200);
    expect(await page.getAttribute('[data-testid="parlour-launcher"]', 'aria-expanded')).toBe(
      'true',
    );
    expect(await page.isVisible('[data-testid="parlour-unread"]')).toBe(false);
    // Escape in the chat closes it and gives the focus back to the launcher.
    const frame = await chatFrame(page);
    await frame.press('[data-testid="composer-input"]', 'Escape');
    await page.waitForSelector('[data-testid="parlour-launcher"][aria-expanded="false"]');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
      'parlour-launcher',
    );
    await context.close();
  });

  it('resumes after the server drops the socket, without gaps or duplicates', async () => {
    const { context, page } = await visit();
    const { frame, conversationId } = await openChat(page);
    await agentSays(conversationId, 'one');
    await waitForText(frame, '[data-testid="message"][data-author="agent"] .bubble', 'one');

    await goOffline(context, frame);
    await agentSays(conversationId, 'two');
    await agentSays(conversationId, 'three');
    await context.setOffline(false);
    await frame.waitForSelector('[data-testid="chat"][data-connection="online"]', {
      timeout: 15_000,
    });
    await waitForText(frame, '[data-testid="message"][data-author="agent"] .bubble', 'three');
    // Once more, to replay from the latest seq a second time.
    dropSockets();
    await agentSays(conversationId, 'four');
    await waitForText(frame, '[data-testid="message"][data-author="agent"] .bubble', 'four');
    expect(await bodies(frame, 'agent')).toEqual(['one', 'two', 'three', 'four']);
    await context.close();
  });

  it('keeps a message typed while the socket is down and sends it once after reconnecting', async () => {
    const { context, page } = await visit();
    const { frame, conversationId } = await openChat(page);
    await goOffline(context, frame);
    await send(frame, 'Typed while offline');
    await frame.waitForSelector('[data-testid="message"][data-state="queued"]');
    expect(await frame.evaluate(() => localStorage.getItem('parlour.pending') ?? '')).toContain(
      'Typed while offline',
    );
    await context.setOffline(false);
    await frame.waitForSelector('[data-testid="message"][data-author="customer"][data-seq]', {
      timeout: 15_000,
    });
    expect(await bodies(frame, 'customer')).toEqual(['Typed while offline']);
    expect(
      (await storedBodies(conversationId)).filter((b) => b === 'Typed while offline'),
    ).toHaveLength(1);
    expect(await frame.evaluate(() => localStorage.getItem('parlour.pending'))).toBeNull();

    // A draft survives a reload.
    await frame.fill('[data-testid="composer-input"]', 'half a thought');
    await page.reload();
    const again = await openChat(page);
    expect(await again.frame.inputValue('[data-testid="composer-input"]')).toBe('half a thought');
    expect(again.conversationId).toBe(conversationId);
    await context.close();
  });

  it('uploads an attachment and explains an oversized, rejected or card-data one', async () => {
    const { context, page } = await visit();
    const { frame, conversationId } = await openChat(page);
    await frame.setInputFiles('[data-testid="attach-input"]', {
      name: 'receipt.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('Order 1234, two tents'),
    });
    await frame.waitForSelector('[data-testid="staged-attachment"]');
    await send(frame, 'Here is my receipt');
    await frame.waitForSelector(
      '[data-testid="message"][data-author="customer"][data-seq] [data-testid="attachment"]',
    );
    await waitForText(frame, '[data-testid="attachment"]', 'receipt.txt');
    const listed = await api.call<Array<{ fileName: string }>>(
      'GET',
      `/api/conversations/${conversationId}/attachments`,
      { token: admin },
    );
    expect(listed.body.map((a) => a.fileName)).toEqual(['receipt.txt']);

    const r = await api.call('PATCH', '/api/settings', {
      token: admin,
      body: { attachmentMaxBytes: 1024 },
    });
    expect(r.status).toBe(200);
    try {
      await frame.setInputFiles('[data-testid="attach-input"]', {
        name: 'huge.txt',
        mimeType: 'text/plain',
        buffer: Buffer.alloc(4096, 'a'),
      });
      await waitForText(frame, '[data-testid="alert"]', '"huge.txt" is too large to send.');
      // A rejected type and a text file with card data get their own explanation.
      await frame.setInputFiles('[data-testid="attach-input"]', {
        name: 'setup.exe',
        mimeType: 'application/octet-stream',
        buffer: Buffer.concat([
          Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00]),
          Buffer.alloc(64),
        ]),
      });
      await waitForText(
        frame,
        '[data-testid="alert"]',
        '"setup.exe" was not sent: this type of file is not accepted.',
      );
      await frame.setInputFiles('[data-testid="attach-input"]', {
        name: 'card.txt',
        mimeType: 'text/plain',
        buffer: Buffer.from('Visa 4111 1111 1111 1111'),
      });
      await waitForText(
        frame,
        '[data-testid="alert"]',
        '"card.txt" was discarded because it contains payment card details.',
      );
      expect(await frame.$$('[data-testid="staged-attachment"]')).toHaveLength(0);
    } finally {
      await api.call('PATCH', '/api/settings', {
        token: admin,
        body: { attachmentMaxBytes: 10 * 1024 * 1024 },
      });
    }
    await context.close();
  });

  it('tells the customer a message with card data was removed (drop mode)', async () => {
    const r = await api.call('PATCH', '/api/settings', { token: admin, body: { pciMode: 'drop' } });
    expect(r.status).toBe(200);
    try {
      const { context, page } = await visit();
      const { frame, conversationId } = await openChat(page);
      await send(frame, 'My card is 4111 1111 1111 1111, exp 12/29');
      await waitForText(
        frame,
        '[data-testid="notice"]',
        'removed because it contained payment card details',
      );
      expect(await bodies(frame, 'customer')).toEqual([]);
      expect((await storedBodies(conversationId)).join('\n')).not.toContain('4111');
      await context.close();
    } finally {
      await api.call('PATCH', '/api/settings', { token: admin, body: { pciMode: 'redact' } });
    }
  });

  it('shows a message with card data masked (redact mode)', async () => {
    const { context, page } = await visit();
    const { frame } = await openChat(page);
    await send(frame, 'My card is 4111 1111 1111 1111');
    await frame.waitForSelector('[data-testid="message"][data-author="customer"][data-seq]');
    const [shown] = await bodies(frame, 'customer');
    expect(shown).not.toContain('4111 1111 1111 1111');
    expect(shown).toContain('1111');
    expect(await frame.$('[data-testid="notice"]')).toBeNull();
    await context.close();
  });

  it('shows staff typing and read marks, and tells staff when the customer types', async () => {
    const { context, page } = await visit();
    const { frame, conversationId } = await openChat(page);
    const staff = await TestSocket.open(server.url, agent);
    try {
      const subscribed = await staff.request({ type: 'subscribe', conversationId, afterSeq: 0 });
      expect(subscribed.type).toBe('subscribed');
      await send(frame, 'Is the tent waterproof?');
      await frame.waitForSelector('[data-testid="message"][data-author="customer"][data-seq]');
      expect(await frame.$('[data-testid="read-mark"]')).toBeNull();

      // The customer typing reaches the agent (as the end user, never echoed back).
      await frame.fill('[data-testid="composer-input"]', 'Also');
      await frame.type('[data-testid="composer-input"]', '!');
      const typing = await staff.next(
        (f) => f.type === 'typing' && (f as { typing?: boolean }).typing === true,
      );
      expect(typing).toMatchObject({ conversationId, actor: { type: 'end_user' } });

      staff.send({ type: 'typing', conversationId, typing: true });
      await frame.waitForSelector('[data-testid="typing-indicator"]');
      const seq = Number(
        await frame.getAttribute(
          '[data-testid="message"][data-author="customer"][data-seq]',
          'data-seq',
        ),
      );
      staff.send({ type: 'read', conversationId, seq });
      await frame.waitForSelector('[data-testid="read-mark"]');
      expect(await frame.textContent('[data-testid="read-mark"]')).toBe('Read');
      staff.send({ type: 'typing', conversationId, typing: false });
      await frame.waitForSelector('[data-testid="typing-indicator"]', { state: 'detached' });
    } finally {
      await staff.close();
      await context.close();
    }
  });

  it("shows the bot's quick replies as buttons; pressing one sends its label", async () => {
    const { context, page } = await visit();
    const { frame, conversationId } = await openChat(page);
    // The bot greets a new conversation and offers buttons, "Talk to a person" among them.
    await frame.waitForSelector('[data-testid="quick-reply"]', { timeout: 10_000 });
    await screenshot(page, 'widget-quick-replies');
    const labels = await frame.$$eval('[data-testid="quick-reply"]', (els) =>
      els.map((e) => e.textContent ?? ''),
    );
    expect(labels).toContain('Talk to a person');
    const botLines = (await bodies(frame, 'bot')).length;
    await frame.click('[data-testid="quick-reply"]:has-text("Order status")');
    await waitForText(
      frame,
      '[data-testid="message"][data-author="customer"][data-seq] .bubble',
      'Order status',
    );
    expect(await storedBodies(conversationId)).toContain('Order status');
    // The bot answers the pressed button; the old buttons give way to the new message's.
    await frame.waitForFunction(
      (n) => document.querySelectorAll('[data-testid="message"][data-author="bot"]').length > n,
      botLines,
    );
    await context.close();
  });

  async function companyJwt(externalId: string, email: string, name: string) {
    const iat = Math.floor(clock.now().getTime() / 1000);
    return new SignJWT({ external_id: externalId, email, name })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuedAt(iat)
      .setExpirationTime(iat + 3600)
      .sign(new TextEncoder().encode(JWT_SECRET));
  }

  async function verifiedId(jwt: string): Promise<string> {
    const r = await api.call<{ endUser: { id: string; email: string | null } }>(
      'POST',
      '/api/widget/session',
      { body: { jwt } },
    );
    expect(r.status).toBe(200);
    return r.body.endUser.id;
  }

  it('identifies the customer through the company JWT, at load and later with Parlour.identify', async () => {
    const kim = await companyJwt('shop-customer-42', 'kim@customer.example', 'Kim');
    const { context, page } = await visit({ jwt: kim });
    const { frame, conversationId } = await openChat(page);
    expect(await frame.evaluate(() => localStorage.getItem('parlour.endUser'))).toBe(
      await verifiedId(kim),
    );
    await context.close();

    // An anonymous visitor signs in on the host page: the chat becomes the verified customer's.
    const anonymous = await visit();
    const chat = await openChat(anonymous.page);
    const before = await chat.frame.evaluate(() => localStorage.getItem('parlour.endUser'));
    const lee = await companyJwt('shop-customer-43', 'lee@customer.example', 'Lee');
    await anonymous.page.evaluate(
      (jwt) =>
        (window as unknown as { Parlour: { identify(jwt: string): void } }).Parlour.identify(jwt),
      lee,
    );
    const leeId = await verifiedId(lee);
    await chat.frame.waitForFunction((id) => localStorage.getItem('parlour.endUser') === id, leeId);
    expect(leeId).not.toBe(before);
    await chat.frame.waitForSelector(
      '[data-testid="chat"][data-connection="online"][data-conversation-id]',
    );
    const now = await chat.frame.getAttribute('[data-testid="chat"]', 'data-conversation-id');
    expect(now).not.toBe(chat.conversationId);
    expect(now).not.toBe(conversationId);
    await anonymous.context.close();
  });

  it('shows a CSAT rating and takes the answer; ending the chat makes the next message start a new one', async () => {
    const { context, page } = await visit();
    const { frame, conversationId } = await openChat(page);
    await send(frame, 'I need a person');
    await waitForText(
      frame,
      '[data-testid="message"][data-author="customer"][data-seq] .bubble',
      'I need a person',
    );
    const handoff = await api.call<{ id: string }>(
      'POST',
      `/api/conversations/${conversationId}/handoff`,
      {
        token: agent,
        body: {},
      },
    );
    expect(handoff.status, JSON.stringify(handoff.body)).toBe(201);
    const ticketId = handoff.body.id;
    await waitForText(frame, '[data-testid="system-line"]', 'Connecting you with a person');
    await sendCsat(ticketId, conversationId);
    await frame.waitForSelector('[data-testid="csat"]', { timeout: 10_000 });
    await screenshot(page, 'widget-csat');
    await frame.click('[data-testid="csat"] button:has-text("Good")');
    await frame.waitForSelector('[data-testid="csat-thanks"]');

    await frame.click('[data-testid="end-chat"]');
    await waitForText(frame, '[data-testid="system-line"]', 'You ended the chat.');
    await send(frame, 'One more question');
    await frame.waitForFunction((old) => {
      const id = document
        .querySelector('[data-testid="chat"]')
        ?.getAttribute('data-conversation-id');
      return id && id !== old;
    }, conversationId);
    await waitForText(
      frame,
      '[data-testid="message"][data-author="customer"][data-seq] .bubble',
      'One more question',
    );
    expect(await bodies(frame, 'customer')).toEqual(['One more question']);
    await context.close();
  });
});
