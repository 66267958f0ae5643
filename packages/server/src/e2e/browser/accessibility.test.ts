import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, BrowserContextOptions, Frame, Page } from 'playwright-core';
import { loadConversationState } from '@parlour/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishFeed } from '../../services/feed-publisher.js';
import { hasChromium, launchBrowser } from '../../testing/browser.js';
import {
  CustomerPage,
  acceptOffer,
  openAgent,
  setStatus,
  startFlowServer,
  type FlowServer,
} from '../../testing/cross-app-flow.js';

const axeSource = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

/** The pages keep their strict CSP; only the test's injected axe script gets past it. */
const AUDITABLE: BrowserContextOptions = { bypassCSP: true };

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown[]; failureSummary?: string }>;
}

/**
 * Runs axe-core with the WCAG 2.0/2.1 A and AA rules (and axe's best practices: landmarks,
 * headings) on one document; returns readable lines.
 */
async function audit(target: Page | Frame): Promise<string[]> {
  const loaded = await target.evaluate(() => 'axe' in window);
  if (!loaded) await target.addScriptTag({ content: axeSource });
  const violations = await target.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (...a: unknown[]) => Promise<unknown> } }).axe;
    const result = (await axe.run(document, {
      runOnly: {
        type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'],
      },
      iframes: false,
    })) as { violations: AxeViolation[] };
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  });
  return violations.flatMap((v) => [
    `${v.id} (${v.impact ?? 'n/a'}): ${v.help}`,
    ...v.nodes.map(
      (n) =>
        `    at ${n.target.map(String).join(' ')}: ${(n.failureSummary ?? '').replace(/\s*\n\s*/g, ' | ')}`,
    ),
  ]);
}

/** Asserts that a screen has no WCAG A/AA violations, listing them readably when it has. */
async function expectAccessible(target: Page | Frame, screen: string): Promise<void> {
  const found = await audit(target);
  expect(found, `axe violations on ${screen}:\n${found.join('\n')}`).toEqual([]);
}

/**
 * Presses Tab until the element with this test id (inside `within`, a CSS selector, if given)
 * has the focus (at most `limit` presses).
 */
async function tabTo(page: Page, testId: string, within?: string, limit = 60): Promise<void> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const reached = await page.evaluate(
      ({ testId, within }) => {
        const focused = document.activeElement;
        if (focused?.getAttribute('data-testid') !== testId) return false;
        return !within || !!focused.closest(within);
      },
      { testId, within },
    );
    if (reached) return;
  }
  throw new Error(`Tab never reached ${testId} in ${limit} presses`);
}

async function focusedTestId(page: Page): Promise<string | null> {
  return page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null);
}

/**
 * Accessibility of every agent and customer screen in Chromium: axe-core (WCAG 2.0/2.1 A and
 * AA) on the workspace's login, offer popover, RONA popover, conversation view with composer,
 * transfer, conference and wrap-up dialogs, and on the widget's closed launcher, open chat
 * with the bot's quick replies and CSAT card. Then seed 004's agent actions by keyboard alone
 * (focus stays inside an open dialog). Needs a fresh
 * `npm run build`.
 */
describe.skipIf(!hasChromium)('accessibility of the workspace and the widget, in Chromium', () => {
  let flow: FlowServer;
  let browser: Browser;
  let staffToken: string;
  let supportId: string;

  beforeAll(async () => {
    flow = await startFlowServer();
    supportId = await flow.groupId('Support');
    await flow.admin('PATCH', `/api/groups/${supportId}/routing`, { offerTimeoutS: 5 });
    await flow.admin('POST', '/api/wrap-up-reasons', { name: 'Resolved' });
    await flow.admin('POST', '/api/wrap-up-reasons', { name: 'Follow-up needed' });
    staffToken = flow.adminToken;
    browser = await launchBrowser();
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await flow?.t.close();
  });

  /** Hands the customer's conversation to people (as staff would), so it is offered. */
  async function handOff(conversationId: string): Promise<string> {
    flow.syncClock();
    const r = await flow.api.call<{ id: string }>(
      'POST',
      `/api/conversations/${conversationId}/handoff`,
      { token: staffToken, body: { groupId: supportId } },
    );
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.id;
  }

  /** What a trigger's send_csat action does. */
  async function sendCsat(ticketId: string, conversationId: string): Promise<void> {
    const server = flow.t.server;
    const { signals, outcome } = await server.database.db.transaction().execute(async (trx) => {
      const state = await loadConversationState(trx, conversationId, { lock: true });
      return server.services.csat.send(trx, {
        ticketId,
        conversationId,
        lastSeq: state!.lastSeq,
        at: flow.clock.now(),
        actor: { type: 'system', reason: 'trigger' },
      });
    });
    await publishFeed(server.bus, signals);
    expect(outcome.status).toBe('sent');
  }

  it('has no axe violations on the workspace and widget screens', async () => {
    // Widget, closed: the demo page with the launcher only.
    const visitor = await browser.newContext({
      ...AUDITABLE,
      viewport: { width: 1000, height: 760 },
    });
    const host = await visitor.newPage();
    await host.goto(`${flow.url}/demo`);
    await host.waitForSelector('[data-testid="parlour-launcher"]');
    await expectAccessible(host, 'the demo page with the closed launcher');
    await visitor.close();

    // Workspace login.
    const loginContext = await browser.newContext(AUDITABLE);
    const login = await loginContext.newPage();
    await login.goto(`${flow.url}/agent/`);
    await login.getByTestId('login-page').waitFor();
    await expectAccessible(login, 'the login page');
    await loginContext.close();

    const alex = await openAgent(browser, flow.url, 'alex@parlour.example', AUDITABLE);
    await setStatus(alex, 'available');
    await expectAccessible(alex, 'the empty workspace');

    // Widget, open: the bot's greeting with quick replies.
    const customer = await CustomerPage.open(browser, flow.url, AUDITABLE);
    await customer.frame.waitForSelector('[data-testid="quick-reply"]');
    await expectAccessible(customer.page, 'the demo page with the open chat');
    await expectAccessible(customer.frame, 'the chat frame with quick replies');

    // The offer popover; then RONA.
    const conversationId = await customer.conversationId();
    const ticketId = await handOff(conversationId);
    await alex.getByTestId('offer').waitFor();
    await expectAccessible(alex, 'the workspace with an offer');
    flow.clock.advance(6_000);
    await flow.runDueTimers();
    await alex.getByTestId('rona-popover').waitFor();
    await expectAccessible(alex, 'the RONA popover');
    await alex.getByTestId('rona-available').click();
    await alex.getByTestId('rona-popover').waitFor({ state: 'detached' });

    // The conversation view with its composer (a draft in it) and a reply sent.
    flow.syncClock();
    await acceptOffer(alex);
    await customer.send('Where is my parcel?');
    await alex
      .getByTestId('transcript')
      .getByTestId('message')
      .filter({ hasText: 'Where is my parcel?' })
      .waitFor();
    const input = alex.getByTestId('composer-input');
    await input.fill('Let me check.');
    await input.press('Enter');
    await customer.waitForMessage('agent', 'Let me check.');
    await input.fill('A draft');
    await expectAccessible(alex, 'the conversation view');
    await expectAccessible(customer.frame, 'the chat frame with an agent');

    // Transfer dialog.
    await alex.getByTestId('action-transfer').click();
    await alex.getByTestId('transfer-dialog').waitFor();
    await alex.getByTestId('transfer-agent-sam@parlour.example').waitFor();
    await expectAccessible(alex, 'the transfer dialog');
    await alex.keyboard.press('Escape');
    await alex.getByTestId('transfer-dialog').waitFor({ state: 'detached' });

    // Conference dialog, its search narrowing the agents.
    await alex.getByTestId('action-conference').click();
    await alex.getByTestId('conference-dialog').waitFor();
    await alex.getByTestId('conference-agent-sam@parlour.example').waitFor();
    await alex.getByTestId('conference-search').fill('sam');
    await expectAccessible(alex, 'the conference dialog');
    await alex.keyboard.press('Escape');
    await alex.getByTestId('conference-dialog').waitFor({ state: 'detached' });

    // Wrap-up dialog.
    await alex.getByTestId('action-end-chat').click();
    await alex.getByTestId('wrap-up-dialog').waitFor();
    await alex.getByTestId('wrap-up-reason-Resolved').waitFor();
    await expectAccessible(alex, 'the wrap-up dialog');
    await alex.keyboard.press('Escape');
    await alex.getByTestId('wrap-up-dialog').waitFor({ state: 'detached' });

    // CSAT in the widget.
    await sendCsat(ticketId, conversationId);
    await customer.frame.waitForSelector('[data-testid="csat"]', { timeout: 10_000 });
    await expectAccessible(customer.frame, 'the CSAT card');

    await customer.close();
    await setStatus(alex, 'offline');
    await alex.context().close();
  }, 120_000);

  it('lets an agent accept, transfer and reply by keyboard alone (seed 004)', async () => {
    const sam = await openAgent(browser, flow.url, 'sam@parlour.example');
    await setStatus(sam, 'available');
    const customer = await CustomerPage.open(browser, flow.url);
    const conversationId = await customer.conversationId();
    const ticketId = await handOff(conversationId);
    const { number: ticketNumber } = await flow.admin<{ number: number }>(
      'GET',
      `/api/tickets/${ticketId}`,
    );
    await sam.getByLabel(`Offer for ticket ${ticketNumber}`).waitFor();

    // Tab to the offer's Accept and press Enter: the conversation opens.
    await sam.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await tabTo(sam, 'offer-accept', `[aria-label="Offer for ticket ${ticketNumber}"]`);
    await sam.keyboard.press('Enter');
    await sam.getByLabel(`Offer for ticket ${ticketNumber}`).waitFor({ state: 'detached' });
    await sam
      .getByTestId('conversation-view')
      .filter({ hasText: `#${ticketNumber}` })
      .waitFor();

    // The transfer dialog opens from the keyboard; Escape closes it; focus returns to its opener.
    await tabTo(sam, 'action-transfer');
    await sam.keyboard.press('Enter');
    await sam.getByTestId('transfer-dialog').waitFor();
    const inside = await sam.evaluate(
      () => !!document.activeElement?.closest('[data-testid="transfer-dialog"]'),
    );
    expect(inside, 'focus moves into the dialog').toBe(true);
    // Tab cycles inside the open dialog (through search, choices and buttons, then around).
    for (let i = 0; i < 12; i++) {
      await sam.keyboard.press(i % 3 === 2 ? 'Shift+Tab' : 'Tab');
      const stays = await sam.evaluate(
        () => !!document.activeElement?.closest('[data-testid="transfer-dialog"]'),
      );
      expect(stays, `focus stays in the dialog after ${i + 1} presses`).toBe(true);
    }
    await sam.keyboard.press('Escape');
    await sam.getByTestId('transfer-dialog').waitFor({ state: 'detached' });
    expect(await focusedTestId(sam)).toBe('action-transfer');

    // In the composer, Enter sends.
    await tabTo(sam, 'composer-input');
    await sam.keyboard.type('Typed and sent with the keyboard.');
    await sam.keyboard.press('Enter');
    await sam
      .getByTestId('transcript')
      .getByTestId('message')
      .filter({ hasText: 'Typed and sent with the keyboard.' })
      .waitFor();
    await customer.waitForMessage('agent', 'Typed and sent with the keyboard.');
    expect(await sam.getByTestId('composer-input').inputValue()).toBe('');

    await customer.close();
    await sam.context().close();
  }, 90_000);
});
