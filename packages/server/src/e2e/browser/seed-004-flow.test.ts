import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchBrowser, screenshot } from '../../testing/browser.js';
import {
  CustomerPage,
  acceptOffer,
  openAgent,
  setStatus,
  startFlowServer,
  type FlowServer,
} from '../../testing/cross-app-flow.js';

const GREETING = 'Hi! I am the Parlour assistant. How can I help you today?';
const RESPONSE = 'Thanks for waiting, I am checking your order now.';
const EDITED = `${RESPONSE} It ships today.`;

/**
 * Seed 004 end to end, in one Chromium with three contexts: the customer on /demo chats with
 * the demo bot and asks for a person; Alex lets the first offer expire (RONA), sets Available,
 * accepts the next, sees the bot transcript, replies with a predefined response edited before
 * sending and transfers to Sam; Sam accepts, invites Alex to a conference and ends the chat with
 * two wrap-up reasons. At each step the test checks what the customer and the agents see.
 * Needs a fresh `npm run build`.
 */
describe.skipIf(!hasChromium)('seed 004: a chat from the bot to wrap-up, in Chromium', () => {
  let flow: FlowServer;
  let browser: Browser;

  beforeAll(async () => {
    flow = await startFlowServer();
    const support = await flow.groupId('Support');
    await flow.admin('PATCH', `/api/groups/${support}/routing`, { offerTimeoutS: 5 });
    await flow.admin('POST', '/api/wrap-up-reasons', { name: 'Resolved' });
    await flow.admin('POST', '/api/wrap-up-reasons', { name: 'Follow-up needed' });
    await flow.admin('POST', '/api/responses', {
      title: 'Checking the order',
      shortcut: 'order',
      body: RESPONSE,
    });
    browser = await launchBrowser();
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await flow?.t.close();
  });

  it('bot, handoff, RONA, accept, predefined response, transfer, conference, wrap-up', async () => {
    const alex = await openAgent(browser, flow.url, 'alex@parlour.example');
    await setStatus(alex, 'available');
    // Sam is logged in but offline until the transfer, so the first offers go to Alex.
    const sam = await openAgent(browser, flow.url, 'sam@parlour.example');
    await setStatus(sam, 'offline');

    // The customer opens the chat: the bot greets with its menu, "Talk to a person" among it.
    const customer = await CustomerPage.open(browser, flow.url);
    const conversationId = await customer.conversationId();
    await customer.waitForMessage('bot', GREETING);
    await customer.frame.waitForSelector('[data-testid="quick-reply"]');
    expect(await customer.quickReplies()).toEqual(
      expect.arrayContaining(['Order status', 'Billing question', 'Talk to a person']),
    );
    await screenshot(customer.page, 'flow-widget-bot');

    // It collects what the demo flow collects: the order number, then name and email.
    await customer.pressQuickReply('Order status');
    await customer.waitForMessage('bot', 'What is your order number?');
    await customer.send('A-10442');
    await customer.waitForMessage('bot', 'Orders usually ship within 2 working days');
    await customer.frame.waitForSelector('[data-testid="quick-reply"]:text-is("Talk to a person")');
    await customer.pressQuickReply('Talk to a person');
    await customer.waitForMessage('bot', 'What is your name?');
    await customer.send('Kim Novak');
    await customer.waitForMessage('bot', 'And your email address');
    await customer.send('kim at example');
    await customer.waitForMessage('bot', 'That does not look like an email address');
    flow.syncClock();
    await customer.send('kim@customer.example');
    await customer.waitForMessage('bot', 'An agent from our Support team will be with you shortly');
    await customer.waitForSystemLine('Connecting you with a person…');
    // Handed off: no more buttons.
    expect(await customer.quickReplies()).toEqual([]);
    await screenshot(customer.page, 'flow-widget-handoff');

    // Alex gets the offer: channel, the customer's name and email, the queue, a running timer.
    await alex.getByTestId('offer').waitFor();
    expect(await alex.getByTestId('offer-customer').textContent()).toBe('Kim Novak');
    expect(await alex.getByTestId('offer-email').textContent()).toBe('kim@customer.example');
    expect(await alex.getByTestId('offer-queue').textContent()).toBe('Support');
    // The timers run: the time waited counts up (the popover ticks every second).
    const waited = (await alex.getByTestId('offer-wait').textContent()) ?? '';
    await expect
      .poll(async () => alex.getByTestId('offer-wait').textContent(), { timeout: 5_000 })
      .not.toBe(waited);
    expect(await alex.getByTestId('offer-wait').textContent()).toMatch(/^0:0[1-9]$/);
    expect(await alex.getByTestId('offer-left').textContent()).toMatch(/^0:0[0-4]$/);
    await screenshot(alex, 'flow-agent-offer');
    expect(await sam.getByTestId('offer').count()).toBe(0);

    // Alex lets it expire: RONA, and the popover offers Available or Idle.
    flow.clock.advance(6_000);
    await flow.runDueTimers();
    await alex.getByTestId('rona-popover').waitFor();
    expect(await alex.getByTestId('offer').count()).toBe(0);
    expect(await alex.getByTestId('rona-available').isVisible()).toBe(true);
    expect(await alex.getByTestId('rona-idle').isVisible()).toBe(true);
    await screenshot(alex, 'flow-agent-rona');

    // Available again: the chat, back in the queue, is offered again; Alex accepts.
    await alex.getByTestId('rona-available').click();
    await alex.getByTestId('rona-popover').waitFor({ state: 'detached' });
    expect(await alex.getByTestId('status-select').inputValue()).toBe('available');
    const ticketNumber = await acceptOffer(alex);
    const ticket = await ticketOf(conversationId);
    expect(ticket.number).toBe(ticketNumber);

    // The customer sees Alex join.
    await customer.waitForSystemLine('Alex Agent joined the chat');
    await screenshot(customer.page, 'flow-widget-agent-joined');

    // Alex sees the customer and the bot transcript before the handoff.
    const view = alex.getByTestId('conversation-view');
    expect(await view.getByTestId('conversation-customer').textContent()).toBe('Kim Novak');
    const transcript = alex.getByTestId('transcript');
    await transcript.getByText('Bot conversation before the handoff').waitFor();
    await transcript.getByTestId('message').filter({ hasText: GREETING }).waitFor();
    for (const said of ['Order status', 'A-10442', 'Kim Novak', 'kim@customer.example'])
      await transcript.getByTestId('message').filter({ hasText: said }).first().waitFor();
    await transcript
      .getByTestId('system-line')
      .filter({ hasText: 'Handed off to people' })
      .waitFor();
    await transcript.getByTestId('system-line').filter({ hasText: 'Alex Agent joined' }).waitFor();
    await screenshot(alex, 'flow-agent-conversation');

    // A predefined response, found by searching, edited before sending.
    await alex.getByTestId('responses-toggle').click();
    await alex.getByTestId('responses-search').fill('order');
    await alex.getByTestId('response-option').first().click();
    const input = alex.getByTestId('composer-input');
    expect(await input.inputValue()).toBe(RESPONSE);
    await input.press('End');
    await input.pressSequentially(' It ships today.');
    await input.press('Enter');
    await transcript.getByTestId('message').filter({ hasText: EDITED }).waitFor();
    expect(await input.inputValue()).toBe('');
    await customer.waitForMessage('agent', EDITED);
    expect(await customer.bodies('agent')).toEqual([EDITED]);
    await screenshot(customer.page, 'flow-widget-agent-reply');

    // Transfer to Sam, who is Available now and shows so in the dialog.
    await setStatus(sam, 'available');
    await alex.getByTestId('action-transfer').click();
    await alex.getByTestId('transfer-dialog').waitFor();
    await alex.getByTestId('transfer-refresh').click();
    const toSam = alex.getByTestId('transfer-agent-sam@parlour.example');
    await toSam.waitFor();
    await alex
      .getByTestId('transfer-dialog')
      .getByRole('img', { name: /^available/ })
      .first()
      .waitFor();
    // The search field filters queues and agents as Alex types (seed 004).
    const transferDialog = alex.getByTestId('transfer-dialog');
    await alex.getByTestId('transfer-group-Support').waitFor();
    await transferDialog.getByLabel('Search queues and agents').pressSequentially('sam');
    await expect.poll(async () => transferDialog.getByRole('radio').count()).toBe(1);
    expect(await alex.getByTestId('transfer-group-Support').count()).toBe(0);
    await alex.getByTestId('transfer-search').fill('bill');
    await alex.getByTestId('transfer-group-Billing').waitFor();
    expect(await toSam.count()).toBe(0);
    await alex.getByTestId('transfer-search').fill('Sam Agent');
    await toSam.check();
    await screenshot(alex, 'flow-agent-transfer');
    await alex.getByTestId('transfer-submit').click();
    await alex.getByTestId('transfer-dialog').waitFor({ state: 'detached' });

    // Sam is offered the chat and accepts; the customer sees Alex leave and Sam join.
    expect(await acceptOffer(sam)).toBe(ticketNumber);
    await customer.waitForSystemLine('Alex Agent left the chat');
    await customer.waitForSystemLine('Sam Agent joined the chat');
    await screenshot(customer.page, 'flow-widget-transfer');
    const samTranscript = sam.getByTestId('transcript');
    await samTranscript.getByTestId('message').filter({ hasText: EDITED }).waitFor();
    await samTranscript.getByTestId('message').filter({ hasText: GREETING }).waitFor();
    expect((await ticketOf(conversationId)).assigneeId).toBe(await userId('sam@parlour.example'));

    // Sam invites Alex to a conference; Alex joins from the invitation.
    await sam.getByTestId('action-conference').click();
    await sam.getByTestId('conference-dialog').waitFor();
    // Only agents not in the chat can be invited; the search narrows them.
    await sam.getByTestId('conference-agent-alex@parlour.example').waitFor();
    expect(await sam.getByTestId('conference-agent-sam@parlour.example').count()).toBe(0);
    await sam.getByTestId('conference-dialog').getByLabel('Search agents').fill('nobody');
    await sam.getByTestId('conference-dialog').getByText('Nothing matches').waitFor();
    await sam.getByTestId('conference-search').fill('alex');
    await sam.getByTestId('conference-agent-alex@parlour.example').check();
    await sam.getByTestId('conference-submit').click();
    await sam.getByTestId('conference-dialog').waitFor({ state: 'detached' });
    const invitation = alex.getByTestId('conference-invitations');
    await invitation.waitFor();
    await screenshot(alex, 'flow-agent-conference-invitation');
    await invitation.getByRole('button', { name: 'Join' }).click();
    await invitation.waitFor({ state: 'detached' });
    await alex
      .getByTestId('conversation-view')
      .filter({ hasText: `#${ticketNumber}` })
      .waitFor();
    await sam
      .getByTestId('conference-participants')
      .filter({ hasText: /Alex Agent \(joined\)/ })
      .waitFor();
    // Alex is a guest: the participants show who has the chat; no transfer, invite or end.
    await alex
      .getByTestId('conference-participants')
      .filter({ hasText: 'Sam Agent (has the chat), You (joined)' })
      .waitFor();
    for (const action of ['transfer', 'conference', 'end-session', 'end-chat'])
      expect(await alex.getByTestId(`action-${action}`).count(), action).toBe(0);
    expect(await alex.getByTestId('action-end-conference').textContent()).toBe('Leave conference');
    // The chat Alex joined is in Alex's lists, under Conferences.
    await alex.getByTestId('list-conferences').getByTestId(`ticket-item-${ticketNumber}`).waitFor();
    expect(await alex.getByTestId('list-mine').getByRole('button').count()).toBe(0);
    // The customer sees Alex join again (the conference), and both agents' messages.
    await customer.waitForSystemLine('Alex Agent joined the chat (conference)');
    const alexInput = alex.getByTestId('composer-input');
    await alexInput.fill('Hi again, I am in this chat too.');
    await alexInput.press('Enter');
    await customer.waitForMessage('agent', 'Hi again, I am in this chat too.');
    await samTranscript
      .getByTestId('message')
      .filter({ hasText: 'Hi again, I am in this chat too.' })
      .waitFor();
    const samInput = sam.getByTestId('composer-input');
    await samInput.fill('Your parcel left our warehouse this morning.');
    await samInput.press('Enter');
    await customer.waitForMessage('agent', 'Your parcel left our warehouse this morning.');
    await screenshot(sam, 'flow-agent-conference');
    await alex
      .getByTestId('transcript')
      .getByTestId('message')
      .filter({ hasText: 'Hi again, I am in this chat too.' })
      .waitFor();
    await screenshot(alex, 'flow-agent-conference-joined');
    await screenshot(customer.page, 'flow-widget-conference');
    // Each agent's messages carry their name, also on a reloaded page (the feed replays the joins).
    const authors = () =>
      customer.frame.$$eval('[data-testid="message"][data-author="agent"]', (els) =>
        els.map((e) => e.querySelector('.author')?.textContent ?? ''),
      );
    expect(await authors()).toEqual(['Alex Agent', 'Alex Agent', 'Sam Agent']);
    await customer.reload();
    await customer.waitForMessage('agent', 'Your parcel left our warehouse this morning.');
    expect(await authors()).toEqual(['Alex Agent', 'Alex Agent', 'Sam Agent']);
    await customer.waitForSystemLine('Alex Agent joined the chat (conference)');

    // Sam ends the chat with two wrap-up reasons.
    await sam.getByTestId('action-end-chat').click();
    await sam.getByTestId('wrap-up-dialog').waitFor();
    // The search filters the reasons; a reason chosen stays chosen while filtered out.
    await sam.getByTestId('wrap-up-dialog').getByLabel('Search wrap-up reasons').fill('follow');
    await expect
      .poll(async () => sam.getByTestId('wrap-up-dialog').getByRole('checkbox').count())
      .toBe(1);
    await sam.getByTestId('wrap-up-reason-Follow-up needed').check();
    await sam.getByTestId('wrap-up-search').fill('resol');
    await sam.getByTestId('wrap-up-reason-Resolved').check();
    await sam.getByTestId('wrap-up-chosen').filter({ hasText: 'Resolved' }).waitFor();
    expect(await sam.getByTestId('wrap-up-chosen').textContent()).toContain('Follow-up needed');
    await sam.getByTestId('wrap-up-search').fill('');
    await screenshot(sam, 'flow-agent-wrap-up');
    await sam.getByTestId('wrap-up-submit').click();
    await sam.getByTestId('wrap-up-dialog').waitFor({ state: 'detached' });
    await samTranscript
      .getByTestId('system-line')
      .filter({ hasText: 'The session was ended by the agent' })
      .waitFor();

    // The customer sees the session end; the "End chat" button is gone.
    await customer.waitForSystemLine('The agent ended the chat.');
    await customer.frame.waitForSelector('[data-testid="end-chat"]', { state: 'detached' });
    await screenshot(customer.page, 'flow-widget-chat-ended');

    const wrapUp = await flow.admin<{ name: string }[]>('GET', `/api/tickets/${ticket.id}/wrap-up`);
    expect(wrapUp.map((w) => w.name).sort()).toEqual(['Follow-up needed', 'Resolved']);
    expect(customer.errors).toEqual([]);
    await customer.close();
    await alex.context().close();
    await sam.context().close();
  }, 90_000);

  async function ticketOf(
    conversationId: string,
  ): Promise<{ id: string; number: number; assigneeId: string | null }> {
    const c = await flow.admin<{ ticketId: string }>('GET', `/api/conversations/${conversationId}`);
    return flow.admin('GET', `/api/tickets/${c.ticketId}`);
  }

  async function userId(email: string): Promise<string> {
    const agents = await flow.admin<{ id: string; email: string }[]>('GET', '/api/agents');
    return agents.find((a) => a.email === email)!.id;
  }
});
