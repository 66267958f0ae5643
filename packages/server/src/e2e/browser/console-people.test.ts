import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchBrowser, screenshot } from '../../testing/browser.js';
import { startFlowServer, type FlowServer } from '../../testing/cross-app-flow.js';

interface Skill {
  id: string;
  name: string;
}
interface Presence {
  id: string;
  email: string;
  skillIds: string[];
  capacity: { messaging: number; email: number };
  capacityOverride: { messaging: number | null; email: number | null };
}
interface GroupRow {
  id: string;
  name: string;
  memberIds: string[];
}
interface Routing {
  strategy: string;
  offerTimeoutS: number;
}

const AGENT_EMAIL = 'paula@parlour.example';

/**
 * The console's people-and-routing pages in Chromium: an admin creates a skill, an agent with
 * that skill and a messaging capacity, and a group with its routing and that agent as member;
 * invalid values show the API's error at the field and save nothing; a supervisor never sees
 * these admin-only sections. Needs a fresh `npm run build`.
 */
describe.skipIf(!hasChromium)('console: agents, skills, groups and routing, in Chromium', () => {
  let flow: FlowServer;
  let browser: Browser;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    flow = await startFlowServer();
    await flow.admin('POST', '/api/users', {
      role: 'supervisor',
      email: 'sue@parlour.example',
      name: 'Sue Supervisor',
      password: 'supervisor-pass',
    });
    browser = await launchBrowser();
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await flow?.t.close();
  });

  async function openConsole(email: string, password: string, path = ''): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${flow.url}/agent/console${path}`);
    await page.getByTestId('login-page').waitFor();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByTestId('console').waitFor();
    return page;
  }

  /** Submits a form by its button and waits for its confirmation. */
  async function save(form: Locator, button: string): Promise<void> {
    await form.getByRole('button', { name: button }).click();
    await form.getByTestId('form-done').waitFor();
  }

  it('sets up a skill, an agent and a group with routing; refuses bad values at the field', async () => {
    const page = await openConsole('admin@parlour.example', 'parlour-admin', '/skills');

    // A skill; the same name again is refused at the name field, and stored once.
    await page.getByTestId('page-skills').waitFor();
    const newSkill = page.getByTestId('skill-create');
    await newSkill.getByLabel('New skill').fill('Portuguese');
    await save(newSkill, 'Add skill');
    await page.getByTestId('skill-row').filter({ hasText: 'Portuguese' }).waitFor();
    await newSkill.getByLabel('New skill').fill('portuguese');
    await newSkill.getByRole('button', { name: 'Add skill' }).click();
    await expect
      .poll(() => newSkill.getByTestId('field-error-name').textContent())
      .toContain('A skill with this name exists');
    const skills = await flow.admin<Skill[]>('GET', '/api/skills');
    expect(skills.filter((s) => s.name.toLowerCase() === 'portuguese')).toHaveLength(1);
    const skillId = skills.find((s) => s.name === 'Portuguese')!.id;

    // An agent: a too-short password is refused at the password field, nothing is created.
    await page.getByTestId('nav-agents').click();
    await page.getByTestId('page-agents').waitFor();
    await page.getByTestId('agent-new').click();
    const create = page.getByTestId('agent-create');
    await create.getByLabel('Name').fill('Paula Portuguese');
    await create.getByLabel('Email').fill(AGENT_EMAIL);
    await create.getByLabel('Role').selectOption('agent');
    await create.getByLabel('Password').fill('short');
    await create.getByRole('button', { name: 'Create' }).click();
    await create.getByTestId('field-error-password').waitFor();
    expect(
      (await flow.admin<{ email: string }[]>('GET', '/api/users')).some(
        (u) => u.email === AGENT_EMAIL,
      ),
    ).toBe(false);
    await create.getByLabel('Password').fill('paula-password');
    await create.getByRole('button', { name: 'Create' }).click();

    // Its detail opens: skill and messaging capacity.
    const detail = page.getByTestId('agent-detail');
    await detail.getByRole('heading', { name: 'Paula Portuguese' }).waitFor();
    const skillsForm = detail.getByTestId('agent-skills-form');
    await skillsForm.getByLabel('Portuguese').check();
    await save(skillsForm, 'Save skills');
    const capacity = detail.getByTestId('agent-capacity-form');
    await capacity.getByTestId('capacity-own-messaging').check();
    // Beyond the API's maximum: its error is shown at the messaging field, nothing saved.
    await capacity.getByTestId('capacity-messaging').fill('5000');
    await capacity.getByRole('button', { name: 'Save capacity' }).click();
    await capacity.getByTestId('field-error-messaging').waitFor();
    const agentOf = async () =>
      (await flow.admin<Presence[]>('GET', '/api/agents')).find((a) => a.email === AGENT_EMAIL)!;
    expect((await agentOf()).capacityOverride.messaging).toBeNull();
    await capacity.getByTestId('capacity-messaging').fill('4');
    await save(capacity, 'Save capacity');
    const paula = await agentOf();
    expect(paula.skillIds).toEqual([skillId]);
    expect(paula.capacityOverride).toEqual({ messaging: 4, email: null });

    const row = page.getByTestId('agent-row').filter({ hasText: AGENT_EMAIL });
    await expect.poll(() => row.textContent()).toContain('Portuguese');
    await expect
      .poll(() => row.getByTestId('agent-capacity').textContent())
      .toContain('Messaging 4');
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'console-agents');

    // A group with Paula as member and its routing.
    await page.getByTestId('nav-groups').click();
    await page.getByTestId('page-groups').waitFor();
    await page.getByTestId('group-new').click();
    const newGroup = page.getByTestId('group-create');
    await newGroup.getByLabel('Name').fill('Portuguese desk');
    await newGroup.getByLabel('Description').fill('Customers writing in Portuguese');
    await newGroup.getByRole('button', { name: 'Create group' }).click();
    const groupDetail = page.getByTestId('group-detail');
    await groupDetail.getByRole('heading', { name: 'Portuguese desk' }).waitFor();
    const members = groupDetail.getByTestId('group-members-form');
    await members.getByLabel('Paula Portuguese').check();
    await save(members, 'Save members');
    const group = (await flow.admin<GroupRow[]>('GET', '/api/groups')).find(
      (g) => g.name === 'Portuguese desk',
    )!;
    expect(group.memberIds).toEqual([paula.id]);
    const before = await flow.admin<Routing>('GET', `/api/groups/${group.id}/routing`);

    // Offer timeout 0: the API's error at that field, and nothing of the form is saved.
    const routing = groupDetail.getByTestId('group-routing-form');
    await routing.getByLabel('Strategy').selectOption('round_robin');
    await routing.getByLabel('Offer timeout (seconds)').fill('0');
    await routing.getByRole('button', { name: 'Save routing' }).click();
    await expect
      .poll(() => routing.getByTestId('field-error-offerTimeoutS').textContent())
      .toContain('offerTimeoutS');
    expect(await routing.getByLabel('Offer timeout (seconds)').getAttribute('aria-invalid')).toBe(
      'true',
    );
    expect(await flow.admin<Routing>('GET', `/api/groups/${group.id}/routing`)).toEqual(before);

    await routing.getByLabel('Offer timeout (seconds)').fill('45');
    await save(routing, 'Save routing');
    expect(await flow.admin<Routing>('GET', `/api/groups/${group.id}/routing`)).toMatchObject({
      strategy: 'round_robin',
      offerTimeoutS: 45,
    });
    const groupRow = page.getByTestId('group-row').filter({ hasText: 'Portuguese desk' });
    await expect
      .poll(() => groupRow.getByTestId('group-strategy').textContent())
      .toBe('Round robin');
    await expect.poll(() => groupRow.getByTestId('group-offer-timeout').textContent()).toBe('45 s');
    expect(await groupRow.getByTestId('group-members').textContent()).toContain('Paula Portuguese');

    // A second group of the same name is refused at the name field; one group remains.
    await page.getByTestId('group-new').click();
    await newGroup.getByLabel('Name').fill('portuguese DESK');
    await newGroup.getByRole('button', { name: 'Create group' }).click();
    await expect
      .poll(() => newGroup.getByTestId('field-error-name').textContent())
      .toContain('A group with this name already exists');
    const named = (await flow.admin<GroupRow[]>('GET', '/api/groups')).filter(
      (g) => g.name.toLowerCase() === 'portuguese desk',
    );
    expect(named).toHaveLength(1);
    await newGroup.getByRole('button', { name: 'Cancel' }).click();
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'console-groups');
    expect(pageErrors).toEqual([]);
    await page.context().close();
  });

  it('adds idle reasons and changes session and routing defaults, refusing bad values at the field', async () => {
    const page = await openConsole('admin@parlour.example', 'parlour-admin', '/statuses');

    await page.getByTestId('page-statuses').waitFor();
    await page.getByTestId('status-rona').waitFor();
    const newReason = page.getByTestId('idle-reason-create');
    await newReason.getByLabel('New idle reason').fill('Lunch');
    await save(newReason, 'Add idle reason');
    const row = page.getByTestId('idle-reason-row').filter({ hasText: 'Lunch' });
    await row.waitFor();
    await newReason.getByLabel('New idle reason').fill('LUNCH');
    await newReason.getByRole('button', { name: 'Add idle reason' }).click();
    await newReason.getByTestId('field-error-name').waitFor();
    // Retiring asks first; then agents no longer see the reason.
    await row.getByTestId('idle-reason-retire').click();
    await row.getByTestId('idle-reason-retire-confirm').click();
    await row.getByTestId('idle-reason-restore').waitFor();
    const reasons = await flow.admin<{ name: string; active: boolean }[]>(
      'GET',
      '/api/idle-reasons',
    );
    expect(reasons.filter((r) => r.name.toLowerCase() === 'lunch')).toEqual([
      expect.objectContaining({ name: 'Lunch', active: false }),
    ]);

    await page.getByTestId('nav-sessions').click();
    const defaults = page.getByTestId('routing-defaults-form');
    await expect
      .poll(() => defaults.getByLabel('Presence grace period (seconds)').inputValue())
      .not.toBe('');
    const before = await flow.admin<Record<string, number>>('GET', '/api/routing/settings');
    await defaults.getByLabel('Default messaging capacity').fill('6');
    await defaults.getByLabel('Presence grace period (seconds)').fill('99999');
    await defaults.getByRole('button', { name: 'Save' }).click();
    await defaults.getByTestId('field-error-presenceGraceS').waitFor();
    expect(await flow.admin('GET', '/api/routing/settings')).toEqual(before);
    await defaults.getByLabel('Presence grace period (seconds)').fill('120');
    await save(defaults, 'Save');
    expect(await flow.admin('GET', '/api/routing/settings')).toMatchObject({
      messagingCapacity: 6,
      presenceGraceS: 120,
    });

    const sessions = page.getByTestId('session-form');
    const mayEnd = sessions.getByLabel('Agents may end messaging sessions');
    const was = await flow.admin<{ agentsMayEndSessions: boolean }>('GET', '/api/settings');
    await expect.poll(() => mayEnd.isChecked()).toBe(was.agentsMayEndSessions);
    await mayEnd.setChecked(!was.agentsMayEndSessions);
    await save(sessions, 'Save');
    expect(
      (await flow.admin<{ agentsMayEndSessions: boolean }>('GET', '/api/settings'))
        .agentsMayEndSessions,
    ).toBe(!was.agentsMayEndSessions);
    expect(pageErrors).toEqual([]);
    await page.context().close();
  });

  it('shows a supervisor none of the admin-only people and routing sections', async () => {
    const page = await openConsole('sue@parlour.example', 'supervisor-pass', '/agents');
    // The address names an admin-only page: the supervisor lands on their first section instead.
    await page.getByTestId('nav-live').waitFor();
    expect(await page.getByTestId('page-agents').count()).toBe(0);
    for (const id of ['agents', 'groups', 'skills', 'statuses', 'sessions'])
      expect(await page.getByTestId(`nav-${id}`).count(), id).toBe(0);
    expect(await page.getByTestId('nav-triggers').count()).toBe(1);
    await page.context().close();
  });
});
