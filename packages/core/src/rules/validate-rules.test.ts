import { describe, expect, it } from 'vitest';
import { thrown } from '../testing/build.js';
import {
  findNullifyingCondition,
  isWebUrl,
  validateActions,
  validateAutomationDefinition,
  validateConditionSet,
  validateTriggerDefinition,
} from './validate-rules.js';
import { cond } from './testing/build-rules.js';

const SOLVED_4H = [
  { field: 'status', operator: 'is', value: 'solved' },
  { field: 'hours_since_solved', operator: 'greater_than', value: 4 },
];

function automationWith(all: unknown[], actions: unknown[], extra: object = {}) {
  return { name: 'Close solved', conditions: { all }, actions, ...extra };
}

describe('conditions', () => {
  it('accepts a condition set and fills in the missing list', () => {
    expect(
      validateConditionSet(
        { all: [{ field: 'status', operator: 'is', value: 'open' }] },
        'trigger',
      ),
    ).toEqual({ all: [{ field: 'status', operator: 'is', value: 'open' }], any: [] });
  });

  it('refuses an unknown field, naming it and where it is', () => {
    const error = thrown(() =>
      validateConditionSet({ all: [{ field: 'mood', operator: 'is', value: 'x' }] }, 'trigger'),
    );
    expect(error.code).toBe('validation/invalid');
    expect(error.message).toContain('Unknown field "mood"');
    expect(error.field).toBe('conditions.all.0.field');
  });

  it('refuses an operator that does not fit the field, listing those that do', () => {
    const error = thrown(() =>
      validateConditionSet(
        { any: [{ field: 'status', operator: 'contains', value: 'open' }] },
        'trigger',
      ),
    );
    expect(error.message).toBe(
      'The operator "contains" does not fit the field "status" (use "is", "is_not", "changed", "not_changed", "changed_to", "changed_from")',
    );
    expect(error.field).toBe('conditions.any.0.operator');
  });

  it('keeps the change operators to triggers', () => {
    const error = thrown(() =>
      validateConditionSet({ all: [{ field: 'status', operator: 'changed' }] }, 'automation'),
    );
    expect(error.message).toContain('only triggers can use it');
    expect(error.field).toBe('conditions.all.0.operator');
  });

  it('keeps time fields out of triggers', () => {
    const error = thrown(() =>
      validateConditionSet(
        { all: [{ field: 'hours_since_created', operator: 'greater_than', value: 1 }] },
        'trigger',
      ),
    );
    expect(error.message).toContain('not available in triggers');
    expect(error.field).toBe('conditions.all.0.field');
  });

  it("refuses a value of the wrong kind or outside the field's list", () => {
    expect(
      thrown(() =>
        validateConditionSet(
          { all: [{ field: 'status', operator: 'is', value: 'done' }] },
          'trigger',
        ),
      ).message,
    ).toContain('"done" is not a status');
    expect(
      thrown(() =>
        validateConditionSet(
          { all: [{ field: 'hours_since_solved', operator: 'is', value: -1 }] },
          'automation',
        ),
      ).field,
    ).toBe('conditions.all.0.value');
    expect(
      thrown(() =>
        validateConditionSet(
          { all: [{ field: 'requester_email_known', operator: 'is', value: 'yes' }] },
          'trigger',
        ),
      ).message,
    ).toContain('true or false');
  });

  it('refuses a value on an operator that takes none', () => {
    const error = thrown(() =>
      validateConditionSet(
        { all: [{ field: 'status', operator: 'changed', value: 'open' }] },
        'trigger',
      ),
    );
    expect(error.message).toBe('The operator "changed" takes no value');
  });

  it('refuses an empty tag and normalizes the others to lower case', () => {
    expect(
      thrown(() =>
        validateConditionSet(
          { all: [{ field: 'tags', operator: 'contains', value: ['vip', ' '] }] },
          'trigger',
        ),
      ).field,
    ).toBe('conditions.all.0.value.1');
    expect(
      validateConditionSet(
        { all: [{ field: 'tags', operator: 'contains', value: 'VIP' }] },
        'trigger',
      ).all[0],
    ).toEqual({ field: 'tags', operator: 'contains', value: 'vip' });
  });

  it('refuses fields it does not know on a condition', () => {
    const error = thrown(() =>
      validateConditionSet(
        { all: [{ field: 'status', operator: 'is', value: 'open', negate: true }] },
        'trigger',
      ),
    );
    expect(error.field).toBe('conditions.all.0.negate');
  });

  it('uses the path it is given, for conditions nested in other definitions', () => {
    const error = thrown(() =>
      validateConditionSet(
        { all: [{ field: 'x', operator: 'is' }] },
        'workflow',
        'steps.2.branches.0.conditions',
      ),
    );
    expect(error.field).toBe('steps.2.branches.0.conditions.all.0.field');
  });
});

describe('actions', () => {
  it('accepts every kind of action', () => {
    const actions = [
      { type: 'set_status', value: 'pending' },
      { type: 'set_priority', value: 'high' },
      { type: 'set_group', value: 'group-1' },
      { type: 'set_assignee', value: null },
      { type: 'set_skills', value: ['skill-1'] },
      { type: 'add_tags', value: ['VIP'] },
      { type: 'remove_tags', value: ['spam'] },
      { type: 'add_note', body: 'Escalated' },
      { type: 'send_message', body: 'Hello {{requester.name}}' },
      { type: 'send_csat' },
      { type: 'webhook', url: 'https://example.com/hook?x=1' },
    ];
    expect(validateActions(actions)).toEqual(
      actions.map((a) => (a.type === 'add_tags' ? { type: 'add_tags', value: ['vip'] } : a)),
    );
  });

  it('refuses an empty list of actions', () => {
    expect(thrown(() => validateActions([])).message).toBe('A rule needs at least one action');
  });

  it('refuses an unknown action type', () => {
    const error = thrown(() => validateActions([{ type: 'delete_ticket' }]));
    expect(error.message).toContain('Unknown action "delete_ticket"');
    expect(error.field).toBe('actions.0.type');
  });

  it('refuses a webhook that is not http or https', () => {
    for (const url of [
      'ftp://example.com',
      'javascript:alert(1)',
      'https://',
      'example.com',
      'http://exa mple.com',
    ]) {
      expect(thrown(() => validateActions([{ type: 'webhook', url }])).field, url).toBe(
        'actions.0.url',
      );
    }
  });

  it('refuses an empty tag in an action', () => {
    const error = thrown(() => validateActions([{ type: 'add_tags', value: [''] }]));
    expect(error.message).toBe('A tag cannot be empty');
    expect(error.field).toBe('actions.0.value.0');
  });

  it('refuses moving a ticket back to New', () => {
    expect(thrown(() => validateActions([{ type: 'set_status', value: 'new' }])).message).toBe(
      'A ticket never goes back to New',
    );
  });

  it('refuses an empty note or message', () => {
    expect(thrown(() => validateActions([{ type: 'add_note', body: '  ' }])).field).toBe(
      'actions.0.body',
    );
  });

  it('can narrow the allowed actions', () => {
    const error = thrown(() =>
      validateActions([{ type: 'webhook', url: 'https://x.example' }], 'macro.actions', {
        allowed: ['set_status', 'add_tags'],
      }),
    );
    expect(error.message).toContain('not allowed here');
    expect(error.field).toBe('macro.actions.0.type');
  });
});

describe('webhook URLs', () => {
  it('takes http and https URLs with a host, port, path and query', () => {
    for (const url of [
      'http://localhost:8080/hook',
      'https://hooks.example.com/a/b?c=d#e',
      'https://[::1]:443/x',
      'HTTPS://EXAMPLE.COM',
    ])
      expect(isWebUrl(url), url).toBe(true);
    expect(isWebUrl('https://example.com:70000/')).toBe(false);
  });
});

describe('triggers', () => {
  it('accepts a trigger and fills in scope, category and active', () => {
    expect(
      validateTriggerDefinition({
        name: ' Notify ',
        conditions: { all: [{ field: 'update_type', operator: 'is', value: 'created' }] },
        actions: [{ type: 'send_message', body: 'We got it' }],
      }),
    ).toEqual({
      name: 'Notify',
      category: null,
      scope: 'ticket',
      active: true,
      conditions: { all: [cond('update_type', 'is', 'created')], any: [] },
      actions: [{ type: 'send_message', body: 'We got it' }],
    });
  });

  it('refuses a trigger without conditions', () => {
    const error = thrown(() =>
      validateTriggerDefinition({ name: 'x', conditions: {}, actions: [{ type: 'send_csat' }] }),
    );
    expect(error.message).toBe('A trigger needs at least one condition');
  });

  it('refuses a trigger without a name or with an unknown scope', () => {
    const base = {
      conditions: { all: [cond('status', 'is', 'open')] },
      actions: [{ type: 'send_csat' }],
    };
    expect(thrown(() => validateTriggerDefinition({ ...base, name: '' })).field).toBe('name');
    expect(
      thrown(() => validateTriggerDefinition({ ...base, name: 'x', scope: 'chat' })).field,
    ).toBe('scope');
  });

  it('refuses fields a trigger does not have', () => {
    expect(
      thrown(() =>
        validateTriggerDefinition({ name: 'x', conditions: {}, actions: [], oncePerTicket: true }),
      ).field,
    ).toBe('oncePerTicket');
  });
});

describe('automations', () => {
  it('accepts one whose action makes a condition false ("status is solved" + set status closed)', () => {
    const a = validateAutomationDefinition(
      automationWith(SOLVED_4H, [{ type: 'set_status', value: 'closed' }]),
    );
    expect(a.oncePerTicket).toBe(false);
    expect(a.conditions.all).toHaveLength(2);
  });

  it('needs a time condition in "all"', () => {
    const error = thrown(() =>
      validateAutomationDefinition(
        automationWith(
          [{ field: 'status', operator: 'is', value: 'solved' }],
          [{ type: 'set_status', value: 'closed' }],
        ),
      ),
    );
    expect(error.message).toContain('needs a time condition');
    expect(error.field).toBe('conditions.all');
  });

  it('refuses one whose actions make none of its conditions false', () => {
    const error = thrown(() =>
      validateAutomationDefinition(
        automationWith(SOLVED_4H, [{ type: 'send_message', body: 'Hi' }]),
      ),
    );
    expect(error.message).toMatch(
      /^An automation must contain a condition that its own actions make false .*or be marked "once per ticket"/,
    );
    expect(error.field).toBe('conditions.all');
  });

  it('accepts one marked once per ticket without a nullifying condition', () => {
    expect(
      validateAutomationDefinition(
        automationWith(SOLVED_4H, [{ type: 'send_csat' }], { oncePerTicket: true }),
      ).oncePerTicket,
    ).toBe(true);
  });

  it('refuses the change operators in an automation', () => {
    expect(
      thrown(() =>
        validateAutomationDefinition(
          automationWith(
            [...SOLVED_4H, { field: 'status', operator: 'changed' }],
            [{ type: 'set_status', value: 'closed' }],
          ),
        ),
      ).field,
    ).toBe('conditions.all.2.operator');
  });
});

describe('nullifying conditions', () => {
  const nullified = (
    c: ReturnType<typeof cond>,
    actions: Parameters<typeof findNullifyingCondition>[1],
  ) => findNullifyingCondition([c], actions) !== null;

  it('counts a status the action moves away from, or to the status the condition excludes', () => {
    expect(
      nullified(cond('status', 'is', 'solved'), [{ type: 'set_status', value: 'closed' }]),
    ).toBe(true);
    expect(
      nullified(cond('status', 'is_not', 'pending'), [{ type: 'set_status', value: 'pending' }]),
    ).toBe(true);
    expect(
      nullified(cond('status', 'is', 'pending'), [{ type: 'set_status', value: 'pending' }]),
    ).toBe(false);
  });

  it('does not count a status move the condition makes illegal', () => {
    expect(nullified(cond('status', 'is', 'new'), [{ type: 'set_status', value: 'closed' }])).toBe(
      false,
    );
  });

  it('counts priority, group and assignee set to a value the condition excludes', () => {
    expect(
      nullified(cond('priority', 'is_not', 'high'), [{ type: 'set_priority', value: 'high' }]),
    ).toBe(true);
    expect(
      nullified(cond('priority', 'less_than', 'high'), [{ type: 'set_priority', value: 'urgent' }]),
    ).toBe(true);
    expect(
      nullified(cond('priority', 'less_than', 'high'), [{ type: 'set_priority', value: 'low' }]),
    ).toBe(false);
    expect(nullified(cond('group', 'is', null), [{ type: 'set_group', value: 'group-1' }])).toBe(
      true,
    );
    expect(
      nullified(cond('assignee', 'is', 'agent-1'), [{ type: 'set_assignee', value: null }]),
    ).toBe(true);
  });

  it('counts a tag added that the condition wants absent, or every wanted tag removed', () => {
    expect(nullified(cond('tags', 'not_contains', 'x'), [{ type: 'add_tags', value: ['x'] }])).toBe(
      true,
    );
    expect(
      nullified(cond('tags', 'not_contains', ['x', 'y']), [{ type: 'add_tags', value: ['y'] }]),
    ).toBe(true);
    expect(
      nullified(cond('tags', 'contains', ['x', 'y']), [{ type: 'remove_tags', value: ['x'] }]),
    ).toBe(false);
    expect(
      nullified(cond('tags', 'contains', ['x', 'y']), [{ type: 'remove_tags', value: ['x', 'y'] }]),
    ).toBe(true);
  });

  it('lets the last action on a field or tag decide', () => {
    expect(
      nullified(cond('tags', 'not_contains', 'x'), [
        { type: 'add_tags', value: ['x'] },
        { type: 'remove_tags', value: ['x'] },
      ]),
    ).toBe(false);
    expect(
      nullified(cond('status', 'is', 'solved'), [
        { type: 'set_status', value: 'closed' },
        { type: 'set_status', value: 'solved' },
      ]),
    ).toBe(false);
  });

  it('counts required skills replaced by ones the condition excludes', () => {
    expect(
      nullified(cond('skills', 'contains', 's1'), [{ type: 'set_skills', value: ['s2'] }]),
    ).toBe(true);
    expect(
      nullified(cond('skills', 'not_contains', 's1'), [{ type: 'set_skills', value: ['s1'] }]),
    ).toBe(true);
  });
});
