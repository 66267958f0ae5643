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
const HANDED_OFF = 'An agent from our Support team will be with you shortly';

interface TicketRow {
  id: string;
  number: number;
  status: string;
  conversationId: string;
  requesterId: string;
}

/**
 * Seed 000's end-session flow in Chromium: agents may end messaging sessions; a customer hands
 * off through the bot (giving name and email), Alex accepts and replies, then ends the session.
 * The workspace's composer leaves messaging (email, as the email is known), the ticket keeps
 * its status, the customer sees the session end, and the customer's next message starts a new
 * conversation with the bot, whose handoff creates a second ticket. Needs a fresh `npm run build`.
 */
describe.skipIf(!hasChromium)('seed 000: an agent ends the messaging session, in Chromium', () => {
  let flow: FlowServer;
  let browser: Browser;

  beforeAll(async () => {
    flow = await startFlowServer();
    await flow.admin('PATCH', '/api/settings', { agentsMayEndSessions: true });
    browser = await launchBrowser();
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await flow?.t.close();
  });

  it('ends the session: the composer switches, the ticket stays, the next message opens a new ticket', async () => {
    const alex = await openAgent(browser, flow.url, 'alex@parlour.example');
    await setStatus(alex, 'available');

    // The customer asks the bot for a person and gives name and email.
    const customer = await CustomerPage.open(browser, flow.url);
    const firstConversation = await customer.conversationId();
    await customer.waitForMessage('bot', GREETING);
    await customer.pressQuickReply('Talk to a person');
    await customer.waitForMessage('bot', 'What is your name?');
    await customer.send('Lee Moreau');
    await customer.waitForMessage('bot', 'And your email address');
    flow.syncClock();
    await customer.send('lee@customer.example');
    await customer.waitForMessage('bot', HANDED_OFF);
    await customer.waitForSystemLine('Connecting you with a person…');

    // Alex accepts and replies; the customer sees both.
    await alex.getByTestId('offer-email').filter({ hasText: 'lee@customer.example' }).waitFor();
    const firstNumber = await acceptOffer(alex);
    await customer.waitForSystemLine('Alex Agent joined the chat');
    await alex.getByTestId('composer-channel-messaging').waitFor();
    expect(await alex.getByTestId('composer-channel-messaging').isChecked()).toBe(true);
    const input = alex.getByTestId('composer-input');
    await input.fill('Thanks Lee, I have all I need and will email you the invoice.');
    await input.press('Enter');
    await customer.waitForMessage('agent', 'I have all I need and will email you the invoice.');
    const first = await ticketOf(firstConversation);
    expect(first.number).toBe(firstNumber);
    expect(first.status).toBe('open');

    // Alex ends the session (no wrap-up): messaging goes away; email is the default, as
    // the customer's email is known; internal notes stay possible.
    await alex.getByTestId('action-end-session').click();
    await alex
      .getByTestId('transcript')
      .getByTestId('system-line')
      .filter({ hasText: 'The session was ended by the agent' })
      .waitFor();
    await alex.getByTestId('composer-channel-messaging').waitFor({ state: 'detached' });
    await expect
      .poll(async () => alex.getByTestId('composer-channel-email').isChecked())
      .toBe(true);
    expect(await alex.getByTestId('composer-channel-internal').count()).toBe(1);
    expect(await alex.getByTestId('action-end-session').isDisabled()).toBe(true);
    expect(await alex.getByTestId('conversation-error').count()).toBe(0);
    await screenshot(alex, 'flow-agent-session-ended-composer');

    // The ticket's status did not change; the conversation's session did.
    const after = await ticketOf(firstConversation);
    expect(after.status).toBe('open');
    const conversation = await flow.admin<{ session: { state: string; endReason: string } }>(
      'GET',
      `/api/conversations/${firstConversation}`,
    );
    expect(conversation.session).toMatchObject({ state: 'ended', endReason: 'ended_by_agent' });

    // The customer sees the session end, and no "End chat" any more.
    await customer.waitForSystemLine('The agent ended the chat.');
    await customer.frame.waitForSelector('[data-testid="end-chat"]', { state: 'detached' });
    await screenshot(customer.page, 'flow-widget-session-ended');

    // The customer writes again: a new conversation, the bot greets again.
    await customer.send('Sorry, one more question about my order');
    await customer.frame.waitForFunction((old) => {
      const id = document
        .querySelector('[data-testid="chat"]')
        ?.getAttribute('data-conversation-id');
      return Boolean(id) && id !== old;
    }, firstConversation);
    const secondConversation = await customer.conversationId();
    await customer.waitForMessage('bot', GREETING);
    expect(await customer.bodies('customer')).toEqual(['Sorry, one more question about my order']);
    expect(await customer.bodies('agent')).toEqual([]);
    await customer.frame.waitForSelector('[data-testid="quick-reply"]:text-is("Talk to a person")');
    await screenshot(customer.page, 'flow-widget-new-conversation');

    // Handoff again: the bot knows name and email now and hands off at once; a new ticket.
    flow.syncClock();
    await customer.pressQuickReply('Talk to a person');
    await customer.waitForMessage('bot', HANDED_OFF);
    await customer.waitForSystemLine('Connecting you with a person…');
    expect(await customer.bodies('bot')).not.toContain(
      'Happy to connect you with a person. What is your name?',
    );
    const second = await ticketOf(secondConversation);
    expect(second.id).not.toBe(first.id);
    const tickets = await flow.admin<{ items: TicketRow[] }>(
      'GET',
      `/api/tickets?requesterId=${first.requesterId}&status=new,open,pending,on_hold,solved,closed`,
    );
    expect(tickets.items.map((t) => t.id).sort()).toEqual([first.id, second.id].sort());
    expect(tickets.items.find((t) => t.id === first.id)?.status).toBe('open');

    // Alex is offered the new ticket and takes it; the contact history lists both.
    await alex.getByTestId('offer').filter({ hasText: 'Lee Moreau' }).waitFor();
    expect(await acceptOffer(alex)).toBe(second.number);
    await customer.waitForSystemLine('Alex Agent joined the chat');
    await alex.getByTestId('composer-channel-messaging').waitFor();
    await alex.getByTestId('contact-history').getByText('Contact history (2)').waitFor();
    await screenshot(alex, 'flow-agent-new-ticket');
    expect(customer.errors).toEqual([]);
    await customer.close();
    await alex.context().close();
  }, 90_000);

  async function ticketOf(conversationId: string): Promise<TicketRow> {
    const c = await flow.admin<{ ticketId: string }>('GET', `/api/conversations/${conversationId}`);
    return flow.admin('GET', `/api/tickets/${c.ticketId}`);
  }
});
