import { SignJWT } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { availableStorageKinds } from '../../../../storage/src/testing/test-database.js';
import { startRulesBed, type RulesBed } from '../../testing/rules-bed.js';

const VISA = '4111 1111 1111 1111';

/** Seed 004: card data never reaches ticket fields, profiles or configuration either. */
describe.each(availableStorageKinds())('card data in fields on %s', (kind) => {
  let bed: RulesBed;

  beforeAll(async () => {
    bed = await startRulesBed(kind);
  });
  afterAll(async () => bed.close());
  afterEach(async () => settings({ pciMode: 'redact' }));

  async function settings(body: Record<string, unknown>) {
    const r = await bed.api.call('PATCH', '/api/settings', { token: bed.admin, body });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
  }
  const patchTicket = (ticketId: string, body: Record<string, unknown>) =>
    bed.api.call('PATCH', `/api/tickets/${ticketId}`, { token: bed.alex.token, body });

  it('masks card data in a ticket subject and records it in the history', async () => {
    const { ticket } = await bed.openTicket();
    const r = await patchTicket(ticket.id, { subject: `Refund to ${VISA}` });
    expect(r.status).toBe(200);
    expect(r.body.subject).toMatch(/^Refund to [*\s]+1111$/);
    const events = (await bed.history(ticket.id)).filter((e) => e.type === 'content.redacted');
    expect(events.map((e) => e.data)).toEqual([
      expect.objectContaining({
        source: 'ticket_field',
        action: 'masked',
        counts: { card_number: 1 },
      }),
    ]);
  });

  it('refuses a subject with card data in drop mode and changes nothing', async () => {
    await settings({ pciMode: 'drop' });
    const { ticket } = await bed.openTicket();
    const r = await patchTicket(ticket.id, { subject: `Refund to ${VISA}`, priority: 'high' });
    expect(r.status).toBe(422);
    expect(r.body.error).toMatchObject({ code: 'content/card-data', field: 'subject' });
    expect(r.body.error.message).not.toMatch(/4111/);
    expect((await bed.ticket(ticket.id)).priority).toBe('normal');
  });

  it('refuses a tag that is a card number, without echoing it', async () => {
    const { ticket } = await bed.openTicket();
    const r = await patchTicket(ticket.id, { addTags: ['4111-1111-1111-1111'] });
    expect(r.status).toBe(422);
    expect(r.body.error.field).toBe('addTags');
    expect(JSON.stringify(r.body)).not.toContain('4111');
    expect((await bed.ticket(ticket.id)).tags).toEqual([]);
  });

  it('masks card data in the subject a handoff gives the new ticket', async () => {
    const visitor = await bed.api.visitor();
    const started = await bed.api.call('POST', '/api/conversations', {
      token: visitor.token,
      body: { body: 'hi' },
    });
    const handoff = await bed.api.call(
      'POST',
      `/api/conversations/${started.body.conversation.id}/handoff`,
      { token: visitor.token, body: { groupId: bed.supportId, subject: `card ${VISA}` } },
    );
    expect(handoff.status).toBe(201);
    expect(handoff.body.subject).not.toContain(VISA);
    const events = (await bed.history(handoff.body.id)).filter(
      (e) => e.type === 'content.redacted',
    );
    expect(events).toHaveLength(1);
  });

  it("masks card data in the name the company's identity token gives a visitor", async () => {
    const now = Math.floor(bed.clock.now().getTime() / 1000);
    const jwt = await new SignJWT({ external_id: 'cardholder-1', name: `Cora ${VISA}` })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt(now)
      .setExpirationTime(now + 3600)
      .sign(new TextEncoder().encode('rules-bed-secret-of-at-least-32-characters!'));
    const r = await bed.api.call('POST', '/api/widget/session', { body: { jwt } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.endUser.name).toMatch(/^Cora [*\s]+1111$/);
  });

  it('masks card data in configuration an admin saves, such as a predefined response', async () => {
    const r = await bed.api.call('POST', '/api/responses', {
      token: bed.admin,
      body: { title: 'Card on file', body: `We have ${VISA} on file` },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(JSON.stringify(r.body)).not.toContain(VISA);
  });

  it('refuses configuration with card data in drop mode, naming the field', async () => {
    await settings({ pciMode: 'drop' });
    const r = await bed.api.call('POST', '/api/responses', {
      token: bed.admin,
      body: { title: 'Card on file', body: `We have ${VISA} on file` },
    });
    expect(r.status).toBe(422);
    expect(r.body.error).toMatchObject({ code: 'content/card-data', field: 'body' });
  });

  it('leaves passwords exactly as typed, whatever digits they hold', async () => {
    const password = `pw-${VISA.replace(/ /g, '')}`;
    const created = await bed.api.call('POST', '/api/users', {
      token: bed.admin,
      body: { role: 'agent', email: 'digits@parlour.example', name: 'Digits', password },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(await bed.api.login('digits@parlour.example', password)).toBeTruthy();
  });
});
