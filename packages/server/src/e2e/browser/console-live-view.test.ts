import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchBrowser, screenshot } from '../../testing/browser.js';
import {
  acceptOffer,
  openAgent,
  setStatus,
  startFlowServer,
  type FlowServer,
} from '../../testing/cross-app-flow.js';

const SUPERVISOR = { email: 'sue.supervisor@parlour.example', name: 'Sue Supervisor' };

/**
 * Issue 8's live view in Chromium: Alex (in the workspace) is offered a chat and lets the offer
 * run out, so routing puts him in RONA; Sue, a supervisor of his group, sees RONA and the missed
 * offer appear in the live view without reloading, clicks "Set Available", and Alex's workspace
 * shows Available. Needs a fresh `npm run build`.
 */
describe.skipIf(!hasChromium)('console live view, in Chromium', () => {
  let flow: FlowServer;
  let browser: Browser;
  let support: string;
  let alexId: string;

  beforeAll(async () => {
    flow = await startFlowServer();
    support = await flow.groupId('Support');
    await flow.admin('PATCH', `/api/groups/${support}/routing`, { offerTimeoutS: 5 });
    const sue = await flow.admin<{ id: string }>('POST', '/api/users', {
      role: 'supervisor',
      email: SUPERVISOR.email,
      name: SUPERVISOR.name,
      password: 'parlour-agent',
    });
    const users = await flow.admin<{ id: string; email: string; groupIds: string[] }[]>(
      'GET',
      '/api/users',
    );
    alexId = users.find((u) => u.email === 'alex@parlour.example')!.id;
    const members = users.filter((u) => u.groupIds.includes(support)).map((u) => u.id);
    await flow.admin('PATCH', `/api/groups/${support}`, { memberIds: [...members, sue.id] });
    browser = await launchBrowser();
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await flow?.t.close();
  });

  /** A customer asks for a person in Support (over the API: this test is about the staff side). */
  async function handoff(): Promise<void> {
    const visitor = await flow.api.visitor();
    const started = await flow.api.call<{ conversation: { id: string } }>(
      'POST',
      '/api/conversations',
      { token: visitor.token, body: { body: 'My parcel never arrived' } },
    );
    const handed = await flow.api.call(
      'POST',
      `/api/conversations/${started.body.conversation.id}/handoff`,
      { token: visitor.token, body: { groupId: support } },
    );
    expect(handed.status).toBe(201);
  }

  const statusOf = (page: Page, userId: string) =>
    page.getByTestId(`live-agent-${userId}`).getByTestId('live-agent-status');

  it('shows an agent going RONA live, and the supervisor sets them Available', async () => {
    const alex = await openAgent(browser, flow.url, 'alex@parlour.example');
    await setStatus(alex, 'available');
    const sue = await openAgent(browser, flow.url, SUPERVISOR.email);
    const errors: string[] = [];
    sue.on('pageerror', (error) => errors.push(error.message));
    await sue.goto(`${flow.url}/agent/console/live`);
    await sue.getByTestId('live-view-page').waitFor();
    await sue.getByTestId('live-connection').filter({ hasText: 'Live' }).waitFor();
    await expect.poll(() => statusOf(sue, alexId).textContent()).toBe('Available');
    const queue = sue.getByTestId(`live-queue-${support}`);
    await expect.poll(() => queue.getByTestId('live-queue-missed').textContent()).toBe('0');

    // Alex is offered the chat and does not answer: the offer runs out, routing sets RONA.
    flow.syncClock();
    await handoff();
    await alex.getByTestId('offer').waitFor();
    await expect.poll(() => queue.getByTestId('live-queue-offers').textContent()).toBe('1');
    flow.clock.advance(6_000);
    await flow.runDueTimers();
    await alex.getByTestId('offer-popover').waitFor({ state: 'detached' });

    // Sue's page changes by itself: nothing reloads it.
    await expect.poll(() => statusOf(sue, alexId).textContent()).toBe('RONA');
    await expect.poll(() => queue.getByTestId('live-queue-missed').textContent()).toBe('1');
    expect(await queue.getByTestId('live-queue-waiting').textContent()).toBe('1');
    await screenshot(sue, 'console-live-view');

    await sue.getByTestId(`live-agent-${alexId}`).getByTestId('live-set-available').click();

    await expect.poll(() => statusOf(sue, alexId).textContent()).toBe('Available');
    await expect.poll(async () => alex.getByTestId('status-select').inputValue()).toBe('available');

    // Available again, Alex is offered the waiting chat and takes it: Sue follows it silently and
    // whispers; Alex sees the note in the transcript.
    const number = await acceptOffer(alex);
    const row = sue.getByTestId(`live-agent-${alexId}`);
    await row.getByRole('button', { name: `Monitor #${number}` }).click();
    const panel = sue.getByTestId('live-panel');
    await panel.getByTestId('live-feed').filter({ hasText: 'My parcel never arrived' }).waitFor();
    await panel.getByTestId('live-mode-whisper').click();
    await panel.getByTestId('live-note-text').fill('Offer a refund, it is the second time');
    await panel.getByTestId('live-note-send').click();
    await panel.getByTestId('form-done').waitFor();
    await alex
      .getByTestId('message-note')
      .filter({ hasText: 'Offer a refund, it is the second time' })
      .waitFor();
    await panel.getByTestId('live-feed').filter({ hasText: 'Offer a refund' }).waitFor();
    await screenshot(sue, 'console-live-view-monitor');
    expect(errors).toEqual([]);
  }, 120_000);
});
