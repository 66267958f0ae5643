import { describe, expect, it } from 'vitest';
import { buildConversation, buildState, endedSession } from '../testing/build.js';
import { messagingOpen } from './conversation-state.js';

describe('messagingOpen', () => {
  it('is open while the conversation is open and its session active', () => {
    expect(messagingOpen(buildState())).toBe(true);
  });

  it('is shut once the session has ended', () => {
    expect(messagingOpen(buildState({ session: endedSession() }))).toBe(false);
  });

  it('is shut without a session', () => {
    expect(messagingOpen(buildState({ session: null }))).toBe(false);
  });

  it('is shut once the conversation is closed', () => {
    expect(
      messagingOpen(buildState({ conversation: buildConversation({ state: 'closed' }) })),
    ).toBe(false);
  });
});
