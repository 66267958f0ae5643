import { describe, expect, it } from 'vitest';
import { AT, BOT, thrown } from '../testing/build.js';
import { createTicket, type NewTicket } from './create-ticket.js';

const input: NewTicket = {
  id: 'ticket-9',
  conversationId: 'conversation-9',
  requesterId: 'end-user-9',
  channel: 'messaging',
};

describe('createTicket', () => {
  it('creates the ticket New, unassigned, at version 1', () => {
    const { ticket } = createTicket(input, BOT, AT);
    expect(ticket).toMatchObject({
      id: 'ticket-9',
      conversationId: 'conversation-9',
      requesterId: 'end-user-9',
      channel: 'messaging',
      status: 'new',
      assigneeId: null,
      version: 1,
      solvedAt: null,
      closedAt: null,
    });
  });

  it('stamps creation and last update with the given time', () => {
    const { ticket } = createTicket(input, BOT, AT);
    expect(ticket.createdAt).toEqual(AT);
    expect(ticket.updatedAt).toEqual(AT);
  });

  it('defaults to normal priority, no group, no tags and no subject', () => {
    const { ticket } = createTicket(input, BOT, AT);
    expect(ticket).toMatchObject({ priority: 'normal', groupId: null, tags: [], subject: null });
  });

  it('keeps the chosen group and priority', () => {
    const { ticket } = createTicket(
      { ...input, groupId: 'group-billing', priority: 'urgent' },
      BOT,
      AT,
    );
    expect(ticket).toMatchObject({ groupId: 'group-billing', priority: 'urgent' });
  });

  it('normalises the tags it is created with', () => {
    const { ticket } = createTicket({ ...input, tags: [' VIP', 'vip', 'Refund'] }, BOT, AT);
    expect(ticket.tags).toEqual(['vip', 'refund']);
  });

  it('refuses invalid tags', () => {
    expect(thrown(() => createTicket({ ...input, tags: ['two words'] }, BOT, AT)).code).toBe(
      'validation/invalid',
    );
  });

  it('trims the subject and treats a blank one as none', () => {
    expect(createTicket({ ...input, subject: '  Refund please  ' }, BOT, AT).ticket.subject).toBe(
      'Refund please',
    );
    expect(createTicket({ ...input, subject: '   ' }, BOT, AT).ticket.subject).toBeNull();
  });

  it('records a ticket.created event with who created it and when', () => {
    const { events } = createTicket({ ...input, groupId: 'group-1', priority: 'high' }, BOT, AT);
    expect(events).toEqual([
      {
        type: 'ticket.created',
        status: 'new',
        channel: 'messaging',
        groupId: 'group-1',
        priority: 'high',
        actor: BOT,
        at: AT,
      },
    ]);
  });
});
