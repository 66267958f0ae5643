import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../../seed-demo.js';
import { hasChromium, launchBrowser, screenshot } from '../../testing/browser.js';
import { CustomerPage, startFlowServer, type FlowServer } from '../../testing/cross-app-flow.js';

const NEW_GREETING = 'Welcome to the Parlour shop! What can we do for you?';

const axeSource = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

/** axe-core's WCAG A/AA violations on the page, as readable lines. */
async function audit(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (...a: unknown[]) => Promise<unknown> } }).axe;
    const result = (await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    })) as { violations: { id: string; help: string; nodes: { target: unknown[] }[] }[] };
    return result.violations.map(
      (v) => `${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
  });
}

/** The admin logged in to the console at `path` (own context: own session cookie). */
async function openConsole(
  browser: Browser,
  url: string,
  path: string,
  options: BrowserContextOptions = {},
): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, ...options });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    // A refused save answers 400: the browser logs the failed request, which is expected here.
    if (message.type() === 'error' && !/status of 4\d\d/.test(message.text()))
      errors.push(message.text());
  });
  await page.goto(`${url}${path}`);
  await page.getByTestId('login-page').waitFor();
  await page.getByLabel('Email').fill(DEMO_ACCOUNTS.admin.email);
  await page.getByLabel('Password').fill(DEMO_ACCOUNTS.admin.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByTestId('console').waitFor();
  return { page, errors };
}

/**
 * Issue 8's rule tools in the console, in Chromium: "where used" for a group lists the trigger
 * that assigns it (with a link to its editor); a dry run on a ticket shows which trigger would
 * fire and why another would not; the bot flow editor shows the API's error at the field and
 * saves nothing, then saves a valid edit that a customer sees in the widget.
 * Needs a fresh `npm run build`.
 */
describe.skipIf(!hasChromium)('console tools: where used, dry run, bot flow, in Chromium', () => {
  let flow: FlowServer;
  let browser: Browser;
  let billing: string;
  let escalate: { id: string };
  let ticket: { id: string; number: number };

  beforeAll(async () => {
    flow = await startFlowServer();
    billing = await flow.groupId('Billing');
    const support = await flow.groupId('Support');
    escalate = await flow.admin<{ id: string }>('POST', '/api/triggers', {
      name: 'Urgent tickets to Billing',
      conditions: {
        all: [{ field: 'priority', operator: 'changed_to', value: 'urgent' }],
        any: [],
      },
      actions: [{ type: 'set_group', value: billing }],
    });
    await flow.admin('POST', '/api/triggers', {
      name: 'Thank on solve',
      conditions: { all: [{ field: 'status', operator: 'changed_to', value: 'solved' }], any: [] },
      actions: [{ type: 'add_tags', value: ['thanked'] }],
    });
    // A customer's chat handed to Support: the ticket the dry run looks at.
    const visitor = await flow.api.visitor();
    const started = await flow.api.call('POST', '/api/conversations', {
      token: visitor.token,
      body: {},
    });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    const handoff = await flow.api.call<{ id: string; number: number }>(
      'POST',
      `/api/conversations/${started.body.conversation.id}/handoff`,
      { token: visitor.token, body: { groupId: support } },
    );
    expect(handoff.status, JSON.stringify(handoff.body)).toBe(201);
    ticket = handoff.body;
    browser = await launchBrowser();
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await flow?.t.close();
  });

  it('lists where a group is used, grouped by rule type, with a link to the trigger', async () => {
    const { page, errors } = await openConsole(browser, flow.url, '/agent/console/where-used');
    await page.getByTestId('where-used-kind').selectOption('group');
    await page.getByTestId('where-used-value').selectOption({ label: 'Billing' });
    await page.getByTestId('where-used-find').click();
    const results = page.getByTestId('where-used-results');
    await results.waitFor();
    const trigger = results.locator(`[data-testid="where-used-item"][data-id="${escalate.id}"]`);
    await expect.poll(() => trigger.count()).toBe(1);
    expect(await trigger.getByTestId('where-used-place').allTextContents()).toEqual([
      expect.stringContaining('Action 1: set group'),
    ]);
    // The demo bot hands billing questions to Billing: its handoff is listed too.
    const bot = page.getByTestId('where-used-group-bot_flow');
    expect(await bot.textContent()).toContain('Node "billing" (handoff): hands off to the group');
    expect(await page.getByTestId('where-used-group-trigger').locator('h3').textContent()).toBe(
      'Triggers (1)',
    );
    await screenshot(page, 'console-where-used');

    const link = trigger.getByTestId('where-used-link');
    expect(await link.textContent()).toBe('Urgent tickets to Billing');
    await link.click();
    await expect
      .poll(() => new URL(page.url()).pathname)
      .toBe(`/agent/console/triggers/${escalate.id}`);
    await page.getByTestId('page-triggers').waitFor();

    // Another page can link to a search: it runs at once (a tag, whatever its case).
    await page.goto(`${flow.url}/agent/console/where-used?kind=tag&value=BILLING`);
    await page.getByTestId('where-used-results').waitFor();
    expect(await page.getByTestId('where-used-kind').inputValue()).toBe('tag');
    expect(await page.getByTestId('where-used-group-bot_flow').textContent()).toContain(
      'Node "billing" (handoff): tags the ticket',
    );
    expect(errors).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('shows which trigger a change would fire, and why the other would not, changing nothing', async () => {
    const { page, errors } = await openConsole(browser, flow.url, '/agent/console/dry-run');
    await page.getByTestId('dry-run-ticket-filter').fill(String(ticket.number));
    await page.getByTestId('dry-run-ticket').selectOption(ticket.id);
    expect(await page.getByTestId('dry-run-ticket-now').textContent()).toContain('Support');
    await page.getByTestId('dry-run-priority').selectOption('urgent');
    await page.getByTestId('dry-run-run').click();
    await page.getByTestId('dry-run-results').waitFor();

    const fired = page.getByTestId('dry-run-fired').getByTestId('dry-run-trigger');
    expect(await fired.evaluateAll((els) => els.map((e) => e.getAttribute('data-name')))).toEqual([
      'Urgent tickets to Billing',
    ]);
    const other = page
      .getByTestId('dry-run-not-fired')
      .locator('[data-testid="dry-run-trigger"][data-name="Thank on solve"]');
    expect(await other.getAttribute('data-outcome')).toBe('not_matched');
    expect(await other.textContent()).toContain('conditions not met');
    const reasons = await other
      .locator('[data-testid="dry-run-reason"][data-kind="fails"]')
      .allTextContents();
    expect(reasons).toEqual([expect.stringContaining('fails: status changed_to "solved"')]);
    await screenshot(page, 'console-dry-run');

    // Nothing was written: the ticket is still Support's, at its priority.
    const now = await flow.admin<{ priority: string; groupId: string }>(
      'GET',
      `/api/tickets/${ticket.id}`,
    );
    expect(now.priority).not.toBe('urgent');
    expect(now.groupId).not.toBe(billing);
    expect(errors).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('edits the bot flow: an invalid edit shows the error at the field and saves nothing; a valid one reaches the widget', async () => {
    const before = await flow.admin<{ version: number; flow: { nodes: object } }>(
      'GET',
      '/api/bot/flow',
    );
    const { page, errors } = await openConsole(browser, flow.url, '/agent/console/bot');
    await page.getByTestId('bot-node-billing').waitFor();

    // Removing the node a menu button leads to: the API names that button's target.
    await page.getByTestId('bot-remove-billing').click();
    await page.getByTestId('bot-save').click();
    const fieldError = page.getByTestId('field-error-nodes.menu.buttons.1.next');
    await fieldError.waitFor();
    expect(await fieldError.textContent()).toContain('names no node of this flow ("billing")');
    expect(
      await page.getByTestId('bot-field-nodes.menu.buttons.1.next').getAttribute('aria-invalid'),
    ).toBe('true');
    await screenshot(page, 'console-bot');
    const unchanged = await flow.admin<{ version: number; flow: { nodes: object } }>(
      'GET',
      '/api/bot/flow',
    );
    expect(unchanged).toEqual(before);

    // Discard, then change the greeting: saved as the next version.
    await page.getByTestId('bot-discard').click();
    await page.getByTestId('bot-node-billing').waitFor();
    await page.getByTestId('bot-field-nodes.menu.text').fill(NEW_GREETING);
    await page.getByTestId('bot-save').click();
    await page.getByTestId('form-done').waitFor();
    const saved = await flow.admin<{
      version: number;
      flow: { nodes: { menu: { text: string } } };
    }>('GET', '/api/bot/flow');
    expect(saved.version).toBe(before.version + 1);
    expect(saved.flow.nodes.menu.text).toBe(NEW_GREETING);
    expect(Object.keys(saved.flow.nodes)).toEqual(Object.keys(before.flow.nodes));

    // A new customer is greeted with the new text and the same menu.
    const customer = await CustomerPage.open(browser, flow.url);
    await customer.waitForMessage('bot', NEW_GREETING);
    await customer.frame.waitForSelector('[data-testid="quick-reply"]');
    expect(await customer.quickReplies()).toEqual(
      expect.arrayContaining(['Order status', 'Billing question', 'Talk to a person']),
    );
    await customer.close();
    expect(errors).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('adds, changes and deletes a bot article', async () => {
    const { page, errors } = await openConsole(browser, flow.url, '/agent/console/bot');
    await page.getByTestId('bot-articles').waitFor();
    await page.getByTestId('bot-article-new').click();
    await page.getByTestId('bot-article-title').fill('Gift cards');
    await page.getByTestId('bot-article-keywords').fill('gift card, Gutschein, carte cadeau');
    // No answer yet: the API names the body.
    await page.getByTestId('bot-article-save').click();
    await page.getByTestId('field-error-body').waitFor();
    await page.getByTestId('bot-article-body').fill('Gift cards never expire.');
    await page.getByTestId('bot-article-save').click();
    const row = page.locator('[data-testid="bot-article-row"][data-title="Gift cards"]');
    await row.waitFor();
    expect(await row.textContent()).toContain('gift card, Gutschein, carte cadeau');

    await row.getByTestId('bot-article-edit').click();
    await page.getByTestId('bot-article-title').fill('Gift cards and vouchers');
    await page.getByTestId('bot-article-save').click();
    const renamed = page.locator(
      '[data-testid="bot-article-row"][data-title="Gift cards and vouchers"]',
    );
    await renamed.waitFor();
    await renamed.getByTestId('bot-article-delete').click();
    await renamed.getByTestId('bot-article-delete-confirm').click();
    await renamed.waitFor({ state: 'detached' });
    const articles = await flow.admin<{ title: string }[]>('GET', '/api/bot/articles');
    expect(articles.map((a) => a.title)).not.toContain('Gift cards and vouchers');
    expect(errors).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('passes axe-core (WCAG A/AA) on the three pages', async () => {
    const { page } = await openConsole(browser, flow.url, '/agent/console/where-used', {
      bypassCSP: true,
    });
    await page.getByTestId('where-used-kind').waitFor();
    expect(await audit(page)).toEqual([]);
    await page.goto(`${flow.url}/agent/console/dry-run`);
    await page.getByTestId('dry-run-ticket').waitFor();
    expect(await audit(page)).toEqual([]);
    await page.goto(`${flow.url}/agent/console/bot`);
    await page.getByTestId('bot-node-menu').waitFor();
    expect(await audit(page)).toEqual([]);
    await page.context().close();
  }, 120_000);
});
