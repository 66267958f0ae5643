import { randomUUID } from 'node:crypto';

/** Who talks in a run: one end user (token + conversation) per conversation, and agent logins. */
export interface Fixture {
  readonly wsUrl: string;
  readonly endUsers: readonly { readonly token: string; readonly conversationId: string }[];
  /** Staff tokens; agent sockets take them in turn. */
  readonly agentTokens: readonly string[];
}

/** The relay checks nothing: made-up tokens and conversation ids of Parlour's length (UUIDs). */
export function relayFixture(wsUrl: string, conversations: number): Fixture {
  return {
    wsUrl,
    endUsers: Array.from({ length: conversations }, (_, i) => ({
      token: `end-user-${i}`,
      conversationId: randomUUID(),
    })),
    agentTokens: ['agent-0', 'agent-1'],
  };
}
