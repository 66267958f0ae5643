import { describe, expect, it } from 'vitest';
import { LATER, SYSTEM } from '../testing/build.js';
import { applyFieldActions, ticketPatchOf } from './apply-actions.js';
import { buildFacts } from './testing/build-rules.js';

const open = buildFacts({ ticket: { status: 'open', assigneeId: 'agent-1' } });

describe('applyFieldActions', () => {
  it('applies field actions in order through the usual ticket rules', () => {
    const result = applyFieldActions(
      open,
      [
        { type: 'set_priority', value: 'high' },
        { type: 'add_tags', value: ['vip'] },
        { type: 'set_group', value: 'group-1' },
      ],
      SYSTEM,
      LATER,
    );
    expect(result.facts.ticket).toMatchObject({
      priority: 'high',
      tags: ['vip'],
      groupId: 'group-1',
      updatedAt: LATER,
    });
    expect(result.events.map((e) => e.type)).toEqual([
      'ticket.priority_changed',
      'ticket.tags_changed',
      'ticket.group_changed',
    ]);
    expect(result.events.every((e) => e.actor === SYSTEM && e.at === LATER)).toBe(true);
    expect(result.failures).toEqual([]);
  });

  it('turns a refused action into a failure and still applies the others', () => {
    const unassigned = buildFacts({ ticket: { status: 'open', assigneeId: null } });
    const result = applyFieldActions(
      unassigned,
      [
        { type: 'set_status', value: 'solved' },
        { type: 'add_tags', value: ['escalated'] },
      ],
      SYSTEM,
      LATER,
    );
    expect(result.failures).toEqual([
      { action: 'set_status', reason: 'A ticket needs an assignee before it can be solved' },
    ]);
    expect(result.facts.ticket.status).toBe('open');
    expect(result.facts.ticket.tags).toEqual(['escalated']);
  });

  it('fails an illegal status move', () => {
    const result = applyFieldActions(
      open,
      [{ type: 'set_status', value: 'closed' }],
      SYSTEM,
      LATER,
    );
    expect(result.failures).toEqual([
      { action: 'set_status', reason: 'A ticket cannot go from open to closed' },
    ]);
    expect(result.events).toEqual([]);
  });

  it('replaces the required skills and says so', () => {
    const facts = buildFacts({ skills: ['skill-1'] });
    const result = applyFieldActions(
      facts,
      [{ type: 'set_skills', value: ['skill-2', 'skill-2'] }],
      SYSTEM,
      LATER,
    );
    expect(result.facts.skills).toEqual(['skill-2']);
    expect(result.facts.ticket.updatedAt).toEqual(LATER);
    expect(result.events).toEqual([
      {
        type: 'ticket.skills_changed',
        from: ['skill-1'],
        to: ['skill-2'],
        actor: SYSTEM,
        at: LATER,
      },
    ]);
  });

  it('changes nothing when an action sets what is already there', () => {
    const result = applyFieldActions(
      open,
      [
        { type: 'set_priority', value: 'normal' },
        { type: 'set_skills', value: [] },
      ],
      SYSTEM,
      LATER,
    );
    expect(result.events).toEqual([]);
    expect(result.facts).toBe(open);
  });

  it('refuses every change to a closed ticket', () => {
    const closed = buildFacts({ ticket: { status: 'closed', assigneeId: 'agent-1' } });
    const result = applyFieldActions(
      closed,
      [
        { type: 'add_tags', value: ['x'] },
        { type: 'set_skills', value: ['s'] },
      ],
      SYSTEM,
      LATER,
    );
    expect(result.failures.map((f) => f.action)).toEqual(['add_tags', 'set_skills']);
  });

  it('ignores notes, messages, surveys and webhooks', () => {
    const result = applyFieldActions(
      open,
      [
        { type: 'add_note', body: 'x' },
        { type: 'send_message', body: 'x' },
        { type: 'send_csat' },
        { type: 'webhook', url: 'https://example.com' },
      ],
      SYSTEM,
      LATER,
    );
    expect(result).toEqual({ facts: open, events: [], failures: [] });
  });

  it('starts the pending clock when a ticket becomes Pending, and stops it after', () => {
    const pending = applyFieldActions(
      open,
      [{ type: 'set_status', value: 'pending' }],
      SYSTEM,
      LATER,
    );
    expect(pending.facts.pendingSince).toEqual(LATER);
    const reopened = applyFieldActions(
      pending.facts,
      [{ type: 'set_status', value: 'open' }],
      SYSTEM,
      LATER,
    );
    expect(reopened.facts.pendingSince).toBeNull();
  });
});

describe('ticketPatchOf', () => {
  it('lets a later action on the same field win', () => {
    expect(
      ticketPatchOf([
        { type: 'set_priority', value: 'high' },
        { type: 'set_priority', value: 'low' },
      ]),
    ).toEqual({ priority: 'low' });
  });

  it('ends a tag added then removed as removed, and the other way round as added', () => {
    expect(
      ticketPatchOf([
        { type: 'add_tags', value: ['a'] },
        { type: 'remove_tags', value: ['a', 'b'] },
        { type: 'add_tags', value: ['b'] },
      ]),
    ).toEqual({ addTags: ['b'], removeTags: ['a'] });
  });
});
