import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { availableStorageKinds } from '../../../../storage/src/testing/test-database.js';
import { startRulesBed, type Opened, type RulesBed } from '../../testing/rules-bed.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MINUTE = 60_000;

describe.each(availableStorageKinds())('conversation styles (seed 001) on %s', (kind) => {
  let bed: RulesBed;

  beforeAll(async () => {
    bed = await startRulesBed(kind);
  });
  afterAll(async () => bed.close());
  beforeEach(async () => bed.clearRules());

  async function apply(body: Record<string, unknown>) {
    const r = await bed.api.call('PUT', '/api/conversation-style', { token: bed.admin, body });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body as {
      style: string;
      rules: { kind: string; name: string; active: boolean; change: string }[];
    };
  }

  /** Alex takes the chat, answers, and solves it. */
  async function solvedChat(): Promise<Opened> {
    const opened = await bed.openTicket();
    await bed.patch(opened.ticket.id, { assigneeId: bed.alex.id });
    await bed.say(opened.conversationId, bed.alex.token, 'Your parcel left the warehouse today.');
    await bed.patch(opened.ticket.id, { status: 'solved' });
    return opened;
  }

  /** The customer writes in the widget: the same conversation while it is open, else a new one. */
  async function widget(opened: Opened, body: string) {
    const r = await bed.api.call('POST', '/api/widget/messages', {
      token: opened.visitor.token,
      body: { body },
    });
    expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
    return r.body as { conversationId: string; started: boolean };
  }

  it('live chat: a solved chat closes at once, and the returning customer starts a new conversation', async () => {
    const applied = await apply({ style: 'live_chat' });
    expect(applied.rules).toEqual([
      expect.objectContaining({ kind: 'trigger', active: true, change: 'created' }),
    ]);
    const opened = await solvedChat();
    expect((await bed.ticket(opened.ticket.id)).status).toBe('closed');
    const again = await widget(opened, 'One more question');
    expect(again.started).toBe(true);
    expect(again.conversationId).not.toBe(opened.conversationId);
  });

  it('live chat with a returning customer: a reply before the delay reopens the ticket with the same agent', async () => {
    await apply({ style: 'live_chat_returning', closeAfterHours: 2 });
    const opened = await solvedChat();
    await bed.jump(HOUR);
    const reply = await widget(opened, 'Actually, it has not arrived');
    expect(reply.conversationId).toBe(opened.conversationId);
    const reopened = await bed.ticket(opened.ticket.id);
    expect(reopened).toMatchObject({ status: 'open', assigneeId: bed.alex.id });
  });

  it('live chat with a returning customer: the ticket closes after the delay, then a reply starts a new one', async () => {
    await apply({ style: 'live_chat_returning', closeAfterHours: 2 });
    const opened = await solvedChat();
    await bed.jump(HOUR + 59 * MINUTE);
    expect((await bed.ticket(opened.ticket.id)).status).toBe('solved');
    await bed.jump(2 * MINUTE);
    expect((await bed.ticket(opened.ticket.id)).status).toBe('closed');
    const again = await widget(opened, 'Hello again');
    expect(again.started).toBe(true);
  });

  it('social messaging: a reply within 4 days reopens the same ticket; otherwise it closes after 4 days', async () => {
    const applied = await apply({ style: 'social_messaging' });
    expect(applied.rules.filter((r) => r.active).map((r) => r.kind)).toEqual([
      'automation',
      'automation',
    ]);
    const opened = await solvedChat();
    await bed.jump(3 * DAY);
    await widget(opened, 'Following up on this');
    expect(await bed.ticket(opened.ticket.id)).toMatchObject({
      status: 'open',
      assigneeId: bed.alex.id,
    });
    await bed.patch(opened.ticket.id, { status: 'solved' });
    await bed.jump(4 * DAY - MINUTE);
    expect((await bed.ticket(opened.ticket.id)).status).toBe('solved');
    await bed.jump(2 * MINUTE);
    expect((await bed.ticket(opened.ticket.id)).status).toBe('closed');
    expect((await widget(opened, 'New topic')).started).toBe(true);
  });

  it('social messaging never keeps a solved ticket beyond 28 days', async () => {
    const r = await bed.api.call('PUT', '/api/conversation-style', {
      token: bed.admin,
      body: { style: 'social_messaging', closeAfterHours: 40 * 24 },
    });
    expect(r.status).toBe(400);
    await apply({ style: 'social_messaging', closeAfterHours: 28 * 24 });
    const opened = await solvedChat();
    await bed.jump(28 * DAY + MINUTE);
    expect((await bed.ticket(opened.ticket.id)).status).toBe('closed');
  });

  it('applying another style deactivates the rules of the one before, visibly', async () => {
    await apply({ style: 'live_chat' });
    const applied = await apply({ style: 'social_messaging' });
    expect(applied.rules).toContainEqual(
      expect.objectContaining({ kind: 'trigger', active: false, change: 'deactivated' }),
    );
    const opened = await solvedChat();
    expect((await bed.ticket(opened.ticket.id)).status).toBe('solved');
    const current = await bed.api.call('GET', '/api/conversation-style', { token: bed.admin });
    expect(current.body.style).toBe('social_messaging');
  });

  it('applying the same style again updates its rules instead of adding more', async () => {
    await apply({ style: 'live_chat_returning', closeAfterHours: 2 });
    const again = await apply({ style: 'live_chat_returning', closeAfterHours: 5 });
    expect(again.rules.filter((r) => r.active)).toEqual([
      expect.objectContaining({ change: 'updated', name: expect.stringContaining('5 hours') }),
    ]);
    const automations = await bed.api.call<unknown[]>('GET', '/api/automations', {
      token: bed.admin,
    });
    expect(automations.body).toHaveLength(1);
  });
});
