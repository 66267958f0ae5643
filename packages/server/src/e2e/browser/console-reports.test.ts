import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchBrowser, screenshot } from '../../testing/browser.js';
import {
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

/**
 * axe-core's WCAG 2.0/2.1 A and AA rules and best practices on the console page's main area (the
 * console's own frame is audited with the console); readable lines.
 */
async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window)))
    await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (...a: unknown[]) => Promise<unknown> } }).axe;
    const result = (await axe.run(document.querySelector('main') ?? document, {
      runOnly: {
        type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'],
      },
    })) as {
      violations: { id: string; help: string; nodes: { target: unknown[] }[] }[];
    };
    return result.violations.map(
      (v) => `${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
  });
}

/** The CSV's lines split into fields (the export quotes only fields with commas or quotes). */
function parseCsv(text: string): string[][] {
  return text
    .trim()
    .split('\r\n')
    .map((line) => {
      const out: string[] = [];
      let cur = '';
      let quoted = false;
      for (let i = 0; i < line.length; i++) {
        const c = line[i]!;
        if (quoted && c === '"' && line[i + 1] === '"') {
          cur += '"';
          i++;
        } else if (c === '"') quoted = !quoted;
        else if (c === ',' && !quoted) {
          out.push(cur);
          cur = '';
        } else cur += c;
      }
      out.push(cur);
      return out;
    });
}

/** "1m 40s" from ms, as the page shows durations of ten seconds and more. */
function hms(ms: number): string {
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h ${m}m ${s}s`;
  return m > 0 ? `${m}m ${s}s` : `${s}s`;
}

/**
 * The console's reports and business-hours pages in Chromium, over real tickets: a customer
 * hands off, Alex accepts in the workspace and replies after 30 s, 100 s and 200 s (on the
 * server's manual clock). The admin reads first reply time by agent (n, average, median, p90),
 * the CSV link carries exactly the screen's query and downloads the same rows; a business-hours
 * schedule with an interval that ends before it starts is refused at the row, then saved.
 * Needs a fresh `npm run build`.
 */
describe.skipIf(!hasChromium)('the console reports and business hours, in Chromium', () => {
  let flow: FlowServer;
  let browser: Browser;
  let supportId: string;
  let admin: Page;

  beforeAll(async () => {
    flow = await startFlowServer();
    supportId = await flow.groupId('Support');
    browser = await launchBrowser();
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await flow?.t.close();
  });

  /** A visitor starts a chat and asks for a person; returns the new ticket's id. */
  async function customerHandsOff(text: string): Promise<string> {
    flow.syncClock();
    const visitor = await flow.api.visitor();
    const started = await flow.api.call<{ conversation: { id: string } }>(
      'POST',
      '/api/conversations',
      { token: visitor.token, body: { body: text, clientMessageId: 'c1' } },
    );
    expect(started.status).toBe(201);
    const handoff = await flow.api.call<{ id: string }>(
      'POST',
      `/api/conversations/${started.body.conversation.id}/handoff`,
      { token: visitor.token, body: { groupId: supportId } },
    );
    expect(handoff.status, JSON.stringify(handoff.body)).toBe(201);
    return handoff.body.id;
  }

  async function logInAsAdmin(path: string): Promise<Page> {
    const context = await browser.newContext({
      ...AUDITABLE,
      viewport: { width: 1366, height: 1000 },
      timezoneId: 'UTC',
    });
    const page = await context.newPage();
    await page.goto(`${flow.url}${path}`);
    await page.getByTestId('login-page').waitFor();
    await page.getByLabel('Email').fill('admin@parlour.example');
    await page.getByLabel('Password').fill('parlour-admin');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByTestId('console').waitFor();
    return page;
  }

  it('shows first reply time by agent and exports exactly the rows on screen', async () => {
    const alex = await openAgent(browser, flow.url, 'alex@parlour.example');
    await setStatus(alex, 'available');
    const delays = [30_000, 100_000, 200_000];
    for (const [i, delay] of delays.entries()) {
      const ticketId = await customerHandsOff(`Question ${i + 1}`);
      await acceptOffer(alex);
      flow.clock.advance(delay);
      const input = alex.getByTestId('composer-input');
      await input.fill(`Answer ${i + 1}`);
      await input.press('Enter');
      await alex
        .getByTestId('transcript')
        .getByTestId('message')
        .filter({ hasText: `Answer ${i + 1}` })
        .and(alex.locator('[data-seq]'))
        .waitFor();
      // Solved: Alex's capacity is free for the next offer.
      await flow.admin('PATCH', `/api/tickets/${ticketId}`, { status: 'solved' });
    }
    await setStatus(alex, 'offline');
    await alex.context().close();

    admin = await logInAsAdmin('/agent/console/reports');
    const reportRequests: string[] = [];
    admin.on('request', (r) => {
      const url = new URL(r.url());
      if (url.pathname === '/api/reports') reportRequests.push(url.search);
    });
    await admin.getByTestId('report-table').waitFor();
    // The definition from the registry is on screen.
    await expect
      .poll(() => admin.getByTestId('definition-start').textContent())
      .toMatch(/handoff/i);

    await admin.getByTestId('report-metric').selectOption('first_reply_time');
    await admin.getByTestId('report-group-by').selectOption('agent');
    await admin.getByTestId('report-interval').selectOption('none');
    const alexRow = admin.locator('[data-testid="report-row"][data-label="Alex Agent"]');
    await alexRow.waitFor();
    expect(await alexRow.getByTestId('cell-n').textContent()).toBe('3');
    expect(await alexRow.getByTestId('cell-value').textContent()).toBe('1m 50s');
    expect(await alexRow.getByTestId('cell-median').textContent()).toBe('1m 40s');
    // The time zone shown is the workspace's report time zone (UTC by default).
    expect(await admin.getByTestId('report-time-zone').inputValue()).toBe('UTC');

    // The page's URL holds the report: a reload shows the same one.
    const pageQuery = new URL(admin.url()).searchParams;
    expect(pageQuery.get('groupBy')).toBe('agent');
    expect(pageQuery.get('interval')).toBe('none');
    await admin.reload();
    await alexRow.waitFor();
    expect(await admin.getByTestId('report-group-by').inputValue()).toBe('agent');
    expect(await alexRow.getByTestId('cell-n').textContent()).toBe('3');

    // The CSV link carries exactly the query of the report on screen…
    const href = (await admin.getByTestId('export-csv').getAttribute('href')) ?? '';
    const linkUrl = new URL(href, flow.url);
    expect(linkUrl.pathname).toBe('/api/reports/export.csv');
    expect(linkUrl.search).toBe(reportRequests.at(-1));
    expect(Object.fromEntries(linkUrl.searchParams)).toMatchObject({
      metric: 'first_reply_time',
      groupBy: 'agent',
      timeZone: 'UTC',
      hours: 'calendar',
    });
    expect(linkUrl.searchParams.has('interval')).toBe(false);

    // …and downloads the same rows, in the same order, then the total.
    const csv = await admin.evaluate(async (url) => {
      const r = await fetch(url, { credentials: 'same-origin' });
      return { status: r.status, zone: r.headers.get('x-report-time-zone'), text: await r.text() };
    }, href);
    expect(csv.status).toBe(200);
    expect(csv.zone).toBe('UTC');
    const [header, ...lines] = parseCsv(csv.text);
    const col = (name: string) => header!.indexOf(name);
    const screenRows = await admin.getByTestId('report-row').evaluateAll((trs) =>
      trs.map((tr) => ({
        label: tr.getAttribute('data-label'),
        n: tr.querySelector('[data-testid="cell-n"]')?.textContent,
        median: tr.querySelector('[data-testid="cell-median"]')?.textContent,
      })),
    );
    const csvRows = lines.slice(0, -1).map((f) => ({
      label: f[col('label')],
      n: f[col('n')],
      median: f[col('median')] ? hms(Number(f[col('median')])) : '—',
    }));
    expect(csvRows).toEqual(screenRows);
    expect(lines.at(-1)?.[col('label')]).toBe('Total');
    expect(lines.at(-1)?.[col('n')]).toBe(
      await admin.getByTestId('report-total').getByTestId('cell-n').textContent(),
    );

    // Another zone on screen is another zone in the export.
    await admin.getByTestId('report-time-zone').selectOption('America/New_York');
    await expect
      .poll(async () => {
        const h = (await admin.getByTestId('export-csv').getAttribute('href')) ?? '';
        return new URL(h, flow.url).searchParams.get('timeZone');
      })
      .toBe('America/New_York');
    await admin
      .getByTestId('report-view')
      .and(admin.locator('[data-time-zone="America/New_York"]'))
      .waitFor();
    const nyHref = (await admin.getByTestId('export-csv').getAttribute('href')) ?? '';
    expect(new URL(nyHref, flow.url).search).toBe(reportRequests.at(-1));

    // A range without tickets reads n = 0, not an error.
    await admin.getByTestId('report-from').fill('2020-01-01');
    await admin.getByTestId('report-to').fill('2020-01-07');
    await expect
      .poll(() => admin.getByTestId('report-total').getByTestId('cell-n').textContent())
      .toBe('0');
    expect(await admin.getByTestId('report-error').count()).toBe(0);

    // Back to a week by day, by agent: trend and distribution charts, for the screenshot.
    await admin.getByTestId('report-time-zone').selectOption('UTC');
    await admin.getByTestId('report-range').selectOption('7d');
    await admin.getByTestId('report-interval').selectOption('day');
    await admin.getByTestId('trend-chart').waitFor();
    await admin.getByTestId('histogram-chart').waitFor();
    expect(
      await admin.getByTestId('trend-chart').locator('svg[role="img"]').getAttribute('aria-label'),
    ).toMatch(/Alex Agent/);
    await admin.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await screenshot(admin, 'console-reports');
    expect(await axeViolations(admin)).toEqual([]);
  }, 180_000);

  it('refuses a business-hours interval that ends before it starts, at the row, then saves', async () => {
    await admin.getByTestId('nav-business-hours').click();
    await admin.getByTestId('bh-new').click();
    await admin.getByTestId('bh-editor').waitFor();
    await admin.getByTestId('bh-name').fill('Berlin office');
    await admin.getByTestId('bh-time-zone').selectOption('Europe/Berlin');
    const monday = admin.getByTestId('bh-day-1').getByTestId('bh-interval').first();
    await monday.getByTestId('bh-end').fill('08:00');
    await admin.getByTestId('bh-add-holiday').click();
    await admin.getByTestId('bh-holiday-date').fill('2026-12-25');
    await admin.getByTestId('bh-holiday-name').fill('Christmas Day');
    await admin.getByTestId('bh-save').click();

    const error = admin.getByTestId('field-error-intervals.0');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/end after it starts/i);
    // The error sits in Monday's row, and the row's inputs say they are invalid.
    expect(await monday.getByTestId('field-error-intervals.0').count()).toBe(1);
    expect(await monday.getByTestId('bh-end').getAttribute('aria-invalid')).toBe('true');
    const none = await flow.admin<{ items: unknown[] }>('GET', '/api/business-hours');
    expect(none.items).toHaveLength(0);

    await monday.getByTestId('bh-end').fill('17:00');
    await admin.getByTestId('bh-save').click();
    const row = admin.getByTestId('bh-row').filter({ hasText: 'Berlin office' });
    await row.waitFor();
    expect(await row.getByTestId('bh-summary').textContent()).toBe('Mon–Fri 09:00–17:00');
    const saved = await flow.admin<{
      items: { name: string; timeZone: string; isDefault: boolean; holidays: unknown[] }[];
    }>('GET', '/api/business-hours');
    expect(saved.items).toEqual([
      expect.objectContaining({
        name: 'Berlin office',
        timeZone: 'Europe/Berlin',
        isDefault: true,
        holidays: [{ date: '2026-12-25', name: 'Christmas Day' }],
      }),
    ]);
    expect(await axeViolations(admin)).toEqual([]);

    await row.getByTestId('bh-edit').click();
    await admin.getByTestId('bh-editor').waitFor();
    await admin.getByTestId('bh-add-6').click();
    await screenshot(admin, 'console-business-hours');
    expect(await axeViolations(admin)).toEqual([]);
  }, 90_000);
});
