import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { availableStorageKinds } from '../../../../storage/src/testing/test-database.js';
import { RoutingTestBed, type TestAgent } from './routing-test-bed.js';

const MINUTE = 60_000;

// Seed 003: when the assigned agent has sent no reply 15 minutes after taking the conversation,
// it goes to another agent of the team.
describe.each(availableStorageKinds())(
  'reassignment when the first agent does not answer on %s',
  (kind) => {
    let bed: RoutingTestBed;
    let ana: TestAgent;
    let ben: TestAgent;
    let groupId: string;
    let idleReasonId: string;

    beforeAll(async () => {
      bed = await RoutingTestBed.start(kind);
      ana = await bed.newAgent('Ana');
      ben = await bed.newAgent('Ben');
      groupId = await bed.newGroup('Seed 003', [ana, ben], { reassignAfterS: 900 });
      idleReasonId = (
        await bed.api.call('POST', '/api/idle-reasons', {
          token: bed.admin.token,
          body: { name: 'Lunch' },
        })
      ).body.id;
    });
    afterEach(async () => bed.reset());
    afterAll(async () => bed.close());

    it('unassigns a ticket whose agent sent no public reply within 15 minutes and re-queues it in its place', async () => {
      await bed.available(ana);
      const chat = await bed.handoff(groupId, 'My order never arrived');
      const waitingSince = (await bed.offerOf(ana, chat.ticketId)).waitingSince;
      await bed.accept(ana, chat.ticketId);
      // Ana stops taking new chats; a later customer queues behind the first one.
      expect((await bed.setStatus(ana, 'idle', idleReasonId)).status).toBe(200);
      await bed.pass(MINUTE);
      const later = await bed.handoff(groupId, 'Hello?');

      await bed.pass(13 * MINUTE);
      expect(await bed.ticket(chat.ticketId)).toMatchObject({ assigneeId: ana.id });
      await bed.pass(MINUTE + 1_000);

      expect(await bed.ticket(chat.ticketId)).toMatchObject({ assigneeId: null, status: 'open' });
      const queue = await bed.queue();
      expect(queue.map((q) => q.ticketId)).toEqual([chat.ticketId, later.ticketId]);
      expect(queue[0]).toMatchObject({ state: 'queued', position: 1, waitingSince });
      const reassigned = (await bed.history(chat.ticketId)).find(
        (e) => e.type === 'routing.reassigned',
      );
      expect(reassigned).toMatchObject({
        actor: { type: 'system' },
        data: { fromAgentId: ana.id },
      });
    });

    it('offers the reassigned ticket to another agent of the group, not the one who did not answer', async () => {
      // Ana has more room than Ben: left to the strategy, she would get the ticket back.
      await bed.capacity(ana, { messaging: 5 });
      await bed.capacity(ben, { messaging: 1 });
      await bed.available(ana);
      const chat = await bed.handoff(groupId);
      await bed.accept(ana, chat.ticketId);
      await bed.available(ben);

      await bed.pass(15 * MINUTE + 1_000);

      expect(await bed.offeredTo(chat.ticketId, [ana, ben])).toEqual([ben]);
      await bed.accept(ben, chat.ticketId);
      expect(await bed.ticket(chat.ticketId)).toMatchObject({ assigneeId: ben.id, status: 'open' });
      expect(await bed.historyTypes(chat.ticketId)).toEqual(
        expect.arrayContaining(['routing.offer_accepted', 'routing.reassigned', 'routing.offered']),
      );
    });

    it('moves a conversation automatically only once: the second agent is not timed (seed 003: first assignment only)', async () => {
      await bed.capacity(ana, { messaging: 5 });
      await bed.capacity(ben, { messaging: 1 });
      await bed.available(ana);
      const chat = await bed.handoff(groupId);
      await bed.accept(ana, chat.ticketId);
      await bed.available(ben);
      await bed.pass(15 * MINUTE + 1_000);
      await bed.accept(ben, chat.ticketId);

      await bed.pass(60 * MINUTE);

      expect(await bed.ticket(chat.ticketId)).toMatchObject({ assigneeId: ben.id });
      expect(
        (await bed.historyTypes(chat.ticketId)).filter((t) => t === 'routing.reassigned'),
      ).toHaveLength(1);
    });

    it('leaves the ticket with its agent when they reply publicly in time', async () => {
      await bed.available(ana, ben);
      const chat = await bed.handoff(groupId);
      const taker = (await bed.offeredTo(chat.ticketId, [ana, ben]))[0]!;
      await bed.accept(taker, chat.ticketId);
      await bed.pass(10 * MINUTE);
      const reply = await bed.api.call(
        'POST',
        `/api/conversations/${chat.conversationId}/messages`,
        {
          token: taker.token,
          body: { body: 'Looking into it now' },
        },
      );
      expect(reply.status).toBe(201);

      await bed.pass(20 * MINUTE);

      expect(await bed.ticket(chat.ticketId)).toMatchObject({ assigneeId: taker.id });
      expect(await bed.historyTypes(chat.ticketId)).not.toContain('routing.reassigned');
      expect(await bed.queued(chat.ticketId)).toBeUndefined();
    });

    it('does not count an internal note as a reply', async () => {
      await bed.available(ana);
      const chat = await bed.handoff(groupId);
      await bed.accept(ana, chat.ticketId);
      await bed.pass(5 * MINUTE);
      const note = await bed.api.call(
        'POST',
        `/api/conversations/${chat.conversationId}/messages`,
        {
          token: ana.token,
          body: { body: 'Customer seems upset', kind: 'internal' },
        },
      );
      expect(note.status).toBe(201);

      await bed.pass(10 * MINUTE + 1_000);

      expect(await bed.ticket(chat.ticketId)).toMatchObject({ assigneeId: null });
      expect(await bed.historyTypes(chat.ticketId)).toContain('routing.reassigned');
    });
  },
);
