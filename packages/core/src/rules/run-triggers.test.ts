import { describe, expect, it } from 'vitest';
import { LATER, staff } from '../testing/build.js';
import type { Trigger } from './rule-types.js';
import {
  compileTriggers,
  explainTriggerRun,
  runTriggers,
  runTriggersNaive,
} from './run-triggers.js';
import {
  all,
  buildFacts,
  comment,
  cond,
  created,
  trigger,
  updateOf,
} from './testing/build-rules.js';

const open = buildFacts({ ticket: { status: 'open', assigneeId: 'agent-1' } });

function run(triggers: readonly Trigger[], update = updateOf(open)) {
  return runTriggers(compileTriggers(triggers), update);
}

const firedNames = (r: ReturnType<typeof run>) => r.firings.map((f) => f.trigger.name);

describe('runTriggers', () => {
  it('evaluates the active triggers in position order, whatever order they are listed in', () => {
    const second = trigger(all(cond('status', 'is', 'open')), [{ type: 'send_csat' }], {
      name: 'second',
      position: 2,
    });
    const first = trigger(all(cond('status', 'is', 'open')), [{ type: 'send_csat' }], {
      name: 'first',
      position: 1,
    });
    const off = trigger(all(cond('status', 'is', 'open')), [{ type: 'send_csat' }], {
      name: 'off',
      position: 0,
      active: false,
    });
    expect(firedNames(run([second, off, first]))).toEqual(['first', 'second']);
  });

  it('records a firing as rule.fired, then its changes, then the actions that failed', () => {
    const t = trigger(
      all(cond('status', 'is', 'open')),
      [
        { type: 'set_status', value: 'closed' },
        { type: 'add_tags', value: ['seen'] },
        { type: 'send_csat' },
      ],
      { id: 'trigger-a', name: 'Tag it' },
    );
    const actor = { type: 'system', reason: 'trigger: Tag it' };
    expect(run([t]).events).toEqual([
      {
        type: 'rule.fired',
        ruleType: 'trigger',
        ruleId: 'trigger-a',
        name: 'Tag it',
        actions: ['set_status', 'add_tags', 'send_csat'],
        actor,
        at: updateOf(open).at,
      },
      expect.objectContaining({ type: 'ticket.tags_changed', added: ['seen'], actor }),
      expect.objectContaining({
        type: 'rule.action_failed',
        ruleId: 'trigger-a',
        action: 'set_status',
        reason: 'A ticket cannot go from open to closed',
        actor,
      }),
    ]);
  });

  it('starts again from the top when a firing changes the ticket', () => {
    const early = trigger(
      all(cond('tags', 'contains', 'vip')),
      [{ type: 'set_priority', value: 'high' }],
      {
        name: 'vip is high',
        position: 1,
      },
    );
    const late = trigger(
      all(cond('comment_text', 'contains', 'premium')),
      [{ type: 'add_tags', value: ['vip'] }],
      {
        name: 'premium is vip',
        position: 2,
      },
    );
    const result = run([early, late], updateOf(open, open, { comment: comment('Premium plan') }));
    expect(firedNames(result)).toEqual(['premium is vip', 'vip is high']);
    expect(result.after.ticket).toMatchObject({ tags: ['vip'], priority: 'high' });
  });

  it('lets "changed" see changes made by triggers, against the ticket before the whole update', () => {
    const onHigh = trigger(
      all(cond('priority', 'changed_to', 'high')),
      [{ type: 'add_tags', value: ['escalated'] }],
      {
        name: 'on high',
        position: 1,
      },
    );
    const raise = trigger(
      all(cond('status', 'changed_to', 'pending')),
      [{ type: 'set_priority', value: 'high' }],
      {
        name: 'raise',
        position: 2,
      },
    );
    const pending = { ...open, ticket: { ...open.ticket, status: 'pending' as const } };
    const result = run([onHigh, raise], updateOf(open, pending));
    expect(firedNames(result)).toEqual(['raise', 'on high']);
    expect(result.after.ticket.tags).toEqual(['escalated']);
  });

  it('fires each trigger at most once per update, so triggers that undo each other end', () => {
    const toB = trigger(
      all(cond('tags', 'contains', 'a')),
      [
        { type: 'remove_tags', value: ['a'] },
        { type: 'add_tags', value: ['b'] },
      ],
      { name: 'a to b', position: 1 },
    );
    const toA = trigger(
      all(cond('tags', 'contains', 'b')),
      [
        { type: 'remove_tags', value: ['b'] },
        { type: 'add_tags', value: ['a'] },
      ],
      { name: 'b to a', position: 2 },
    );
    const tagged = buildFacts({ ticket: { status: 'open', tags: ['a'] } });
    const result = run([toB, toA], updateOf(tagged));
    expect(firedNames(result)).toEqual(['a to b', 'b to a']);
    expect(result.after.ticket.tags).toEqual(['a']);
  });

  it('goes on with the same pass when a firing changes nothing', () => {
    const notify = trigger(
      all(cond('status', 'is', 'open')),
      [{ type: 'send_message', body: 'Hi' }],
      {
        name: 'notify',
        position: 1,
      },
    );
    const tag = trigger(all(cond('status', 'is', 'open')), [{ type: 'add_tags', value: ['x'] }], {
      name: 'tag',
      position: 2,
    });
    const result = run([notify, tag]);
    expect(firedNames(result)).toEqual(['notify', 'tag']);
    // Pass 1 evaluates both; pass 2 finds both already fired.
    expect(result.evaluated).toBe(2);
  });

  it('returns the notes, messages, surveys and webhooks of each firing for the caller', () => {
    const t = trigger(all(cond('status', 'is', 'open')), [
      { type: 'add_tags', value: ['x'] },
      { type: 'add_note', body: 'Looked at' },
      { type: 'webhook', url: 'https://example.com/hook' },
    ]);
    expect(run([t]).firings[0]!.effects).toEqual([
      { type: 'add_note', body: 'Looked at' },
      { type: 'webhook', url: 'https://example.com/hook' },
    ]);
  });

  it('skips messaging triggers once the session has ended, but still runs ticket triggers', () => {
    const ended = buildFacts({
      ticket: { status: 'open', assigneeId: 'agent-1' },
      sessionState: 'ended',
      sessionEndReason: 'ended_by_agent',
    });
    const messaging = trigger(all(cond('status', 'is', 'open')), [{ type: 'send_csat' }], {
      name: 'messaging',
      scope: 'messaging',
    });
    const ticket = trigger(all(cond('status', 'is', 'open')), [{ type: 'send_csat' }], {
      name: 'ticket',
    });
    expect(firedNames(run([messaging, ticket], updateOf(ended)))).toEqual(['ticket']);
    expect(firedNames(run([messaging, ticket], updateOf(open)))).toEqual(['messaging', 'ticket']);
  });

  it('skips messaging triggers on tickets of other channels', () => {
    const email = buildFacts({ ticket: { status: 'open', channel: 'email' } });
    const messaging = trigger(all(cond('status', 'is', 'open')), [{ type: 'send_csat' }], {
      scope: 'messaging',
    });
    expect(run([messaging], updateOf(email)).firings).toEqual([]);
  });

  it('makes changes as the system naming the trigger, unless told whom', () => {
    const t = trigger(all(cond('status', 'is', 'open')), [{ type: 'add_tags', value: ['x'] }], {
      name: 'Tagger',
    });
    expect(run([t]).events[1]!.actor).toEqual({ type: 'system', reason: 'trigger: Tagger' });
    const agent = staff('agent-9');
    const result = runTriggers(compileTriggers([t]), updateOf(open), { actorFor: () => agent });
    expect(result.events.every((e) => e.actor === agent)).toBe(true);
  });

  it('runs on a newly created ticket, where "update is created" holds', () => {
    const welcome = trigger(all(cond('update_type', 'is', 'created')), [
      { type: 'send_message', body: 'Hi' },
    ]);
    expect(run([welcome], created()).firings).toHaveLength(1);
    expect(run([welcome], updateOf(open)).firings).toHaveLength(0);
  });

  it('evaluates only the triggers that could match the update', () => {
    const onSolved = Array.from({ length: 50 }, (_, i) =>
      trigger(all(cond('status', 'changed_to', 'solved')), [{ type: 'send_csat' }], {
        name: `s${i}`,
      }),
    );
    const onVip = Array.from({ length: 50 }, (_, i) =>
      trigger(all(cond('tags', 'contains', ['vip', 'gold'])), [{ type: 'send_csat' }], {
        name: `v${i}`,
      }),
    );
    const onKeyword = Array.from({ length: 50 }, (_, i) =>
      trigger(
        {
          all: [],
          any: [cond('comment_text', 'contains', 'refund'), cond('tags', 'contains', 'x')],
        },
        [{ type: 'send_csat' }],
        { name: `k${i}` },
      ),
    );
    const everyTime = trigger(all(cond('priority', 'less_than', 'low')), [{ type: 'send_csat' }]);
    const triggers = [...onSolved, ...onVip, ...onKeyword, everyTime];
    const nothingChanged = updateOf(open);
    expect(run(triggers, nothingChanged).evaluated).toBe(1);
    expect(runTriggersNaive(triggers, nothingChanged).evaluated).toBe(151);
    const commented = updateOf(open, open, { comment: comment('Refund?') });
    expect(run(triggers, commented).evaluated).toBe(51);
    const solved = {
      ...open,
      ticket: { ...open.ticket, status: 'solved' as const, solvedAt: LATER },
    };
    const result = run(triggers, updateOf(open, solved));
    expect(result.firings).toHaveLength(50);
    expect(result.evaluated).toBe(51);
  });
  it('after a restart, re-evaluates a trigger that did not match only if a field it reads changed', () => {
    const tagger = trigger(
      all(cond('status', 'is', 'open')),
      [{ type: 'add_tags', value: ['y'] }],
      {
        position: 2,
      },
    );
    const onPriority = trigger(all(cond('priority', 'less_than', 'low')), [{ type: 'send_csat' }], {
      position: 1,
    });
    const onTags = trigger(
      all(cond('priority', 'less_than', 'low'), cond('tags', 'not_contains', 'y')),
      [{ type: 'send_csat' }],
      { position: 1 },
    );
    // Pass 1 evaluates both and the tagger fires; pass 2 has nothing new to look at.
    expect(run([onPriority, tagger]).evaluated).toBe(2);
    expect(runTriggersNaive([onPriority, tagger], updateOf(open)).evaluated).toBe(3);
    // Tags changed, so a trigger reading tags is looked at again.
    expect(run([onTags, tagger]).evaluated).toBe(3);
  });
});

describe('explainTriggerRun', () => {
  it('says per pass what each trigger did, with the conditions it checked', () => {
    const early = trigger(
      all(cond('tags', 'contains', 'vip')),
      [{ type: 'set_priority', value: 'high' }],
      {
        id: 'early',
        position: 1,
      },
    );
    const late = trigger(
      all(cond('status', 'is', 'open')),
      [{ type: 'add_tags', value: ['vip'] }],
      {
        id: 'late',
        position: 2,
      },
    );
    const messaging = trigger(all(cond('status', 'is', 'open')), [{ type: 'send_csat' }], {
      id: 'messaging',
      position: 3,
      scope: 'messaging',
    });
    const off = trigger(all(cond('status', 'is', 'open')), [{ type: 'send_csat' }], {
      id: 'off',
      position: 4,
      active: false,
    });
    const ended = buildFacts({
      ticket: { status: 'open', assigneeId: 'a' },
      sessionState: 'ended',
    });
    const explained = explainTriggerRun([off, messaging, late, early], updateOf(ended));
    expect(explained.map((e) => [e.triggerId, e.outcome, e.pass])).toEqual([
      ['early', 'not_matched', 1],
      ['late', 'fired', 1],
      ['early', 'fired', 2],
      ['early', 'already_fired', 3],
      ['late', 'already_fired', 3],
      ['messaging', 'skipped_session_ended', 3],
      ['off', 'inactive', undefined],
    ]);
    expect(explained[0]!.conditions).toEqual([
      expect.objectContaining({ holds: false, detail: 'tags is [] (unchanged)' }),
    ]);
  });
});
