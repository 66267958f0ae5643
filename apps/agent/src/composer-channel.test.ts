import { describe, expect, it } from 'vitest';
import { composerChoice, keepOrDefault } from './composer-channel.js';

describe('the composer channel switch', () => {
  it('follows the server: after the session ended, email when the email is known', () => {
    const choice = composerChoice({
      channel: 'messaging',
      composer: { available: ['email', 'internal'], default: 'email' },
    });
    expect(choice).toEqual({ available: ['email', 'internal'], initial: 'email' });
  });

  it('starts on the internal note when the server says so (no email known)', () => {
    const choice = composerChoice({
      channel: 'messaging',
      composer: { available: ['internal'], default: 'internal' },
    });
    expect(choice.initial).toBe('internal');
  });

  it("offers the conversation's channel and the note without a hint", () => {
    expect(composerChoice({ channel: 'messaging' })).toEqual({
      available: ['messaging', 'internal'],
      initial: 'messaging',
    });
  });

  it("keeps the agent's pick while possible, else moves to the new default", () => {
    const ended = composerChoice({
      channel: 'messaging',
      composer: { available: ['email', 'internal'], default: 'email' },
    });
    expect(keepOrDefault('internal', ended)).toBe('internal');
    expect(keepOrDefault('messaging', ended)).toBe('email');
    expect(keepOrDefault(null, ended)).toBe('email');
  });
});
