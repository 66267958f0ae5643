import type { Fixture } from './fixture.js';
import { mapLimit } from './map-limit.js';

/** The demo agents that PARLOUR_DEMO=true creates (see packages/server/src/seed-demo.ts). */
export const DEMO_AGENTS = [
  { email: 'alex@parlour.example', password: 'parlour-agent' },
  { email: 'sam@parlour.example', password: 'parlour-agent' },
] as const;

/**
 * Over the public API: the demo agents log in; each end user gets a widget token and starts a
 * conversation. Requests go in parallel (`concurrency` at a time).
 */
export async function parlourFixture(
  baseUrl: string,
  wsUrl: string,
  conversations: number,
  concurrency = 32,
): Promise<Fixture> {
  const agentTokens = await Promise.all(
    DEMO_AGENTS.map(
      async (agent) => (await post<{ token: string }>(baseUrl, '/api/auth/login', agent)).token,
    ),
  );
  const endUsers = await mapLimit(Array.from({ length: conversations }), concurrency, async () => {
    const { token } = await post<{ token: string }>(baseUrl, '/api/widget/session', {});
    const { conversation } = await post<{ conversation: { id: string } }>(
      baseUrl,
      '/api/conversations',
      {},
      token,
    );
    return { token, conversationId: conversation.id };
  });
  return { wsUrl, endUsers, agentTokens };
}

async function post<T>(baseUrl: string, path: string, body: unknown, token?: string): Promise<T> {
  const response = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  if (!response.ok)
    throw new Error(`POST ${path} answered ${response.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}
