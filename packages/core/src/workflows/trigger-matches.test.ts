import { describe, expect, it } from 'vitest';
import { triggerMatches } from './trigger-matches.js';

describe('triggerMatches', () => {
  it('starts "conversation opened by a contact" only for conversations a contact opened', () => {
    const trigger = { type: 'conversation_opened', source: 'contact' } as const;
    expect(triggerMatches(trigger, { type: 'conversation_opened', source: 'contact' })).toBe(true);
    expect(triggerMatches(trigger, { type: 'conversation_opened', source: 'agent' })).toBe(false);
  });

  it('starts "conversation opened from any source" whoever opened it', () => {
    const trigger = { type: 'conversation_opened', source: 'any' } as const;
    expect(triggerMatches(trigger, { type: 'conversation_opened', source: 'api' })).toBe(true);
  });

  it('starts "tag added" only when the update added that tag', () => {
    const trigger = { type: 'tag_added', tag: 'vip' } as const;
    expect(triggerMatches(trigger, { type: 'tag_added', tags: ['billing', 'vip'] })).toBe(true);
    expect(triggerMatches(trigger, { type: 'tag_added', tags: ['billing'] })).toBe(false);
  });

  it('starts a manual workflow only by hand, and nothing else by hand', () => {
    expect(triggerMatches({ type: 'manual' }, { type: 'manual' })).toBe(true);
    expect(triggerMatches({ type: 'manual' }, { type: 'incoming_message' })).toBe(false);
    expect(triggerMatches({ type: 'incoming_message' }, { type: 'manual' })).toBe(false);
  });

  it('starts on the kind of event it names', () => {
    expect(triggerMatches({ type: 'conversation_closed' }, { type: 'conversation_closed' })).toBe(
      true,
    );
    expect(triggerMatches({ type: 'incoming_message' }, { type: 'conversation_closed' })).toBe(
      false,
    );
  });
});
