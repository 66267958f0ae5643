import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchBrowser, screenshot } from '../../testing/browser.js';
import { CustomerPage, startFlowServer, type FlowServer } from '../../testing/cross-app-flow.js';

const VISA = '4111 1111 1111 1111';

interface AuditPage {
  entries: { action: string; status: number; changes: unknown }[];
}

/**
 * The console's agent-tools, channel and security pages in Chromium: an admin creates a
 * predefined response, renames a wrap-up reason, switches PCI mode to drop (a customer's card
 * number is then refused), creates an API token (shown once), tries an API inbox with a bad
 * webhook URL (the API's error at the field, nothing saved) and then a good one (its secret shown
 * once), and finds all of it in the audit log. Needs a fresh `npm run build`.
 */
describe.skipIf(!hasChromium)('console: agent tools, channels and security, in Chromium', () => {
  let flow: FlowServer;
  let browser: Browser;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    flow = await startFlowServer();
    await flow.admin('POST', '/api/wrap-up-reasons', { name: 'Resolvd' });
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
    page.on('console', (message) => {
      if (message.type() === 'error' && !/status of 4\d\d/.test(message.text()))
        pageErrors.push(message.text());
    });
    await page.goto(`${flow.url}/agent/console${path}`);
    await page.getByTestId('login-page').waitFor();
    await page.getByLabel('Email').fill('admin@parlour.example');
    await page.getByLabel('Password').fill('parlour-admin');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByTestId('console').waitFor();
    return page;
  }

  async function go(page: Page, section: string): Promise<void> {
    await page.getByTestId(`nav-${section}`).click();
    await page.getByTestId(`page-${section}`).waitFor();
  }

  /** Submits a form by its button and waits for its confirmation. */
  async function save(form: Locator, testid: string): Promise<void> {
    await form.getByTestId(testid).click();
    await form.getByTestId('form-done').waitFor();
  }

  it('configures responses, wrap-up, PCI, tokens and API inboxes, and audits every change', async () => {
    const page = await openConsole('/responses');

    // A predefined response: in the table, and what agents search.
    await page.getByTestId('responses-page').waitFor();
    await page.getByTestId('empty-state').waitFor();
    await page.getByTestId('response-new').click();
    const responseForm = page.getByTestId('response-form');
    await responseForm.getByLabel('Title').fill('Refund on its way');
    await responseForm.getByLabel('Shortcut').fill('refund');
    await responseForm
      .getByLabel('Text')
      .fill('Hi {{requester.first_name}}, your refund is on its way.');
    await responseForm.getByTestId('response-save').click();
    await page.getByTestId('response-row').filter({ hasText: 'Refund on its way' }).waitFor();
    const responses = await flow.admin<{ title: string; shortcut: string }[]>(
      'GET',
      '/api/responses?q=refund',
    );
    expect(responses).toEqual([
      expect.objectContaining({ title: 'Refund on its way', shortcut: 'refund' }),
    ]);

    // A wrap-up reason renamed in place; an empty name is refused at the field, nothing saved.
    await go(page, 'wrap-up');
    await page.getByTestId('wrap-up-row').filter({ hasText: 'Resolvd' }).waitFor();
    const [reason] = await flow.admin<{ id: string }[]>('GET', '/api/wrap-up-reasons');
    // By id: while edited, the row's name is an input's value, not its text.
    const row = page.locator(`[data-testid="wrap-up-row"][data-id="${reason!.id}"]`);
    await row.getByTestId('wrap-up-edit').click();
    await row.getByTestId('wrap-up-edit-name').fill('');
    await row.getByTestId('wrap-up-save').click();
    await row.getByTestId('field-error-name').waitFor();
    expect(
      (await flow.admin<{ name: string }[]>('GET', '/api/wrap-up-reasons')).map((r) => r.name),
    ).toEqual(['Resolvd']);
    await row.getByTestId('wrap-up-edit-name').fill('Resolved');
    await row.getByTestId('wrap-up-save').click();
    await page
      .getByTestId('wrap-up-row')
      .getByTestId('wrap-up-name')
      .filter({ hasText: /^Resolved$/ })
      .waitFor();
    expect(
      (await flow.admin<{ name: string }[]>('GET', '/api/wrap-up-reasons')).map((r) => r.name),
    ).toEqual(['Resolved']);

    // The widget's colour and greeting: a colour white text is unreadable on is refused at the
    // field; a dark one is saved, and the customer's widget (frame and launcher) wears it.
    await go(page, 'widget');
    const widgetForm = page.getByTestId('widget-form');
    await widgetForm.getByTestId('widget-color').fill('#ffee00');
    await widgetForm.getByLabel('Greeting').fill('Welcome to the shop! How can we help?');
    await widgetForm.getByTestId('widget-save').click();
    await widgetForm.getByTestId('field-error-widgetColor').waitFor();
    expect(await flow.api.call('GET', '/api/widget/config').then((r) => r.body)).toMatchObject({
      color: '#1f3a8a',
    });
    await widgetForm.getByTestId('widget-color').fill('#0b6e4f');
    await save(widgetForm, 'widget-save');
    expect((await flow.api.call('GET', '/api/widget/config')).body).toEqual({
      color: '#0b6e4f',
      greeting: 'Welcome to the shop! How can we help?',
    });
    await screenshot(page, 'console-widget');
    const customer = await CustomerPage.open(browser, flow.url);
    const header = await customer.frame.$eval('header', (e) => getComputedStyle(e).backgroundColor);
    expect(header).toBe('rgb(11, 110, 79)');
    await expect
      .poll(async () =>
        customer.page.$eval(
          '[data-testid="parlour-launcher"]',
          (e) => getComputedStyle(e).backgroundColor,
        ),
      )
      .toBe('rgb(11, 110, 79)');
    expect(customer.errors).toEqual([]);
    await customer.close();

    // PCI mode: drop. A customer's message with a card number is then refused.
    await go(page, 'compliance');
    const compliance = page.getByTestId('compliance-form');
    await compliance.getByTestId('pci-mode-drop').check();
    await compliance.getByTestId('pci-detect-iban').check();
    await save(compliance, 'compliance-save');
    await screenshot(page, 'console-compliance');
    const settings = await flow.admin<{ pciMode: string; pciDetectIban: boolean }>(
      'GET',
      '/api/settings',
    );
    expect(settings).toMatchObject({ pciMode: 'drop', pciDetectIban: true });
    const visitor = await flow.api.visitor();
    const started = await flow.api.call<{ conversation: { id: string } }>(
      'POST',
      '/api/conversations',
      { token: visitor.token, body: {} },
    );
    expect(started.status).toBeLessThan(300);
    const refused = await flow.api.call(
      'POST',
      `/api/conversations/${started.body.conversation.id}/messages`,
      { token: visitor.token, body: { body: `pay with ${VISA} please` } },
    );
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'content/card-data', field: 'body' });

    // An API token: shown once with a copy button, then only its name is listed.
    await go(page, 'api-tokens');
    const tokenForm = page.getByTestId('token-form');
    await tokenForm.getByLabel('Token name').fill('Billing sync');
    await tokenForm.getByTestId('token-create').click();
    const secret = (await page.getByTestId('token-secret-value').textContent()) ?? '';
    expect(secret.length).toBeGreaterThan(20);
    await page.getByTestId('token-secret-copy').waitFor();
    const tokenWorks = await flow.api.call('GET', '/api/me', { token: secret });
    expect(tokenWorks.status).toBe(200);
    await page.getByTestId('token-secret-dismiss').click();
    await page.getByTestId('token-row').filter({ hasText: 'Billing sync' }).waitFor();
    expect(await page.getByTestId('token-secret').count()).toBe(0);
    expect(await page.content()).not.toContain(secret);

    // An API inbox with a webhook URL that is not http(s): the API's error at the field.
    await go(page, 'api-channel');
    await page.getByTestId('inbox-new').click();
    const inboxForm = page.getByTestId('inbox-form');
    await inboxForm.getByLabel('Name').fill('Shop app');
    await inboxForm.getByLabel('Webhook URL').fill('ftp://hooks.example/parlour');
    await inboxForm.getByTestId('inbox-save').click();
    const urlError = inboxForm.getByTestId('field-error-webhookUrl');
    await urlError.waitFor();
    expect(await urlError.textContent()).toBeTruthy();
    expect(await inboxForm.getByLabel('Webhook URL').getAttribute('aria-invalid')).toBe('true');
    expect(await flow.admin<unknown[]>('GET', '/api/channels/api/inboxes')).toEqual([]);
    // Corrected: created, its signing secret shown once.
    await inboxForm.getByLabel('Webhook URL').fill('https://hooks.example/parlour');
    await inboxForm.getByTestId('inbox-save').click();
    await page.getByTestId('inbox-secret').waitFor();
    expect(
      ((await page.getByTestId('inbox-secret-value').textContent()) ?? '').length,
    ).toBeGreaterThan(20);
    await page.getByTestId('inbox-row').filter({ hasText: 'Shop app' }).waitFor();
    const inboxes = await flow.admin<{ name: string; webhookUrl: string }[]>(
      'GET',
      '/api/channels/api/inboxes',
    );
    expect(inboxes).toEqual([
      expect.objectContaining({ name: 'Shop app', webhookUrl: 'https://hooks.example/parlour' }),
    ]);

    // The audit log lists every change, newest first; filtered by action it shows just that.
    await flow.t.server.services.audit.idle();
    await go(page, 'audit');
    await page.getByTestId('audit-row').first().waitFor();
    const actions = await page.getByTestId('audit-row-action').allTextContents();
    for (const action of [
      'POST /api/responses',
      'PATCH /api/wrap-up-reasons/:reasonId',
      'PATCH /api/settings',
      'POST /api/api-tokens',
      'POST /api/channels/api/inboxes',
    ])
      expect(actions, action).toContain(action);
    // No secret is in the log.
    expect(await page.content()).not.toContain(secret);
    await page.getByTestId('audit-action').fill('PATCH /api/settings');
    await page.getByTestId('audit-apply').click();
    await expect
      .poll(async () => page.getByTestId('audit-row-action').allTextContents())
      // The flow's allowedOrigins at start, the widget's colour, the PCI change (newest first).
      .toEqual(['PATCH /api/settings', 'PATCH /api/settings', 'PATCH /api/settings']);
    expect(await page.getByTestId('audit-row-changes').first().textContent()).toContain('drop');
    await page.getByTestId('audit-action').fill('');
    await page.getByTestId('audit-apply').click();
    await expect.poll(async () => page.getByTestId('audit-row').count()).toBeGreaterThan(1);
    await screenshot(page, 'console-audit-log');

    const audit = await flow.admin<AuditPage>('GET', '/api/audit-log?limit=200');
    expect(audit.entries.map((e) => e.action)).toContain('POST /api/channels/api/inboxes');

    expect(pageErrors).toEqual([]);
  }, 120_000);
});
