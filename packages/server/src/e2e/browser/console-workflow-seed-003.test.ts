import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchBrowser, screenshot } from '../../testing/browser.js';
import {
  CustomerPage,
  openAgent,
  startFlowServer,
  type FlowServer,
} from '../../testing/cross-app-flow.js';

const HANDED_OFF = 'An agent from our Support team will be with you shortly';
const NOTE = 'Reassigned to you: the first agent did not answer within 15 minutes';
const NAME = 'Reassign when unanswered';

interface WorkflowRow {
  id: string;
  name: string;
  publishedVersion: number | null;
}
interface TicketRow {
  id: string;
  number: number;
  status: string;
  assigneeId: string | null;
  groupId: string | null;
}

/**
 * Seed 003 built in the console, in Chromium: an admin builds "reassign when the first agent
 * does not answer" (conversation opened by a contact → assign to the team round robin, only online
 * → wait 15 minutes → branch: still Open and no outgoing message → assign again → comment). A
 * Wait left empty is refused at its field and nothing is saved; then the draft is saved and
 * published. A customer's chat starts it: the first agent gets the chat, and 15 minutes later
 * (the injected clock) the other, with a note, while the customer sees the agents change; the
 * console shows the run's steps. Needs a fresh `npm run build`.
 */
describe.skipIf(!hasChromium)('seed 003: a workflow built in the console, in Chromium', () => {
  let flow: FlowServer;
  let browser: Browser;
  let teamId: string;
  /** The status select's value for Idle (back office): online, but offered nothing by routing. */
  let idle: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    flow = await startFlowServer();
    const users = await flow.admin<{ id: string; email: string }[]>('GET', '/api/users');
    const member = (email: string) => users.find((u) => u.email === email)!.id;
    const team = await flow.admin<{ id: string }>('POST', '/api/groups', {
      name: 'Escalations',
      memberIds: [member('alex@parlour.example'), member('sam@parlour.example')],
    });
    teamId = team.id;
    const reason = await flow.admin<{ id: string }>('POST', '/api/idle-reasons', {
      name: 'Back office',
    });
    idle = `idle:${reason.id}`;
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

  async function addStep(page: Page, type: string): Promise<void> {
    await page.getByTestId('step-add-type').selectOption(type);
    await page.getByTestId('step-add').click();
  }

  it('builds, refuses an empty wait at its field, publishes, and reassigns an unanswered chat', async () => {
    const admin = await openConsole('/workflows');
    await admin.getByTestId('page-workflows').waitFor();
    await admin.getByTestId('workflows-empty').waitFor();
    await admin.getByTestId('workflow-new').click();

    // Trigger: a contact opens a conversation.
    await admin.getByTestId('workflow-name').fill(NAME);
    await admin.getByTestId('workflow-trigger-type').selectOption('conversation_opened');
    await admin.getByTestId('workflow-trigger-source').selectOption('contact');

    // 1. Assign to the team, round robin, only online agents.
    await addStep(admin, 'assign_to');
    await admin.getByTestId('step-assign_to_1-target-kind').selectOption('team');
    await admin.getByTestId('step-assign_to_1-team').selectOption({ label: 'Escalations' });
    await admin.getByTestId('step-assign_to_1-strategy').selectOption('round_robin');
    await admin.getByTestId('step-assign_to_1-online').check();
    // 2. Wait (left empty for now).
    await addStep(admin, 'wait');
    // 3. Branch: status is Open and no outgoing message yet.
    await addStep(admin, 'branch');
    const branch = 'step-branch_3-branch-0-conditions-all';
    await admin.getByTestId(`${branch}-0-field`).selectOption('status');
    await admin.getByTestId(`${branch}-0-operator`).selectOption('is');
    await admin.getByTestId(`${branch}-0-value`).selectOption('open');
    await admin.getByTestId(`${branch}-add`).click();
    await admin
      .getByTestId(`${branch}-1-field`)
      .selectOption('minutes_since_last_outgoing_message');
    await admin.getByTestId(`${branch}-1-operator`).selectOption('not_exists');
    expect(await admin.getByTestId(`${branch}-1-value`).count()).toBe(0);
    // 4. Assign again (the agent it is with now is never chosen again), 5. a note for them.
    await addStep(admin, 'assign_to');
    await admin.getByTestId('step-assign_to_4-team').selectOption({ label: 'Escalations' });
    await admin.getByTestId('step-assign_to_4-online').check();
    await admin.getByTestId('step-branch_3-branch-0-next').selectOption('assign_to_4');
    await addStep(admin, 'comment');
    await admin.getByTestId('step-comment_5-body').fill(NOTE);
    // The steps were linked as they were added: 1 → 2 → 3, 4 → 5.
    expect(await admin.getByTestId('step-assign_to_1-next').inputValue()).toBe('wait_2');
    expect(await admin.getByTestId('step-wait_2-next').inputValue()).toBe('branch_3');
    expect(await admin.getByTestId('step-assign_to_4-next').inputValue()).toBe('comment_5');

    // The empty Wait is refused at its field; nothing is saved.
    await admin.getByTestId('workflow-save').click();
    const waitError = admin.getByTestId('field-error-steps.wait_2.seconds');
    await waitError.waitFor();
    expect(await waitError.textContent()).toContain('a Wait lasts a whole number of seconds');
    expect(await admin.getByTestId('step-wait_2-amount').getAttribute('aria-invalid')).toBe('true');
    expect(await admin.getByTestId('form-error').count()).toBe(0);
    expect(await flow.admin<WorkflowRow[]>('GET', '/api/workflows')).toEqual([]);

    // 15 minutes: the draft saves (not published yet), then it is published.
    await admin.getByTestId('step-wait_2-amount').fill('15');
    await admin.getByTestId('step-wait_2-unit').selectOption('minutes');
    await admin.getByTestId('workflow-save').click();
    await admin
      .getByTestId('workflow-published')
      .filter({ hasText: 'Not published yet' })
      .waitFor();
    await admin
      .getByTestId('workflow-draft-state')
      .filter({ hasText: 'Draft saved, not published' })
      .waitFor();
    expect(await waitError.count()).toBe(0);
    const [saved] = await flow.admin<WorkflowRow[]>('GET', '/api/workflows');
    expect(saved).toMatchObject({ name: NAME, publishedVersion: null });
    await admin.getByTestId('workflow-publish').click();
    await admin
      .getByTestId('workflow-published')
      .filter({ hasText: 'Published version 1' })
      .waitFor();
    await admin.getByTestId('workflow-version').filter({ hasText: 'v1' }).waitFor();
    await admin
      .getByTestId('workflow-draft-state')
      .filter({ hasText: 'The draft is the published version' })
      .waitFor();
    const published = await flow.admin<{ definition: { steps: Record<string, unknown> } }[]>(
      'GET',
      `/api/workflows/${saved!.id}/versions`,
    );
    expect(published[0]!.definition.steps).toMatchObject({
      assign_to_1: {
        type: 'assign_to',
        target: { groupId: teamId, strategy: 'round_robin', onlyOnline: true },
        next: 'wait_2',
      },
      wait_2: { type: 'wait', seconds: 900, next: 'branch_3' },
      branch_3: {
        type: 'branch',
        branches: [
          {
            conditions: {
              all: [
                { field: 'status', operator: 'is', value: 'open' },
                { field: 'minutes_since_last_outgoing_message', operator: 'not_exists' },
              ],
              any: [],
            },
            next: 'assign_to_4',
          },
        ],
      },
      comment_5: { type: 'comment', body: NOTE },
    });

    // Alex and Sam are online (connected, Idle: routing offers them nothing; the workflow assigns).
    const alex = await openAgent(browser, flow.url, 'alex@parlour.example');
    await alex.getByTestId('status-select').selectOption(idle);
    const sam = await openAgent(browser, flow.url, 'sam@parlour.example');
    await sam.getByTestId('status-select').selectOption(idle);
    await expect
      .poll(async () => {
        const agents = await flow.admin<{ email: string; online: boolean; status: string }[]>(
          'GET',
          '/api/agents',
        );
        return agents
          .filter(
            (a) => a.email.endsWith('@parlour.example') && a.email !== 'admin@parlour.example',
          )
          .map((a) => `${a.email} ${a.status} ${a.online ? 'online' : 'offline'}`)
          .sort();
      })
      .toEqual(['alex@parlour.example idle online', 'sam@parlour.example idle online']);

    // A customer asks the bot for a person: the conversation opens and the workflow starts.
    const customer = await CustomerPage.open(browser, flow.url);
    const conversationId = await customer.conversationId();
    await customer.pressQuickReply('Talk to a person');
    await customer.waitForMessage('bot', 'What is your name?');
    await customer.send('Noor Haddad');
    await customer.waitForMessage('bot', 'And your email address');
    flow.syncClock();
    await customer.send('noor@customer.example');
    await customer.waitForMessage('bot', HANDED_OFF);
    await flow.runDueTimers();

    // Round robin starts with Alex: the customer sees Alex join; Alex has the chat.
    await customer.waitForSystemLine('Alex Agent joined the chat');
    const ticket = await ticketOf(conversationId);
    expect(ticket).toMatchObject({ status: 'open', groupId: teamId });
    await alex.getByTestId('lists-refresh').click();
    await alex.getByTestId('list-mine').getByTestId(`ticket-item-${ticket.number}`).waitFor();

    // 14 minutes pass: nothing changes yet.
    flow.clock.advance(14 * 60_000);
    await flow.runDueTimers();
    expect((await ticketOf(conversationId)).assigneeId).toBe(ticket.assigneeId);

    // At 15 minutes Alex still has not answered: Sam gets the chat, with the note.
    flow.clock.advance(60_000);
    await flow.runDueTimers();
    await customer.waitForSystemLine('Sam Agent joined the chat');
    expect((await customer.systemLines()).some((l) => l.includes('Alex Agent left'))).toBe(true);
    const after = await ticketOf(conversationId);
    expect(after.assigneeId).not.toBe(ticket.assigneeId);
    expect(after).toMatchObject({ status: 'open', groupId: teamId });
    await sam.getByTestId('lists-refresh').click();
    await sam.getByTestId('list-mine').getByTestId(`ticket-item-${ticket.number}`).first().click();
    await sam
      .getByTestId('transcript')
      .getByTestId('message-note')
      .filter({ hasText: NOTE })
      .waitFor();
    await alex.getByTestId('lists-refresh').click();
    await expect
      .poll(async () =>
        alex.getByTestId('list-mine').getByTestId(`ticket-item-${ticket.number}`).count(),
      )
      .toBe(0);
    // The customer never sees the internal note.
    expect((await customer.bodies('agent')).join(' ')).not.toContain(NOTE);

    // The console shows the run, step by step, on the workflow and for the conversation.
    await admin.getByTestId('workflow-runs-refresh').click();
    const run = admin.getByTestId('workflow-runs').getByTestId('run');
    await run.filter({ hasText: conversationId }).waitFor();
    expect(await run.getAttribute('data-state')).toBe('finished');
    const steps = await run
      .getByTestId('run-step')
      .evaluateAll((els) => els.map((e) => `${e.dataset.step}:${e.dataset.outcome}`));
    expect(steps).toEqual([
      'assign_to_1:done',
      'wait_2:waiting',
      'wait_2:done',
      'branch_3:branch',
      'assign_to_4:done',
      'comment_5:done',
    ]);
    // The editor with the published steps, its version and the run, all on one tall page.
    await admin.setViewportSize({ width: 1366, height: 2300 });
    await admin.evaluate(() => window.scrollTo(0, 0));
    await screenshot(admin, 'console-workflow-editor');
    await admin.setViewportSize({ width: 1366, height: 900 });
    await admin.getByRole('button', { name: 'Back to workflows' }).click();
    await admin.getByTestId('conversation-runs-id').fill(conversationId);
    await admin.getByTestId('conversation-runs-search').click();
    const lookedUp = admin.getByTestId('conversation-runs').getByTestId('run');
    await lookedUp.filter({ hasText: NAME }).waitFor();
    expect(await lookedUp.count()).toBe(1);
    expect(await lookedUp.getByTestId('run-state').textContent()).toBe('finished');

    expect(customer.errors).toEqual([]);
    expect(pageErrors).toEqual([]);
    await customer.close();
    await alex.context().close();
    await sam.context().close();
    await admin.context().close();
  }, 180_000);

  async function ticketOf(conversationId: string): Promise<TicketRow> {
    const c = await flow.admin<{ ticketId: string }>('GET', `/api/conversations/${conversationId}`);
    return flow.admin('GET', `/api/tickets/${c.ticketId}`);
  }
});
