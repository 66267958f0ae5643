import { describe, expect, it } from 'vitest';
import { AT, LATER, SYSTEM, buildTicket, staff, thrown } from '../testing/build.js';
import type { Ticket } from './ticket.js';
import { updateTicket } from './update-ticket.js';

const AGENT = staff('agent-1');
const created = AT;
const now = LATER;

const open = (overrides: Partial<Ticket> = {}): Ticket =>
  buildTicket({ status: 'open', assigneeId: 'agent-1', ...overrides });

describe('updateTicket: closed tickets', () => {
  it('refuses any change to a Closed ticket', () => {
    const closed = buildTicket({
      status: 'closed',
      assigneeId: 'agent-1',
      solvedAt: created,
      closedAt: created,
    });
    const patches = [
      { status: 'open' as const },
      { priority: 'high' as const },
      { assigneeId: 'agent-2' },
      { groupId: 'group-2' },
      { tags: ['vip'] },
      { addTags: ['vip'] },
      { removeTags: ['vip'] },
      { subject: 'Hello' },
    ];
    for (const patch of patches) {
      const error = thrown(() => updateTicket(closed, patch, AGENT, now));
      expect(error.code).toBe('ticket/closed');
      expect(error.field).toBe(Object.keys(patch)[0]);
    }
  });

  it('refuses even a patch that restates a Closed ticket as it is', () => {
    const closed = buildTicket({ status: 'closed', assigneeId: 'agent-1' });
    expect(thrown(() => updateTicket(closed, { status: 'closed' }, AGENT, now)).code).toBe(
      'ticket/closed',
    );
  });
});

describe('updateTicket: status', () => {
  it('opens a New ticket when it is assigned', () => {
    const { ticket, events } = updateTicket(buildTicket(), { assigneeId: 'agent-1' }, AGENT, now);
    expect(ticket.status).toBe('open');
    expect(events).toEqual([
      { type: 'ticket.assignee_changed', from: null, to: 'agent-1', actor: AGENT, at: now },
      {
        type: 'ticket.status_changed',
        from: 'new',
        to: 'open',
        cause: 'assignment',
        actor: AGENT,
        at: now,
      },
    ]);
  });

  it('opens a New ticket when it is assigned even if the patch restates New', () => {
    const { ticket, events } = updateTicket(
      buildTicket(),
      { status: 'new', assigneeId: 'agent-1' },
      AGENT,
      now,
    );
    expect(ticket.status).toBe('open');
    expect(events.map((e) => e.type)).toEqual(['ticket.assignee_changed', 'ticket.status_changed']);
  });

  it('uses the status the patch asks for when a New ticket is assigned with one', () => {
    const { ticket, events } = updateTicket(
      buildTicket(),
      { assigneeId: 'agent-1', status: 'pending' },
      AGENT,
      now,
    );
    expect(ticket.status).toBe('pending');
    expect(events).toContainEqual({
      type: 'ticket.status_changed',
      from: 'new',
      to: 'pending',
      actor: AGENT,
      at: now,
    });
  });

  it('leaves a New ticket New when only its group changes', () => {
    const { ticket } = updateTicket(buildTicket(), { groupId: 'group-1' }, AGENT, now);
    expect(ticket.status).toBe('new');
  });

  it('does not change the status of an Open ticket that is reassigned', () => {
    const { ticket, events } = updateTicket(open(), { assigneeId: 'agent-2' }, AGENT, now);
    expect(ticket.status).toBe('open');
    expect(events.map((e) => e.type)).toEqual(['ticket.assignee_changed']);
  });

  it('records a status change with who made it and when', () => {
    const { ticket, events } = updateTicket(open(), { status: 'pending' }, AGENT, now);
    expect(ticket.status).toBe('pending');
    expect(events).toEqual([
      { type: 'ticket.status_changed', from: 'open', to: 'pending', actor: AGENT, at: now },
    ]);
  });

  it('refuses a status change the lifecycle does not allow', () => {
    const error = thrown(() => updateTicket(open(), { status: 'new' }, AGENT, now));
    expect(error.code).toBe('ticket/illegal-transition');
    expect(error.field).toBe('status');
  });

  it('refuses to close a ticket that is not Solved', () => {
    expect(thrown(() => updateTicket(open(), { status: 'closed' }, AGENT, now)).code).toBe(
      'ticket/illegal-transition',
    );
  });

  it('refuses to solve a ticket nobody is assigned to', () => {
    const error = thrown(() =>
      updateTicket(open({ assigneeId: null }), { status: 'solved' }, AGENT, now),
    );
    expect(error.code).toBe('ticket/assignee-required');
    expect(error.field).toBe('assigneeId');
  });

  it('solves a ticket assigned in the same change', () => {
    const { ticket } = updateTicket(
      buildTicket(),
      { assigneeId: 'agent-1', status: 'solved' },
      AGENT,
      now,
    );
    expect(ticket).toMatchObject({ status: 'solved', assigneeId: 'agent-1' });
  });

  it('refuses to unassign a Solved ticket', () => {
    const solved = open({ status: 'solved', solvedAt: created });
    expect(thrown(() => updateTicket(solved, { assigneeId: null }, AGENT, now)).code).toBe(
      'ticket/assignee-required',
    );
  });

  it('refuses to unassign a Solved ticket even if the patch restates Solved', () => {
    const solved = open({ status: 'solved', solvedAt: created });
    const error = thrown(() =>
      updateTicket(solved, { status: 'solved', assigneeId: null }, AGENT, now),
    );
    expect(error.code).toBe('ticket/assignee-required');
  });

  it('lets a Solved ticket be reopened and unassigned in one change', () => {
    const solved = open({ status: 'solved', solvedAt: created });
    const { ticket } = updateTicket(solved, { status: 'open', assigneeId: null }, AGENT, now);
    expect(ticket).toMatchObject({ status: 'open', assigneeId: null });
  });

  it('stamps solvedAt when a ticket is solved', () => {
    const { ticket } = updateTicket(open(), { status: 'solved' }, AGENT, now);
    expect(ticket.solvedAt).toEqual(now);
    expect(ticket.closedAt).toBeNull();
  });

  it('keeps solvedAt and stamps closedAt when a Solved ticket is closed', () => {
    const solved = open({ status: 'solved', solvedAt: created });
    const { ticket } = updateTicket(solved, { status: 'closed' }, SYSTEM, now);
    expect(ticket).toMatchObject({ status: 'closed', solvedAt: created, closedAt: now });
  });

  it('clears solvedAt when a Solved ticket is reopened', () => {
    const solved = open({ status: 'solved', solvedAt: created });
    expect(updateTicket(solved, { status: 'open' }, AGENT, now).ticket.solvedAt).toBeNull();
  });
});

describe('updateTicket: versions and no-ops', () => {
  it('yields no events and keeps the version for an empty patch', () => {
    const ticket = open({ version: 7 });
    const change = updateTicket(ticket, {}, AGENT, now);
    expect(change.events).toEqual([]);
    expect(change.ticket).toBe(ticket);
  });

  it('yields no events and keeps the version for a patch that restates current values', () => {
    const ticket = open({
      version: 7,
      groupId: 'group-1',
      priority: 'high',
      tags: ['vip'],
      subject: 'Refund',
    });
    const change = updateTicket(
      ticket,
      {
        status: 'open',
        assigneeId: 'agent-1',
        groupId: 'group-1',
        priority: 'high',
        tags: ['VIP'],
        addTags: ['vip'],
        removeTags: ['other'],
        subject: ' Refund ',
      },
      AGENT,
      now,
    );
    expect(change.events).toEqual([]);
    expect(change.ticket).toBe(ticket);
    expect(change.ticket.updatedAt).toEqual(created);
  });

  it('bumps the version once and stamps updatedAt for a change, however many fields it touches', () => {
    const { ticket, events } = updateTicket(
      open({ version: 3 }),
      { priority: 'high', groupId: 'group-2', subject: 'Hi' },
      AGENT,
      now,
    );
    expect(events).toHaveLength(3);
    expect(ticket.version).toBe(4);
    expect(ticket.updatedAt).toEqual(now);
  });

  it('leaves the ticket it was given untouched', () => {
    const ticket = open();
    const copy = structuredClone(ticket);
    updateTicket(ticket, { status: 'pending', priority: 'urgent', addTags: ['vip'] }, AGENT, now);
    expect(ticket).toEqual(copy);
  });
});

describe('updateTicket: fields', () => {
  it('records an assignee change with who made it and when', () => {
    const { ticket, events } = updateTicket(open(), { assigneeId: 'agent-2' }, AGENT, now);
    expect(ticket.assigneeId).toBe('agent-2');
    expect(events).toEqual([
      { type: 'ticket.assignee_changed', from: 'agent-1', to: 'agent-2', actor: AGENT, at: now },
    ]);
  });

  it('records a group change with who made it and when', () => {
    const { ticket, events } = updateTicket(open(), { groupId: 'group-2' }, AGENT, now);
    expect(ticket.groupId).toBe('group-2');
    expect(events).toEqual([
      { type: 'ticket.group_changed', from: null, to: 'group-2', actor: AGENT, at: now },
    ]);
  });

  it('records a priority change with who made it and when', () => {
    const { ticket, events } = updateTicket(open(), { priority: 'urgent' }, SYSTEM, now);
    expect(ticket.priority).toBe('urgent');
    expect(events).toEqual([
      { type: 'ticket.priority_changed', from: 'normal', to: 'urgent', actor: SYSTEM, at: now },
    ]);
  });

  it('replaces the whole tag list and records what was added and removed', () => {
    const { ticket, events } = updateTicket(
      open({ tags: ['vip', 'billing'] }),
      { tags: ['billing', 'refund'] },
      AGENT,
      now,
    );
    expect(ticket.tags).toEqual(['billing', 'refund']);
    expect(events).toEqual([
      { type: 'ticket.tags_changed', added: ['refund'], removed: ['vip'], actor: AGENT, at: now },
    ]);
  });

  it('normalises tags it is given', () => {
    const { ticket } = updateTicket(open(), { tags: [' VIP', 'vip', 'Refund'] }, AGENT, now);
    expect(ticket.tags).toEqual(['vip', 'refund']);
  });

  it('adds tags to the ones already there', () => {
    const { ticket, events } = updateTicket(
      open({ tags: ['vip'] }),
      { addTags: ['Refund', 'VIP'] },
      AGENT,
      now,
    );
    expect(ticket.tags).toEqual(['vip', 'refund']);
    expect(events).toEqual([
      { type: 'ticket.tags_changed', added: ['refund'], removed: [], actor: AGENT, at: now },
    ]);
  });

  it('removes tags whatever their case', () => {
    const { ticket, events } = updateTicket(
      open({ tags: ['vip', 'refund'] }),
      { removeTags: ['VIP'] },
      AGENT,
      now,
    );
    expect(ticket.tags).toEqual(['refund']);
    expect(events).toEqual([
      { type: 'ticket.tags_changed', added: [], removed: ['vip'], actor: AGENT, at: now },
    ]);
  });

  it('replaces, then adds, then removes when a patch does all three', () => {
    const { ticket } = updateTicket(
      open({ tags: ['old'] }),
      { tags: ['a', 'b'], addTags: ['c'], removeTags: ['a'] },
      AGENT,
      now,
    );
    expect(ticket.tags).toEqual(['b', 'c']);
  });

  it('yields no tag event when removing a tag the ticket does not have', () => {
    const change = updateTicket(open({ tags: ['vip'] }), { removeTags: ['refund'] }, AGENT, now);
    expect(change.events).toEqual([]);
  });

  it('refuses invalid tags and names the field they came in', () => {
    expect(thrown(() => updateTicket(open(), { tags: ['two words'] }, AGENT, now)).field).toBe(
      'tags',
    );
    expect(thrown(() => updateTicket(open(), { addTags: ['two words'] }, AGENT, now)).field).toBe(
      'addTags',
    );
    expect(
      thrown(() => updateTicket(open(), { removeTags: ['two words'] }, AGENT, now)).field,
    ).toBe('removeTags');
  });

  it('refuses to carry more than 100 tags', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => `t${i}`);
    const error = thrown(() =>
      updateTicket(open({ tags: hundred }), { addTags: ['one-more'] }, AGENT, now),
    );
    expect(error.code).toBe('validation/invalid');
  });

  it('records a subject change, trimmed, with who made it and when', () => {
    const { ticket, events } = updateTicket(open(), { subject: '  Refund please ' }, AGENT, now);
    expect(ticket.subject).toBe('Refund please');
    expect(events).toEqual([
      { type: 'ticket.subject_changed', from: null, to: 'Refund please', actor: AGENT, at: now },
    ]);
  });

  it('clears the subject when given null or blank text', () => {
    expect(
      updateTicket(open({ subject: 'Old' }), { subject: null }, AGENT, now).ticket.subject,
    ).toBeNull();
    expect(
      updateTicket(open({ subject: 'Old' }), { subject: '   ' }, AGENT, now).ticket.subject,
    ).toBeNull();
  });

  it('refuses a subject longer than 250 characters', () => {
    expect(
      updateTicket(open(), { subject: 'x'.repeat(250) }, AGENT, now).ticket.subject,
    ).toHaveLength(250);
    const error = thrown(() => updateTicket(open(), { subject: 'x'.repeat(251) }, AGENT, now));
    expect(error.code).toBe('validation/invalid');
    expect(error.field).toBe('subject');
  });
});
