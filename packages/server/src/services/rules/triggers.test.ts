import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { availableStorageKinds } from '../../../../storage/src/testing/test-database.js';
import { startRulesBed, type RulesBed } from '../../testing/rules-bed.js';

const statusChangedTo = (value: string) => ({ field: 'status', operator: 'changed_to', value });
const tagsContain = (value: string) => ({ field: 'tags', operator: 'contains', value });

describe.each(availableStorageKinds())('triggers on %s', (kind) => {
  let bed: RulesBed;

  beforeAll(async () => {
    bed = await startRulesBed(kind);
  });
  afterAll(async () => bed.close());
  beforeEach(async () => bed.clearRules());

  const fired = async (ticketId: string) =>
    (await bed.history(ticketId))
      .filter((e) => e.type === 'rule.fired')
      .map((e) => (e.data as { name: string }).name);

  it('fires on a ticket update whose change matches, and records the firing in the history', async () => {
    await bed.trigger({
      name: 'Tag pending tickets',
      conditions: { all: [statusChangedTo('pending')], any: [] },
      actions: [{ type: 'add_tags', value: ['waiting-on-customer'] }],
    });
    const { ticket } = await bed.openTicket();
    const updated = await bed.patch(ticket.id, { assigneeId: bed.alex.id, status: 'pending' });
    expect(updated.tags).toContain('waiting-on-customer');
    expect(await fired(ticket.id)).toEqual(['Tag pending tickets']);
  });

  it('does not fire when the update does not change what the condition watches', async () => {
    await bed.trigger({
      name: 'Tag pending tickets',
      conditions: { all: [statusChangedTo('pending')], any: [] },
      actions: [{ type: 'add_tags', value: ['waiting-on-customer'] }],
    });
    const { ticket } = await bed.openTicket();
    const updated = await bed.patch(ticket.id, { priority: 'high' });
    expect(updated.tags).not.toContain('waiting-on-customer');
    expect(await fired(ticket.id)).toEqual([]);
  });

  it('fires on ticket creation (the handoff)', async () => {
    await bed.trigger({
      name: 'Urgent VIPs',
      conditions: {
        all: [{ field: 'update_type', operator: 'is', value: 'created' }, tagsContain('vip')],
        any: [],
      },
      actions: [{ type: 'set_priority', value: 'urgent' }],
    });
    const { ticket } = await bed.openTicket({ tags: ['vip'] });
    expect(ticket.priority).toBe('urgent');
  });

  it('starts again from the top after a firing changes the ticket, so an earlier trigger sees the change', async () => {
    await bed.trigger({
      name: 'First: escalate what is tagged b',
      conditions: { all: [tagsContain('b')], any: [] },
      actions: [{ type: 'set_priority', value: 'high' }],
    });
    await bed.trigger({
      name: 'Second: tag pending tickets b',
      conditions: { all: [statusChangedTo('pending')], any: [] },
      actions: [{ type: 'add_tags', value: ['b'] }],
    });
    const { ticket } = await bed.openTicket();
    const updated = await bed.patch(ticket.id, { assigneeId: bed.alex.id, status: 'pending' });
    expect(updated.priority).toBe('high');
    expect(await fired(ticket.id)).toEqual([
      'Second: tag pending tickets b',
      'First: escalate what is tagged b',
    ]);
  });

  it('fires each trigger at most once per update, so two triggers undoing each other still end', async () => {
    await bed.trigger({
      name: 'x to y',
      conditions: { all: [tagsContain('x')], any: [] },
      actions: [
        { type: 'remove_tags', value: ['x'] },
        { type: 'add_tags', value: ['y'] },
      ],
    });
    await bed.trigger({
      name: 'y to x',
      conditions: { all: [tagsContain('y')], any: [] },
      actions: [
        { type: 'remove_tags', value: ['y'] },
        { type: 'add_tags', value: ['x'] },
      ],
    });
    const { ticket } = await bed.openTicket();
    const updated = await bed.patch(ticket.id, { addTags: ['x'] });
    expect(updated.tags).toEqual(['x']);
    expect(await fired(ticket.id)).toEqual(['x to y', 'y to x']);
  });

  it('fires when any of the "any" conditions holds, and not when none does', async () => {
    await bed.trigger({
      name: 'Money matters go to Billing',
      conditions: {
        all: [],
        any: [
          { field: 'comment_text', operator: 'contains', value: 'refund' },
          { field: 'comment_text', operator: 'contains', value: 'invoice' },
        ],
      },
      actions: [{ type: 'set_group', value: bed.billingId }],
    });
    const first = await bed.openTicket();
    await bed.say(first.conversationId, first.visitor.token, 'Where is my INVOICE?');
    expect((await bed.ticket(first.ticket.id)).groupId).toBe(bed.billingId);
    const second = await bed.openTicket();
    await bed.say(second.conversationId, second.visitor.token, 'The app crashes');
    expect((await bed.ticket(second.ticket.id)).groupId).toBe(bed.supportId);
  });

  it('tells a public comment from an internal note', async () => {
    await bed.trigger({
      name: 'Notes flag the ticket',
      conditions: { all: [{ field: 'comment_kind', operator: 'is', value: 'internal' }], any: [] },
      actions: [{ type: 'add_tags', value: ['discussed'] }],
    });
    const { ticket, conversationId, visitor } = await bed.openTicket();
    await bed.say(conversationId, visitor.token, 'A public message');
    expect((await bed.ticket(ticket.id)).tags).not.toContain('discussed');
    const note = await bed.api.call('POST', `/api/conversations/${conversationId}/messages`, {
      token: bed.alex.token,
      body: { body: 'Checking with the warehouse', kind: 'internal' },
    });
    expect(note.status).toBe(201);
    expect((await bed.ticket(ticket.id)).tags).toContain('discussed');
  });

  it('adds an internal note that the agent sees and the customer does not', async () => {
    await bed.trigger({
      name: 'Remind about VIPs',
      conditions: {
        all: [{ field: 'update_type', operator: 'is', value: 'created' }, tagsContain('vip')],
        any: [],
      },
      actions: [{ type: 'add_note', body: 'VIP customer: answer within 5 minutes' }],
    });
    const { conversationId, visitor } = await bed.openTicket({ tags: ['vip'] });
    const staff = await bed.feed(conversationId);
    const note = staff.find(
      (e) => e.event.type === 'message.created' && e.event.message.body.startsWith('VIP customer'),
    );
    expect(note?.event).toMatchObject({ message: { kind: 'internal', authorType: 'system' } });
    const customer = await bed.feed(conversationId, visitor.token);
    expect(
      customer.some(
        (e) => e.event.type === 'message.created' && e.event.message.body.startsWith('VIP'),
      ),
    ).toBe(false);
  });

  it('sends a message to the requester by messaging while the session is active', async () => {
    await bed.trigger({
      name: 'Greet on handoff',
      conditions: { all: [{ field: 'update_type', operator: 'is', value: 'created' }], any: [] },
      actions: [{ type: 'send_message', body: 'Thanks! An agent will be with you shortly.' }],
    });
    const { conversationId, visitor } = await bed.openTicket();
    const customer = await bed.feed(conversationId, visitor.token);
    const greeting = customer.find(
      (e) => e.event.type === 'message.created' && e.event.message.body.startsWith('Thanks!'),
    );
    expect(greeting?.event).toMatchObject({ message: { kind: 'public', channel: 'messaging' } });
  });

  it('sends the message by email once the session has ended', async () => {
    await bed.trigger({
      name: 'Follow up by email when solved',
      conditions: { all: [statusChangedTo('solved')], any: [] },
      actions: [{ type: 'send_message', body: 'Your request is solved.' }],
    });
    const { ticket, conversationId } = await bed.openTicket({ visitor: await bed.knownVisitor() });
    const ended = await bed.api.call('POST', `/api/conversations/${conversationId}/end-session`, {
      token: bed.alex.token,
      body: { reason: 'ended_by_agent' },
    });
    expect(ended.status).toBe(200);
    await bed.patch(ticket.id, { assigneeId: bed.alex.id, status: 'solved' });
    const sent = (await bed.feed(conversationId)).find(
      (e) =>
        e.event.type === 'message.created' && e.event.message.body === 'Your request is solved.',
    );
    expect(sent?.event).toMatchObject({ message: { kind: 'public', channel: 'email' } });
    const queued = await bed.t.server.database.db
      .selectFrom('outbound_emails')
      .selectAll()
      .where('ticket_id', '=', ticket.id)
      .execute();
    expect(queued.map((q) => q.text_body)).toContain('Your request is solved.');
  });

  it('records an action that could not apply, and still applies the others', async () => {
    await bed.trigger({
      name: 'Solve and tag',
      conditions: { all: [{ field: 'priority', operator: 'changed_to', value: 'low' }], any: [] },
      // Nobody is assigned: Solved needs an assignee, so that action fails.
      actions: [
        { type: 'set_status', value: 'solved' },
        { type: 'add_tags', value: ['low-priority'] },
      ],
    });
    const { ticket } = await bed.openTicket();
    const updated = await bed.patch(ticket.id, { priority: 'low' });
    expect(updated.status).toBe('new');
    expect(updated.tags).toContain('low-priority');
    const failure = (await bed.history(ticket.id)).find((e) => e.type === 'rule.action_failed');
    expect(failure?.data).toMatchObject({ name: 'Solve and tag', action: 'set_status' });
  });

  describe('after the messaging session ended', () => {
    it('skips messaging triggers but still runs ticket triggers', async () => {
      await bed.trigger({
        name: 'Messaging: tag priority changes',
        scope: 'messaging',
        conditions: { all: [{ field: 'priority', operator: 'changed' }], any: [] },
        actions: [{ type: 'add_tags', value: ['messaging-trigger'] }],
      });
      await bed.trigger({
        name: 'Ticket: tag priority changes',
        conditions: { all: [{ field: 'priority', operator: 'changed' }], any: [] },
        actions: [{ type: 'add_tags', value: ['ticket-trigger'] }],
      });
      const { ticket, conversationId } = await bed.openTicket();
      const during = await bed.patch(ticket.id, { priority: 'high' });
      expect(during.tags).toEqual(expect.arrayContaining(['messaging-trigger', 'ticket-trigger']));
      await bed.patch(ticket.id, { removeTags: ['messaging-trigger', 'ticket-trigger'] });
      await bed.api.call('POST', `/api/conversations/${conversationId}/end-session`, {
        token: bed.alex.token,
        body: { reason: 'ended_by_agent' },
      });
      const after = await bed.patch(ticket.id, { priority: 'urgent' });
      expect(after.tags).toEqual(['ticket-trigger']);
    });

    it('fires "session end reason changed to ended by agent" with "channel is messaging"', async () => {
      await bed.trigger({
        name: 'Agent ended the chat: hand to Billing',
        conditions: {
          all: [
            { field: 'session_end_reason', operator: 'changed_to', value: 'ended_by_agent' },
            { field: 'channel', operator: 'is', value: 'messaging' },
          ],
          any: [],
        },
        actions: [{ type: 'set_group', value: bed.billingId }],
      });
      const { ticket, conversationId } = await bed.openTicket();
      await bed.api.call('POST', `/api/conversations/${conversationId}/end-session`, {
        token: bed.alex.token,
        body: { reason: 'ended_by_agent' },
      });
      const after = await bed.ticket(ticket.id);
      expect(after.groupId).toBe(bed.billingId);
      expect(after.status).toBe('new');
      expect(await fired(ticket.id)).toEqual(['Agent ended the chat: hand to Billing']);
    });

    it('does not fire that trigger when the customer left instead', async () => {
      await bed.trigger({
        name: 'Agent ended the chat',
        conditions: {
          all: [{ field: 'session_end_reason', operator: 'changed_to', value: 'ended_by_agent' }],
          any: [],
        },
        actions: [{ type: 'add_tags', value: ['ended-by-agent'] }],
      });
      const { ticket, conversationId, visitor } = await bed.openTicket();
      await bed.api.call('POST', `/api/conversations/${conversationId}/end-session`, {
        token: visitor.token,
        body: { reason: 'customer_left' },
      });
      expect((await bed.ticket(ticket.id)).tags).not.toContain('ended-by-agent');
    });
  });

  describe('a webhook action', () => {
    it('never blocks the ticket update, even when the endpoint is down', async () => {
      await bed.trigger({
        name: 'Tell the CRM',
        conditions: {
          all: [{ field: 'priority', operator: 'changed_to', value: 'urgent' }],
          any: [],
        },
        actions: [{ type: 'webhook', url: 'http://127.0.0.1:9/unreachable' }],
      });
      const { ticket } = await bed.openTicket();
      const updated = await bed.patch(ticket.id, { priority: 'urgent' });
      expect(updated.priority).toBe('urgent');
      const deliveries = await bed.t.server.database.db
        .selectFrom('webhook_deliveries')
        .select(['url', 'status'])
        .where('ticket_id', '=', ticket.id)
        .execute();
      expect(deliveries).toEqual([{ url: 'http://127.0.0.1:9/unreachable', status: 'pending' }]);
    });
  });

  describe('when saved', () => {
    const save = (body: unknown) =>
      bed.api.call('POST', '/api/triggers', { token: bed.admin, body });
    const base = { name: 'A trigger', actions: [{ type: 'add_tags', value: ['t'] }] };

    it('refuses an unknown field and names it', async () => {
      const r = await save({
        ...base,
        conditions: { all: [{ field: 'mood', operator: 'is', value: 'x' }], any: [] },
      });
      expect(r.status).toBe(400);
      expect(r.body.error.field).toBe('conditions.all.0.field');
      expect(r.body.error.message).toContain('mood');
    });

    it('refuses an operator that does not fit the field', async () => {
      const r = await save({
        ...base,
        conditions: {
          all: [{ field: 'status', operator: 'greater_than', value: 'open' }],
          any: [],
        },
      });
      expect(r.status).toBe(400);
      expect(r.body.error.field).toBe('conditions.all.0.operator');
    });

    it('refuses a group that does not exist', async () => {
      const r = await save({
        ...base,
        conditions: { all: [statusChangedTo('open')], any: [] },
        actions: [{ type: 'set_group', value: '00000000-0000-7000-8000-000000000000' }],
      });
      expect(r.status).toBe(404);
      expect(r.body.error.field).toBe('actions.0.value');
    });

    it('is for admins only', async () => {
      const r = await bed.api.call('POST', '/api/triggers', {
        token: bed.alex.token,
        body: { ...base, conditions: { all: [statusChangedTo('open')], any: [] } },
      });
      expect(r.status).toBe(403);
    });

    it('keeps the order an admin sets', async () => {
      const a = await bed.trigger({
        ...base,
        name: 'a',
        conditions: { all: [statusChangedTo('open')], any: [] },
      });
      const b = await bed.trigger({
        ...base,
        name: 'b',
        conditions: { all: [statusChangedTo('open')], any: [] },
      });
      const r = await bed.api.call('PUT', '/api/triggers/order', {
        token: bed.admin,
        body: { ids: [b.id, a.id] },
      });
      expect(r.status).toBe(200);
      expect((r.body as { name: string }[]).map((t) => t.name)).toEqual(['b', 'a']);
    });
  });

  describe('a dry run', () => {
    it('says which triggers would fire, in which order, and why the others would not, changing nothing', async () => {
      await bed.trigger({
        name: 'Pending tag',
        conditions: { all: [statusChangedTo('pending')], any: [] },
        actions: [{ type: 'add_tags', value: ['p'] }],
      });
      await bed.trigger({
        name: 'Urgent only',
        conditions: { all: [{ field: 'priority', operator: 'is', value: 'urgent' }], any: [] },
        actions: [{ type: 'add_tags', value: ['u'] }],
      });
      const { ticket } = await bed.openTicket();
      await bed.patch(ticket.id, { assigneeId: bed.alex.id });
      const r = await bed.api.call('POST', '/api/triggers/dry-run', {
        token: bed.admin,
        body: { ticketId: ticket.id, change: { status: 'pending' } },
      });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      const outcomes = r.body.triggers as { name: string; outcome: string; detail: string[] }[];
      const last = (name: string) => outcomes.filter((o) => o.name === name).at(-1);
      expect(last('Pending tag')?.outcome).toBe('fired');
      expect(last('Urgent only')?.outcome).toBe('not_matched');
      expect(last('Urgent only')?.detail.join()).toContain('fails: priority is');
      expect((await bed.ticket(ticket.id)).status).toBe('open');
    });

    it('says why an inactive trigger and a messaging trigger without a live session did not fire', async () => {
      await bed.trigger({
        name: 'Switched off',
        active: false,
        conditions: { all: [statusChangedTo('pending')], any: [] },
        actions: [{ type: 'add_tags', value: ['off'] }],
      });
      await bed.trigger({
        name: 'Chat only',
        scope: 'messaging',
        conditions: { all: [statusChangedTo('pending')], any: [] },
        actions: [{ type: 'add_tags', value: ['chat'] }],
      });
      const { ticket, conversationId, visitor } = await bed.openTicket();
      await bed.patch(ticket.id, { assigneeId: bed.alex.id });
      const ended = await bed.api.call('POST', `/api/conversations/${conversationId}/end-session`, {
        token: visitor.token,
        body: { reason: 'customer_left' },
      });
      expect(ended.status, JSON.stringify(ended.body)).toBeLessThan(300);
      const r = await bed.api.call('POST', '/api/triggers/dry-run', {
        token: bed.admin,
        body: { ticketId: ticket.id, change: { status: 'pending' } },
      });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      const outcomes = r.body.triggers as { name: string; outcome: string; detail: string[] }[];
      expect(outcomes.find((o) => o.name === 'Switched off')).toMatchObject({
        outcome: 'inactive',
        detail: ['the trigger is inactive'],
      });
      expect(outcomes.find((o) => o.name === 'Chat only')).toMatchObject({
        outcome: 'skipped_session_ended',
        detail: ['a messaging trigger: the ticket has no active messaging session'],
      });
    });
  });
});
