import { describe, expect, it } from 'vitest';
import {
  automationDueAt,
  dueAutomations,
  nextAutomationCheck,
  runAutomations,
} from './automations.js';
import { AT, all, automation, buildFacts, cond, hoursAfter } from './testing/build-rules.js';

const solved = buildFacts({
  ticket: { status: 'solved', assigneeId: 'agent-1', solvedAt: AT, updatedAt: AT },
});
const closeSolved = automation(
  all(cond('status', 'is', 'solved'), cond('hours_since_solved', 'greater_than', 96)),
  [{ type: 'set_status', value: 'closed' }],
  { id: 'close', name: 'Close solved' },
);
const NONE = new Set<string>();

describe('automationDueAt', () => {
  it('is the first moment every time condition holds', () => {
    // "greater than 96 hours" holds from the first millisecond after 96 hours.
    expect(automationDueAt(closeSolved, solved, AT)).toEqual(
      new Date(hoursAfter(AT, 96).getTime() + 1),
    );
  });

  it('is now when the automation already matches', () => {
    const now = hoursAfter(AT, 200);
    expect(automationDueAt(closeSolved, solved, now)).toEqual(now);
  });

  it('is null when a condition that does not depend on time fails', () => {
    const open = buildFacts({ ticket: { status: 'open', assigneeId: 'agent-1' } });
    expect(automationDueAt(closeSolved, open, AT)).toBeNull();
  });

  it('is null when the moment a time condition measures never happened', () => {
    const reminder = automation(all(cond('hours_since_last_agent_reply', 'greater_than', 2)), [
      { type: 'add_tags', value: ['x'] },
    ]);
    expect(automationDueAt(reminder, buildFacts(), AT)).toBeNull();
  });

  it('is null once a "less than" or "is" window has passed', () => {
    const early = automation(all(cond('hours_since_created', 'less_than', 1)), [
      { type: 'add_tags', value: ['x'] },
    ]);
    expect(automationDueAt(early, buildFacts(), hoursAfter(AT, 0.5))).toEqual(hoursAfter(AT, 0.5));
    expect(automationDueAt(early, buildFacts(), hoursAfter(AT, 1))).toBeNull();
    const exactly = automation(all(cond('hours_since_created', 'is', 3)), [
      { type: 'add_tags', value: ['x'] },
    ]);
    expect(automationDueAt(exactly, buildFacts(), AT)).toEqual(hoursAfter(AT, 3));
    expect(automationDueAt(exactly, buildFacts(), hoursAfter(AT, 4))).toBeNull();
  });

  it('needs every time condition of "all" at once', () => {
    const pending = buildFacts({
      ticket: { status: 'pending', assigneeId: 'agent-1' },
      pendingSince: hoursAfter(AT, 10),
    });
    const a = automation(
      all(cond('hours_since_created', 'greater_than', 5), cond('hours_since_pending', 'is', 2)),
      [{ type: 'set_status', value: 'solved' }],
    );
    expect(automationDueAt(a, pending, AT)).toEqual(hoursAfter(AT, 12));
    const impossible = automation(
      all(cond('hours_since_created', 'less_than', 5), cond('hours_since_pending', 'is', 2)),
      [{ type: 'set_status', value: 'solved' }],
    );
    expect(automationDueAt(impossible, pending, AT)).toBeNull();
  });

  it('takes the earliest of the "any" conditions', () => {
    const a = automation(
      {
        all: [cond('status', 'is', 'solved')],
        any: [
          cond('hours_since_solved', 'greater_than', 48),
          cond('hours_since_created', 'greater_than', 24),
        ],
      },
      [{ type: 'set_status', value: 'closed' }],
    );
    expect(automationDueAt(a, solved, AT)).toEqual(new Date(hoursAfter(AT, 24).getTime() + 1));
  });
});

describe('nextAutomationCheck', () => {
  const remind = automation(
    all(cond('status', 'is', 'solved'), cond('hours_since_solved', 'greater_than', 24)),
    [{ type: 'send_csat' }],
    { id: 'remind', oncePerTicket: true },
  );

  it('is the earliest due moment over the active automations', () => {
    expect(nextAutomationCheck([closeSolved, remind], solved, AT, NONE)).toEqual(
      new Date(hoursAfter(AT, 24).getTime() + 1),
    );
  });

  it('leaves out inactive automations and once-per-ticket ones that already fired', () => {
    const inactive = { ...remind, id: 'off', oncePerTicket: false, active: false };
    expect(
      nextAutomationCheck([closeSolved, remind, inactive], solved, AT, new Set(['remind'])),
    ).toEqual(new Date(hoursAfter(AT, 96).getTime() + 1));
  });

  it('does not let a fired id hold back an automation that is not once per ticket', () => {
    expect(nextAutomationCheck([closeSolved], solved, AT, new Set(['close']))).not.toBeNull();
  });

  it('holds back automations that fired since the ticket last changed, when asked', () => {
    expect(
      nextAutomationCheck([closeSolved], solved, AT, NONE, {
        firedSinceChange: new Set(['close']),
      }),
    ).toBeNull();
  });

  it('is null when nothing will be due unless the ticket changes', () => {
    expect(nextAutomationCheck([], solved, AT, NONE)).toBeNull();
  });
});

describe('dueAutomations', () => {
  it('lists the automations that match now, in position order', () => {
    const late = automation(
      all(cond('status', 'is', 'solved'), cond('hours_since_solved', 'greater_than', 1)),
      [{ type: 'add_tags', value: ['late'] }],
      { id: 'late', position: 0 },
    );
    const due = dueAutomations([closeSolved, late], solved, hoursAfter(AT, 100), NONE);
    expect(due.map((a) => a.id)).toEqual(['late', 'close']);
    expect(
      dueAutomations([closeSolved, late], solved, hoursAfter(AT, 50), NONE).map((a) => a.id),
    ).toEqual(['late']);
  });

  it('sees the ticket as it is, with nothing changing', () => {
    const a = automation(
      all(cond('hours_since_created', 'greater_than', 1), cond('status', 'is', 'solved')),
      [{ type: 'set_status', value: 'closed' }],
    );
    expect(dueAutomations([a], solved, hoursAfter(AT, 2), NONE)).toEqual([a]);
  });
});

describe('runAutomations', () => {
  it('fires the due automations and records each firing as a ticket event', () => {
    const now = hoursAfter(AT, 100);
    const run = runAutomations([closeSolved], solved, now, NONE);
    expect(run.after.ticket.status).toBe('closed');
    expect(run.events.map((e) => e.type)).toEqual(['rule.fired', 'ticket.status_changed']);
    expect(run.events[0]).toMatchObject({
      ruleType: 'automation',
      ruleId: 'close',
      actor: { type: 'system', reason: 'automation: Close solved' },
      at: now,
    });
    expect(run.firings).toEqual([{ automation: closeSolved, effects: [], changed: true }]);
  });

  it('checks each automation again against what the ones before it did', () => {
    const reopen = automation(
      all(cond('status', 'is', 'solved'), cond('hours_since_solved', 'greater_than', 1)),
      [{ type: 'set_status', value: 'open' }],
      { id: 'reopen', position: -1 },
    );
    const run = runAutomations([closeSolved, reopen], solved, hoursAfter(AT, 100), NONE);
    expect(run.firings.map((f) => f.automation.id)).toEqual(['reopen']);
    expect(run.after.ticket.status).toBe('open');
  });

  it('records an action the ticket refuses as a failure', () => {
    const unassign = automation(
      all(cond('status', 'is', 'solved'), cond('hours_since_solved', 'greater_than', 1)),
      [{ type: 'set_assignee', value: null }],
      { id: 'unassign' },
    );
    const run = runAutomations([unassign], solved, hoursAfter(AT, 2), NONE);
    expect(run.events.map((e) => e.type)).toEqual(['rule.fired', 'rule.action_failed']);
    expect(run.firings[0]!.changed).toBe(false);
  });
});
