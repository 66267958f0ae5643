import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { availableStorageKinds } from '../../../../storage/src/testing/test-database.js';
import { startRulesBed, type RulesBed } from '../../testing/rules-bed.js';

/** Seeds 000 and 002: an agent ends the messaging session; what follows, and the CSAT recipe. */
describe.each(availableStorageKinds())('ending a messaging session on %s', (kind) => {
  let bed: RulesBed;

  beforeAll(async () => {
    bed = await startRulesBed(kind);
  });
  afterAll(async () => bed.close());
  beforeEach(async () => bed.clearRules());

  const endSession = (conversationId: string, body: Record<string, unknown> = {}) =>
    bed.api.call('POST', `/api/conversations/${conversationId}/end-session`, {
      token: bed.alex.token,
      body: { reason: 'ended_by_agent', ...body },
    });
  const conversation = async (id: string) =>
    (await bed.api.call('GET', `/api/conversations/${id}`, { token: bed.alex.token })).body;

  it("tells the agent's composer to start on messaging while the session is active", async () => {
    const { conversationId } = await bed.openTicket({ visitor: await bed.knownVisitor() });
    expect((await conversation(conversationId)).composer).toEqual({
      available: ['messaging', 'email', 'internal'],
      default: 'messaging',
    });
  });

  it('switches the composer to a public email reply when the email is known', async () => {
    const { conversationId } = await bed.openTicket({ visitor: await bed.knownVisitor() });
    const ended = await endSession(conversationId);
    expect(ended.status).toBe(200);
    expect(ended.body.composer).toEqual({ available: ['email', 'internal'], default: 'email' });
    expect((await conversation(conversationId)).composer.default).toBe('email');
  });

  it('switches the composer to an internal note when the email is unknown', async () => {
    const { conversationId } = await bed.openTicket();
    await endSession(conversationId);
    expect((await conversation(conversationId)).composer).toEqual({
      available: ['internal'],
      default: 'internal',
    });
  });

  it('does not show the customer the composer', async () => {
    const { conversationId, visitor } = await bed.openTicket();
    const seen = await bed.api.call('GET', `/api/conversations/${conversationId}`, {
      token: visitor.token,
    });
    expect(seen.body.composer).toBeUndefined();
  });

  it('offers a shared macro with standard text to tell the customer first', async () => {
    const macros = await bed.api.call<
      { title: string; body: string | null; ownerId: string | null }[]
    >('GET', '/api/macros', { token: bed.alex.token });
    const macro = macros.body.find((m) => /session/i.test(m.title));
    expect(macro?.body).toMatch(/new conversation/i);
  });

  it('ends the chat with one or more wrap-up reasons, stored on the ticket', async () => {
    const reasons: string[] = [];
    for (const name of [`Resolved ${kind}`, `Upsell ${kind}`]) {
      const r = await bed.api.call('POST', '/api/wrap-up-reasons', {
        token: bed.admin,
        body: { name },
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      reasons.push(r.body.id as string);
    }
    const { ticket, conversationId } = await bed.openTicket();
    await bed.patch(ticket.id, { assigneeId: bed.alex.id });
    const ended = await endSession(conversationId, { wrapUpReasonIds: reasons });
    expect(ended.status, JSON.stringify(ended.body)).toBe(200);
    const wrapUp = (await bed.history(ticket.id)).find((e) => e.type === 'ticket.wrapped_up');
    expect(wrapUp?.data).toMatchObject({ reasonIds: reasons });
  });

  it('ends nothing when a wrap-up reason is unknown', async () => {
    const { conversationId } = await bed.openTicket();
    const ended = await endSession(conversationId, {
      wrapUpReasonIds: ['00000000-0000-7000-8000-000000000000'],
    });
    expect(ended.status).toBeGreaterThanOrEqual(400);
    expect((await conversation(conversationId)).session.state).toBe('active');
  });

  describe('the recipe: send a CSAT survey when an agent ends the session', () => {
    beforeEach(async () => {
      await bed.trigger({
        name: 'CSAT when the agent ends the session',
        conditions: {
          all: [
            { field: 'session_end_reason', operator: 'changed_to', value: 'ended_by_agent' },
            { field: 'channel', operator: 'is', value: 'messaging' },
          ],
          any: [],
        },
        actions: [{ type: 'send_csat' }],
      });
    });

    it('emails the customer a survey link, and their answer is stored on the ticket', async () => {
      const { ticket, conversationId } = await bed.openTicket({
        visitor: await bed.knownVisitor('rate-me@customer.example'),
      });
      await bed.patch(ticket.id, { assigneeId: bed.alex.id });
      expect((await endSession(conversationId)).status).toBe(200);
      const emails = await bed.t.server.database.db
        .selectFrom('outbound_emails')
        .selectAll()
        .where('ticket_id', '=', ticket.id)
        .where('kind', '=', 'csat')
        .execute();
      expect(emails).toHaveLength(1);
      expect(emails[0]!.to_address).toBe('rate-me@customer.example');
      const token = /\/csat\/([A-Za-z0-9_-]+)/.exec(emails[0]!.text_body)?.[1];
      expect(token).toBeDefined();
      const answered = await bed.api.call('POST', `/api/csat/${token}`, {
        body: { rating: 'good', comment: 'Quick and friendly' },
      });
      expect(answered.status, JSON.stringify(answered.body)).toBeLessThan(300);
      const events = await bed.history(ticket.id);
      expect(events.map((e) => e.type)).toEqual(
        expect.arrayContaining(['session.ended', 'rule.fired', 'csat.sent', 'csat.answered']),
      );
      expect(events.find((e) => e.type === 'csat.answered')?.data).toMatchObject({
        rating: 'good',
        comment: 'Quick and friendly',
      });
    });

    it('does not send it when the customer left instead', async () => {
      const { ticket, conversationId, visitor } = await bed.openTicket({
        visitor: await bed.knownVisitor(),
      });
      await bed.api.call('POST', `/api/conversations/${conversationId}/end-session`, {
        token: visitor.token,
        body: { reason: 'customer_left' },
      });
      expect((await bed.history(ticket.id)).some((e) => e.type === 'csat.sent')).toBe(false);
    });
  });
});
