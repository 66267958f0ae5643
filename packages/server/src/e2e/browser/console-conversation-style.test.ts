import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchBrowser, screenshot } from '../../testing/browser.js';
import { startFlowServer, type FlowServer } from '../../testing/cross-app-flow.js';

const HOUR = 3_600_000;
const MINUTE = 60_000;

interface Rule {
  id: string;
  name: string;
  category?: string | null;
  active: boolean;
  preset: string | null;
  conditions: { all: { field: string; operator: string; value?: unknown }[] };
}

/**
 * Conversation styles (seed 001) and triggers in the console, in Chromium. An admin applies
 * "Live chat with returning customer" with a 2-hour delay (a delay beyond 28 days is refused at
 * its field first, applying nothing); the automation it installs is listed and opens in the
 * automation editor; a solved chat then closes after 2 hours and not before. On the triggers
 * page an admin builds a trigger in a category (an empty value is refused at its row), and
 * reorders triggers with the keyboard and by dragging. Needs a fresh `npm run build`.
 */
describe.skipIf(!hasChromium)('console: conversation styles and triggers, in Chromium', () => {
  let flow: FlowServer;
  let browser: Browser;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    flow = await startFlowServer();
    browser = await launchBrowser();
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await flow?.t.close();
  });

  async function openConsole(path: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${flow.url}/agent/console${path}`);
    await page.getByTestId('login-page').waitFor();
    await page.getByLabel('Email').fill('admin@parlour.example');
    await page.getByLabel('Password').fill('parlour-admin');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByTestId('console').waitFor();
    return page;
  }

  it('applies "Live chat with returning customer" with a delay: its automation appears and closes solved chats after it', async () => {
    const page = await openConsole('/styles');
    await page.getByTestId('style-current').filter({ hasText: 'No style applied yet' }).waitFor();

    await page.getByTestId('style-live_chat_returning').click();
    // More than 28 days is refused at the delay's field; nothing is applied.
    await page.getByTestId('style-hours').fill('700');
    await page.getByTestId('style-apply').click();
    await page.getByTestId('field-error-closeAfterHours').waitFor();
    expect(await page.getByTestId('style-hours').getAttribute('aria-invalid')).toBe('true');
    expect(await flow.admin('GET', '/api/conversation-style')).toMatchObject({ style: null });
    expect(await flow.admin('GET', '/api/automations')).toEqual([]);

    await page.getByTestId('style-hours').fill('2');
    await page.getByTestId('style-apply').click();
    await page.getByTestId('form-done').filter({ hasText: 'Applied' }).waitFor();
    const installed = page.getByTestId('style-rule');
    await installed.filter({ hasText: 'close 2 hours after solved' }).waitFor();
    expect(await installed.count()).toBe(1);
    expect(await installed.getAttribute('data-change')).toBe('created');
    expect(await installed.textContent()).toContain('Automation');
    await page
      .getByTestId('style-current')
      .filter({ hasText: 'Applied: Live chat with returning customer' })
      .waitFor();
    await screenshot(page, 'console-conversation-styles');

    // The installed automation, in the automations list and its editor.
    const [automation] = await flow.admin<Rule[]>('GET', '/api/automations');
    expect(automation).toMatchObject({ active: true, preset: 'live_chat_returning:close-after' });
    await page.getByTestId('nav-automations').click();
    const row = page
      .getByTestId('automations-row')
      .filter({ hasText: 'close 2 hours after solved' });
    await row.waitFor();
    expect(await row.textContent()).toContain('conversation style');
    expect(await row.getByTestId('automation-active').textContent()).toBe('Yes');
    await row.getByTestId('automation-link').click();
    await page.getByTestId('automation-form').waitFor();
    const all = 'conditions-all';
    expect(await page.getByTestId(`${all}-0-field`).inputValue()).toBe('status');
    expect(await page.getByTestId(`${all}-0-value`).inputValue()).toBe('solved');
    expect(await page.getByTestId(`${all}-2-field`).inputValue()).toBe('hours_since_solved');
    expect(await page.getByTestId(`${all}-2-operator`).inputValue()).toBe('greater_than');
    expect(await page.getByTestId(`${all}-2-value`).inputValue()).toBe('2');
    expect(await page.getByTestId('actions-0-type').inputValue()).toBe('set_status');
    expect(await page.getByTestId('actions-0-value').inputValue()).toBe('closed');

    // Its effect: a solved messaging chat stays solved for 2 hours, then closes.
    const ticketId = await solvedChat();
    flow.clock.advance(HOUR + 58 * MINUTE);
    await flow.runDueTimers();
    expect((await ticket(ticketId)).status).toBe('solved');
    flow.clock.advance(3 * MINUTE);
    await flow.runDueTimers();
    expect((await ticket(ticketId)).status).toBe('closed');
    expect(pageErrors).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('builds a trigger in a category, refuses an empty value at its row, and reorders by keyboard and drag', async () => {
    await createTrigger('Tag VIP customers', 'Routing', 'vip');
    await createTrigger('Billing questions', 'Routing', 'billing');
    await createTrigger('Spam', null, 'spam');
    const page = await openConsole('/triggers');
    await page.getByTestId('triggers-row').first().waitFor();

    await page.getByTestId('trigger-new').click();
    await page.getByTestId('trigger-name').fill('Refund requests');
    await page.getByTestId('trigger-category').fill('Routing');
    await page.getByTestId('conditions-all-0-field').selectOption('comment_text');
    await page.getByTestId('conditions-all-0-operator').selectOption('contains');
    await page.getByTestId('actions-0-type').selectOption('add_tags');
    await page.getByTestId('actions-0-value').fill('refund');
    await page.getByTestId('trigger-save').click();
    const valueError = page.getByTestId('field-error-conditions.all.0.value');
    await valueError.waitFor();
    expect(await valueError.textContent()).toContain('needs some text');
    expect(await page.getByTestId('conditions-all-0-value').getAttribute('aria-invalid')).toBe(
      'true',
    );
    expect((await flow.admin<Rule[]>('GET', '/api/triggers')).map((t) => t.name)).not.toContain(
      'Refund requests',
    );
    await page.getByTestId('conditions-all-0-value').fill('refund');
    await page.getByTestId('trigger-save').click();

    // Back on the list: grouped by category, the new trigger last in "Routing".
    await page.getByTestId('triggers-row').filter({ hasText: 'Refund requests' }).waitFor();
    expect(
      await page
        .getByTestId('triggers-category')
        .evaluateAll((els) => els.map((e) => e.textContent)),
    ).toEqual(['Routing (3)', 'Uncategorized (1)']);
    const routing = page.locator('section', {
      has: page.getByRole('heading', { name: /Routing/ }),
    });
    const names = async () =>
      routing.getByTestId('trigger-link').evaluateAll((els) => els.map((e) => e.textContent));
    expect(await names()).toEqual(['Tag VIP customers', 'Billing questions', 'Refund requests']);

    // Keyboard: "Move up" on the new trigger, pressed with Enter.
    await page.getByRole('button', { name: 'Move Refund requests up' }).focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('form-done').filter({ hasText: 'Order saved' }).waitFor();
    expect(await names()).toEqual(['Tag VIP customers', 'Refund requests', 'Billing questions']);

    // Drag "Billing questions" onto "Tag VIP customers": it goes first.
    await page
      .getByTestId('triggers-row')
      .filter({ hasText: 'Billing questions' })
      .dragTo(page.getByTestId('triggers-row').filter({ hasText: 'Tag VIP customers' }));
    await expect.poll(names).toEqual(['Billing questions', 'Tag VIP customers', 'Refund requests']);
    const saved = await flow.admin<Rule[]>('GET', '/api/triggers');
    expect(saved.map((t) => t.name)).toEqual([
      'Billing questions',
      'Tag VIP customers',
      'Refund requests',
      'Spam',
    ]);
    expect(saved.find((t) => t.name === 'Refund requests')).toMatchObject({
      category: 'Routing',
      conditions: { all: [{ field: 'comment_text', operator: 'contains', value: 'refund' }] },
    });
    await screenshot(page, 'console-triggers');
    expect(pageErrors).toEqual([]);
    await page.context().close();
  }, 120_000);

  async function createTrigger(name: string, category: string | null, tag: string) {
    return flow.admin<Rule>('POST', '/api/triggers', {
      name,
      category,
      conditions: { all: [{ field: 'comment_text', operator: 'contains', value: tag }], any: [] },
      actions: [{ type: 'add_tags', value: [tag] }],
    });
  }

  async function ticket(id: string): Promise<{ status: string }> {
    return flow.admin('GET', `/api/tickets/${id}`);
  }

  /** A customer's messaging chat, handed to Support, answered by Alex and solved. */
  async function solvedChat(): Promise<string> {
    const visitor = await flow.api.visitor();
    const started = await flow.api.call<{ conversation: { id: string } }>(
      'POST',
      '/api/conversations',
      { token: visitor.token, body: { body: 'Where is my parcel?' } },
    );
    expect(started.status).toBe(201);
    const conversationId = started.body.conversation.id;
    const support = await flow.groupId('Support');
    const handoff = await flow.api.call<{ id: string }>(
      'POST',
      `/api/conversations/${conversationId}/handoff`,
      { token: visitor.token, body: { groupId: support } },
    );
    expect(handoff.status, JSON.stringify(handoff.body)).toBe(201);
    const alexToken = await flow.api.login('alex@parlour.example', 'parlour-agent');
    const users = await flow.admin<{ id: string; email: string }[]>('GET', '/api/users');
    const alex = users.find((u) => u.email === 'alex@parlour.example')!.id;
    await flow.admin('PATCH', `/api/tickets/${handoff.body.id}`, { assigneeId: alex });
    const reply = await flow.api.call('POST', `/api/conversations/${conversationId}/messages`, {
      token: alexToken,
      body: { body: 'It left the warehouse today.', kind: 'public' },
    });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    await flow.admin('PATCH', `/api/tickets/${handoff.body.id}`, { status: 'solved' });
    expect((await ticket(handoff.body.id)).status).toBe('solved');
    return handoff.body.id;
  }
});
