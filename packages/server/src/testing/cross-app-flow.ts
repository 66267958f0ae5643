import { expect } from 'vitest';
import type { Browser, BrowserContext, BrowserContextOptions, Frame, Page } from 'playwright-core';
import { ManualClock } from '../clock.js';
import { apiClient } from './api-client.js';
import { freePort } from './server-process.js';
import { startTestServer, type TestServer } from './test-server.js';

/**
 * What the cross-app browser flows (seed 004, seed 000) share: a server on a known port whose
 * public URL is the pages' origin (the workspace's cookie socket and the widget's frame both need
 * it), the demo bot, a manual clock started at the real time, and the two sides of a chat: a
 * customer on /demo and agents in /agent/, each in a browser context of their own.
 */
export interface FlowServer {
  readonly t: TestServer;
  readonly url: string;
  readonly clock: ManualClock;
  readonly api: ReturnType<typeof apiClient>;
  readonly adminToken: string;
  /** An admin call that must succeed; returns the body. */
  admin<T = unknown>(
    method: 'GET' | 'POST' | 'PATCH' | 'PUT',
    url: string,
    body?: unknown,
  ): Promise<T>;
  groupId(name: string): Promise<string>;
  /** Runs the durable timers that are due on the manual clock (offer expiry). */
  runDueTimers(): Promise<void>;
  /** Moves the manual clock up to the real time (never back), so the pages' wait timers read true. */
  syncClock(): void;
}

export async function startFlowServer(): Promise<FlowServer> {
  // The browser keeps real time (cookie expiry, wait timers): the server's clock starts now.
  const clock = new ManualClock(new Date());
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const t = await startTestServer('pglite', {
    listen: true,
    clock,
    bot: true,
    env: {
      PORT: String(port),
      PUBLIC_URL: url,
      // Rate-limit windows run on the manual clock, which these flows barely move: off here.
      RATE_LIMIT_IP_PER_MIN: '0',
      RATE_LIMIT_TOKEN_PER_MIN: '0',
      RATE_LIMIT_WS_FRAMES_PER_10S: '0',
    },
  });
  const api = apiClient(t.server.app);
  const adminToken = await api.login('admin@parlour.example', 'parlour-admin');
  async function admin<T = unknown>(
    method: 'GET' | 'POST' | 'PATCH' | 'PUT',
    path: string,
    body?: unknown,
  ): Promise<T> {
    const r = await api.call<T>(method, path, {
      token: adminToken,
      ...(body !== undefined ? { body } : {}),
    });
    expect(r.status, `${method} ${path}: ${JSON.stringify(r.body)}`).toBeLessThan(300);
    return r.body;
  }
  // The demo shop page embeds the widget from the same origin, like a customer's site would.
  await admin('PATCH', '/api/settings', { allowedOrigins: [url] });
  return {
    t,
    url,
    clock,
    api,
    adminToken,
    admin,
    async groupId(name) {
      const groups = await admin<{ id: string; name: string }[]>('GET', '/api/groups');
      const group = groups.find((g) => g.name === name);
      if (!group) throw new Error(`no group ${name}`);
      return group.id;
    },
    async runDueTimers() {
      await t.server.timers.runDue();
    },
    syncClock() {
      if (clock.now().getTime() < Date.now()) clock.set(new Date());
    },
  };
}

/** The customer on the demo shop page, chatting in the widget's frame. */
export class CustomerPage {
  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
    /** The chat frame (a new one after `reload()`). */
    public frame: Frame,
    readonly errors: string[],
  ) {}

  /** Opens /demo, opens the chat and waits until it is ready (token, conversation, socket). */
  static async open(
    browser: Browser,
    url: string,
    options: BrowserContextOptions = {},
  ): Promise<CustomerPage> {
    const context = await browser.newContext({
      viewport: { width: 1000, height: 760 },
      ...options,
    });
    const page = await context.newPage();
    const errors: string[] = [];
    // Uncaught errors and console errors (CSP violations among them), of the page and its frame.
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    const response = await page.goto(`${url}/demo`);
    expect(response?.status()).toBe(200);
    await page.click('[data-testid="parlour-launcher"]');
    const handle = await page.waitForSelector('[data-testid="parlour-frame"]');
    const frame = await handle.contentFrame();
    if (!frame) throw new Error('the chat frame did not load');
    const customer = new CustomerPage(context, page, frame, errors);
    await customer.ready();
    return customer;
  }

  /** Reloads the host page, opens the chat again and waits until it is ready. */
  async reload(): Promise<void> {
    await this.page.reload();
    await this.page.click('[data-testid="parlour-launcher"]');
    const handle = await this.page.waitForSelector('[data-testid="parlour-frame"]');
    const frame = await handle.contentFrame();
    if (!frame) throw new Error('the chat frame did not load after the reload');
    this.frame = frame;
    await this.ready();
  }

  /** Waits until the chat is online with a conversation and the composer enabled. */
  async ready(): Promise<void> {
    await this.frame.waitForSelector(
      '[data-testid="chat"][data-connection="online"][data-conversation-id]',
    );
    await this.frame.waitForSelector('[data-testid="composer-input"]:not([disabled])');
  }

  async conversationId(): Promise<string> {
    const id = await this.frame.getAttribute('[data-testid="chat"]', 'data-conversation-id');
    if (!id) throw new Error('the chat has no conversation');
    return id;
  }

  /** Types a message and presses Enter; waits until the server stored it. */
  async send(text: string): Promise<void> {
    await this.frame.fill('[data-testid="composer-input"]', text);
    await this.frame.press('[data-testid="composer-input"]', 'Enter');
    await this.waitForMessage('customer', text, { stored: true });
  }

  /** Presses one of the bot's quick reply buttons; waits until its label is stored as the customer's message. */
  async pressQuickReply(label: string): Promise<void> {
    await this.frame.click(`[data-testid="quick-reply"]:text-is("${label}")`);
    await this.waitForMessage('customer', label, { stored: true });
  }

  async quickReplies(): Promise<string[]> {
    return this.frame.$$eval('[data-testid="quick-reply"]', (els) =>
      els.map((e) => e.textContent ?? ''),
    );
  }

  /** Waits for a message of this author whose text contains `text`. */
  async waitForMessage(
    author: 'customer' | 'agent' | 'bot',
    text: string,
    options: { stored?: boolean } = {},
  ): Promise<void> {
    const selector = `[data-testid="message"][data-author="${author}"]${options.stored ? '[data-seq]' : ''} .bubble`;
    await this.frame.waitForFunction(
      ({ selector, text }) =>
        [...document.querySelectorAll(selector)].some((e) => e.textContent?.includes(text)),
      { selector, text },
    );
  }

  /** Waits until `count` system lines contain `text` (e.g. a second "Alex Agent joined the chat"). */
  async waitForSystemLine(text: string, count = 1): Promise<void> {
    await this.frame.waitForFunction(
      ({ text, count }) =>
        [...document.querySelectorAll('[data-testid="system-line"]')].filter((e) =>
          e.textContent?.includes(text),
        ).length >= count,
      { text, count },
    );
  }

  async systemLines(): Promise<string[]> {
    return this.frame.$$eval('[data-testid="system-line"]', (els) =>
      els.map((e) => e.textContent ?? ''),
    );
  }

  async bodies(author: 'customer' | 'agent' | 'bot'): Promise<string[]> {
    return this.frame.$$eval(`[data-testid="message"][data-author="${author}"] .bubble`, (els) =>
      els.map((e) => e.textContent ?? ''),
    );
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}

/** An agent logged in to the workspace at /agent/ (own context: own session cookie). */
export async function openAgent(
  browser: Browser,
  url: string,
  email: string,
  options: BrowserContextOptions = {},
): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 860 }, ...options });
  const page = await context.newPage();
  await page.goto(`${url}/agent/`);
  await page.getByTestId('login-page').waitFor();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('parlour-agent');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByTestId('workspace').waitFor();
  await page.getByTestId('connection-state').filter({ hasText: 'Connected' }).waitFor();
  return page;
}

/** Sets the agent's status in the header's selector and waits until it shows. */
export async function setStatus(page: Page, status: 'available' | 'offline'): Promise<void> {
  await page.getByTestId('status-select').selectOption(status);
  await expect.poll(async () => page.getByTestId('status-select').inputValue()).toBe(status);
}

/** Accepts the (only) offer shown; waits for the conversation view; returns the ticket number. */
export async function acceptOffer(page: Page): Promise<number> {
  const offer = page.getByTestId('offer');
  await offer.waitFor();
  const number = Number(((await offer.getAttribute('aria-label')) ?? '').replace(/\D+/g, ''));
  await page.getByTestId('offer-accept').click();
  await page.getByTestId('offer-popover').waitFor({ state: 'detached' });
  await page
    .getByTestId('conversation-view')
    .filter({ hasText: `#${number}` })
    .waitFor();
  return number;
}
