import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { availableStorageKinds } from '../../../../storage/src/testing/test-database.js';
import { startRulesBed, type RulesBed } from '../../testing/rules-bed.js';

const HOUR = 3_600_000;
const MINUTE = 60_000;

describe.each(availableStorageKinds())('automations on %s', (kind) => {
  let bed: RulesBed;

  beforeAll(async () => {
    bed = await startRulesBed(kind);
  });
  afterAll(async () => bed.close());
  beforeEach(async () => bed.clearRules());

  const solvePendingAfter48h = () =>
    bed.automation({
      name: 'Solve tickets pending for 2 days',
      conditions: {
        all: [
          { field: 'status', operator: 'is', value: 'pending' },
          { field: 'hours_since_pending', operator: 'greater_than', value: 48 },
        ],
        any: [],
      },
      actions: [{ type: 'set_status', value: 'solved' }],
    });

  async function pendingTicket() {
    const opened = await bed.openTicket();
    await bed.patch(opened.ticket.id, { assigneeId: bed.alex.id, status: 'pending' });
    return opened;
  }

  it('applies within a minute of becoming due, not before', async () => {
    await solvePendingAfter48h();
    const { ticket } = await pendingTicket();
    await bed.jump(47 * HOUR);
    expect((await bed.ticket(ticket.id)).status).toBe('pending');
    await bed.jump(HOUR + MINUTE);
    expect((await bed.ticket(ticket.id)).status).toBe('solved');
    const firing = (await bed.history(ticket.id)).find((e) => e.type === 'rule.fired');
    expect(firing?.data).toMatchObject({
      ruleType: 'automation',
      name: 'Solve tickets pending for 2 days',
    });
  });

  it('measures from the latest change: a ticket set Pending again waits the full time again', async () => {
    await solvePendingAfter48h();
    const { ticket } = await pendingTicket();
    await bed.jump(30 * HOUR);
    await bed.patch(ticket.id, { status: 'open' });
    await bed.patch(ticket.id, { status: 'pending' });
    await bed.jump(19 * HOUR);
    expect((await bed.ticket(ticket.id)).status).toBe('pending');
    await bed.jump(30 * HOUR);
    expect((await bed.ticket(ticket.id)).status).toBe('solved');
  });

  it('applies to tickets that existed before the automation was created', async () => {
    const { ticket } = await pendingTicket();
    await solvePendingAfter48h();
    await bed.jump(MINUTE);
    await bed.jump(49 * HOUR);
    expect((await bed.ticket(ticket.id)).status).toBe('solved');
  });

  it('runs the triggers after its update', async () => {
    await solvePendingAfter48h();
    await bed.trigger({
      name: 'Tag what gets solved',
      conditions: { all: [{ field: 'status', operator: 'changed_to', value: 'solved' }], any: [] },
      actions: [{ type: 'add_tags', value: ['auto-solved'] }],
    });
    const { ticket } = await pendingTicket();
    await bed.jump(49 * HOUR);
    expect((await bed.ticket(ticket.id)).tags).toContain('auto-solved');
  });

  it("measures from the customer's last message", async () => {
    await bed.automation({
      name: 'Nudge quiet chats',
      conditions: {
        all: [
          { field: 'hours_since_last_customer_message', operator: 'greater_than', value: 24 },
          { field: 'tags', operator: 'not_contains', value: 'nudged' },
        ],
        any: [],
      },
      actions: [{ type: 'add_tags', value: ['nudged'] }],
    });
    const { ticket, conversationId, visitor } = await bed.openTicket();
    await bed.jump(20 * HOUR);
    await bed.say(conversationId, visitor.token, 'Still there?');
    await bed.jump(20 * HOUR);
    expect((await bed.ticket(ticket.id)).tags).not.toContain('nudged');
    await bed.jump(5 * HOUR);
    expect((await bed.ticket(ticket.id)).tags).toContain('nudged');
  });

  it('fires a "once per ticket" automation only once', async () => {
    await bed.automation({
      name: 'Day one is over',
      oncePerTicket: true,
      conditions: {
        all: [{ field: 'hours_since_created', operator: 'greater_than', value: 24 }],
        any: [],
      },
      actions: [{ type: 'add_note', body: 'This ticket is a day old' }],
    });
    const { ticket, conversationId } = await bed.openTicket();
    await bed.jump(25 * HOUR);
    await bed.patch(ticket.id, { priority: 'high' });
    await bed.jump(25 * HOUR);
    const notes = (await bed.feed(conversationId)).filter(
      (e) =>
        e.event.type === 'message.created' && e.event.message.body === 'This ticket is a day old',
    );
    expect(notes).toHaveLength(1);
  });

  describe('when saved', () => {
    const save = (body: unknown) =>
      bed.api.call('POST', '/api/automations', { token: bed.admin, body });

    it('refuses one without a condition its own action makes false', async () => {
      const r = await save({
        name: 'Loops forever',
        conditions: {
          all: [{ field: 'hours_since_created', operator: 'greater_than', value: 24 }],
          any: [],
        },
        actions: [{ type: 'set_priority', value: 'high' }],
      });
      expect(r.status).toBe(400);
      expect(r.body.error.message).toContain('once per ticket');
    });

    it('refuses one without a time condition', async () => {
      const r = await save({
        name: 'No time',
        conditions: { all: [{ field: 'status', operator: 'is', value: 'solved' }], any: [] },
        actions: [{ type: 'set_status', value: 'closed' }],
      });
      expect(r.status).toBe(400);
      expect(r.body.error.field).toBe('conditions.all');
    });

    it('refuses a trigger-only operator such as "changed"', async () => {
      const r = await save({
        name: 'Changed',
        conditions: {
          all: [
            { field: 'hours_since_created', operator: 'greater_than', value: 1 },
            { field: 'status', operator: 'changed' },
          ],
          any: [],
        },
        actions: [{ type: 'add_tags', value: ['x'] }],
        oncePerTicket: true,
      });
      expect(r.status).toBe(400);
      expect(r.body.error.field).toBe('conditions.all.1.operator');
    });
  });
});
