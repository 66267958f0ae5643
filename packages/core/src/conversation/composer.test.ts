import { describe, expect, it } from 'vitest';
import type { ConversationState } from './conversation-state.js';
import { composerOptions } from './composer.js';

const at = new Date('2026-01-01T00:00:00Z');
function state(options: {
  channel?: 'messaging' | 'email' | 'api';
  session?: 'active' | 'ended' | null;
  email?: string | null;
  closed?: boolean;
}): ConversationState {
  const channel = options.channel ?? 'messaging';
  return {
    conversation: {
      id: 'c',
      endUserId: 'u',
      channel,
      state: options.closed ? 'closed' : 'open',
      ticketId: 't',
      createdAt: at,
      closedAt: options.closed ? at : null,
    },
    session:
      options.session === null || channel !== 'messaging'
        ? null
        : {
            id: 's',
            conversationId: 'c',
            state: options.session ?? 'active',
            endReason: options.session === 'ended' ? 'ended_by_agent' : null,
            startedAt: at,
            endedAt: options.session === 'ended' ? at : null,
          },
    ticket: null,
    requesterEmail: options.email ?? null,
  };
}

describe('the agent composer', () => {
  it('starts on messaging while the session is active', () => {
    expect(composerOptions(state({})).default).toBe('messaging');
  });

  it('switches messaging off once the session has ended', () => {
    expect(
      composerOptions(state({ session: 'ended', email: 'a@b.example' })).available,
    ).not.toContain('messaging');
  });

  it('defaults to a public email reply after the session ended when the email is known', () => {
    expect(composerOptions(state({ session: 'ended', email: 'a@b.example' })).default).toBe(
      'email',
    );
  });

  it('defaults to an internal note after the session ended when the email is unknown', () => {
    expect(composerOptions(state({ session: 'ended' }))).toEqual({
      available: ['internal'],
      default: 'internal',
    });
  });

  it('keeps internal notes available in every case', () => {
    for (const s of [
      state({}),
      state({ session: 'ended' }),
      state({ channel: 'email', email: 'a@b.example' }),
      state({ closed: true }),
    ]) {
      expect(composerOptions(s).available).toContain('internal');
    }
  });

  it('offers only notes on a closed conversation', () => {
    expect(composerOptions(state({ closed: true })).available).toEqual(['internal']);
  });
});
