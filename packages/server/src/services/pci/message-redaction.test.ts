import type { FeedEntry } from '@parlour/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { availableStorageKinds } from '../../../../storage/src/testing/test-database.js';
import { startRulesBed, type RulesBed } from '../../testing/rules-bed.js';

const VISA = '4111 1111 1111 1111';
const MASTERCARD = '5555-5555-5555-4444';

/** Seed 004: card data is masked (or the message dropped) before it is stored or delivered. */
describe.each(availableStorageKinds())('card data in messages on %s', (kind) => {
  let bed: RulesBed;

  beforeAll(async () => {
    bed = await startRulesBed(kind);
  });
  afterAll(async () => bed.close());
  afterEach(async () => settings({ pciMode: 'redact', pciMask: 'last4' }));

  async function settings(body: Record<string, unknown>) {
    const r = await bed.api.call('PATCH', '/api/settings', { token: bed.admin, body });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
  }
  const post = (conversationId: string, token: string, body: string, kind = 'public') =>
    bed.api.call('POST', `/api/conversations/${conversationId}/messages`, {
      token,
      body: { body, kind },
    });
  const redactionsIn = (entries: FeedEntry[]) =>
    entries.filter((e) => e.event.type === 'content.redacted').map((e) => e.event);

  it('masks a card number in a customer message, keeping only the last four digits', async () => {
    const opened = await bed.openTicket();
    const r = await post(opened.conversationId, opened.visitor.token, `my card is ${VISA} thanks`);
    expect(r.status).toBe(201);
    expect(r.body.message.body).not.toContain(VISA);
    expect(r.body.message.body).not.toMatch(/4111\D?1111\D?1111/);
    expect(r.body.message.body).toMatch(/^my card is [*\s]+1111 thanks$/);
    const feed = await bed.feed(opened.conversationId);
    expect(JSON.stringify(feed)).not.toContain('4111');
  });

  it('records in the ticket history how many items of which kind were masked, without the data', async () => {
    const opened = await bed.openTicket();
    await post(opened.conversationId, opened.visitor.token, `${VISA} and ${MASTERCARD}`);
    const events = (await bed.history(opened.ticket.id)).filter(
      (e) => e.type === 'content.redacted',
    );
    expect(events).toHaveLength(1);
    expect(events[0]!.data).toMatchObject({
      source: 'message',
      action: 'masked',
      counts: { card_number: 2 },
    });
    expect(JSON.stringify(events)).not.toMatch(/4111|5555/);
  });

  it('tells staff in the conversation feed what was masked, and not the customer', async () => {
    const opened = await bed.openTicket();
    await post(opened.conversationId, opened.visitor.token, `card ${VISA}`);
    expect(redactionsIn(await bed.feed(opened.conversationId))).toEqual([
      expect.objectContaining({ source: 'message', action: 'masked', authorType: 'end_user' }),
    ]);
    expect(redactionsIn(await bed.feed(opened.conversationId, opened.visitor.token))).toEqual([]);
  });

  it('shows the first six and last four digits when the admin chose that mask', async () => {
    await settings({ pciMask: 'first6_last4' });
    const opened = await bed.openTicket();
    const r = await post(opened.conversationId, opened.visitor.token, VISA);
    expect(r.body.message.body.replace(/\D/g, '')).toBe('4111111111');
    expect(r.body.message.body.startsWith('4111 11')).toBe(true);
  });

  it('drops the whole message in drop mode and tells the sender it was removed and why', async () => {
    await settings({ pciMode: 'drop' });
    const opened = await bed.openTicket();
    const before = await bed.feed(opened.conversationId);
    const r = await post(opened.conversationId, opened.visitor.token, `pay with ${VISA} please`);
    expect(r.status).toBe(422);
    expect(r.body.error).toMatchObject({ code: 'content/card-data', field: 'body' });
    expect(r.body.error.message).toMatch(/removed.*1 card number/);
    const after = await bed.feed(opened.conversationId);
    const added = after.slice(before.length);
    expect(added.map((e) => e.event.type)).toEqual(['content.redacted']);
    expect(added[0]!.event).toMatchObject({ action: 'dropped', counts: { card_number: 1 } });
    expect(JSON.stringify(after)).not.toContain('pay with');
    const history = await bed.history(opened.ticket.id);
    expect(history.filter((e) => e.type === 'content.redacted')[0]!.data).toMatchObject({
      action: 'dropped',
    });
  });

  it('keeps agents from sending card data to the customer', async () => {
    const opened = await bed.openTicket();
    const r = await post(opened.conversationId, bed.alex.token, `Is it ${MASTERCARD}?`);
    expect(r.status).toBe(201);
    expect(r.body.message.body).toMatch(/^Is it [*-]+4444\?$/);
  });

  it('masks card data in internal notes and records them as such', async () => {
    const opened = await bed.openTicket();
    const r = await post(
      opened.conversationId,
      bed.alex.token,
      `customer said ${VISA}`,
      'internal',
    );
    expect(r.status).toBe(201);
    expect(r.body.message.body).not.toContain(VISA);
    const events = (await bed.history(opened.ticket.id)).filter(
      (e) => e.type === 'content.redacted',
    );
    expect(events[0]!.data).toMatchObject({ source: 'internal_note', action: 'masked' });
  });

  it('leaves a message without card data untouched and records nothing', async () => {
    const opened = await bed.openTicket();
    const text = 'Order 123456 shipped, call +49 30 1234 5678 on 12/05/2026';
    const r = await post(opened.conversationId, opened.visitor.token, text);
    expect(r.body.message.body).toBe(text);
    expect(redactionsIn(await bed.feed(opened.conversationId))).toEqual([]);
  });
});
