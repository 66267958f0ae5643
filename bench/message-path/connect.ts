import { WebSocket, type RawData } from 'ws';
import type { Fixture } from './fixture.js';
import { mapLimit } from './map-limit.js';

/** The open sockets of a run: one per end user (index = conversation), and the agents' sockets. */
export interface Clients {
  readonly conversationIds: readonly string[];
  readonly endUserSockets: readonly WebSocket[];
  readonly agentSockets: readonly WebSocket[];
  close(): void;
}

/**
 * Opens every end user's socket and `agentSocketCount` agent sockets, then subscribes each agent
 * socket to its share of the conversations (conversation i → agent socket i mod n) and waits
 * until every subscription is confirmed.
 */
export async function connectClients(fixture: Fixture, agentSocketCount: number): Promise<Clients> {
  const all: WebSocket[] = [];
  const close = () => {
    for (const socket of all) socket.terminate();
  };
  try {
    const endUserSockets = await mapLimit(fixture.endUsers, 50, async (endUser) => {
      const socket = await openSocket(withToken(fixture.wsUrl, endUser.token));
      all.push(socket);
      return socket;
    });
    const agentSockets = await Promise.all(
      Array.from({ length: agentSocketCount }, async (_, k) => {
        const socket = await openSocket(
          withToken(fixture.wsUrl, fixture.agentTokens[k % fixture.agentTokens.length]!),
        );
        all.push(socket);
        return socket;
      }),
    );
    const conversationIds = fixture.endUsers.map((e) => e.conversationId);
    await Promise.all(
      agentSockets.map((socket, k) =>
        subscribeAll(
          socket,
          conversationIds.filter((_, i) => i % agentSocketCount === k),
        ),
      ),
    );
    return { conversationIds, endUserSockets, agentSockets, close };
  } catch (error) {
    close();
    throw error;
  }
}

function withToken(wsUrl: string, token: string): string {
  return `${wsUrl}?token=${encodeURIComponent(token)}`;
}

/** Opens a socket and waits for the server's welcome frame. */
function openSocket(url: string, timeoutMs = 20_000): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { perMessageDeflate: false });
    const done = () => {
      clearTimeout(timer);
      socket.off('message', onMessage);
      socket.off('close', onClose);
      socket.off('unexpected-response', onRefused);
    };
    const fail = (error: Error) => {
      done();
      socket.terminate();
      reject(error);
    };
    const onMessage = (data: RawData) => {
      const text = rawText(data);
      if (text.includes('"type":"welcome"')) {
        done();
        resolve(socket);
      } else fail(new Error(`expected a welcome frame, got ${text.slice(0, 300)}`));
    };
    const onClose = (code: number, reason: Buffer) =>
      fail(new Error(`socket closed during the handshake (${code} ${reason.toString()})`));
    const onRefused = (_request: unknown, response: { statusCode?: number }) =>
      fail(new Error(`WebSocket handshake answered HTTP ${response.statusCode ?? '?'}`));
    const timer = setTimeout(
      () => fail(new Error(`no welcome frame within ${timeoutMs} ms`)),
      timeoutMs,
    );
    // Kept for the socket's lifetime: an 'error' event without a listener would throw.
    socket.on('error', (error) => fail(error));
    socket.on('message', onMessage);
    socket.on('close', onClose);
    socket.on('unexpected-response', onRefused);
  });
}

/** Subscribes to each conversation from seq 0 and waits for every `subscribed` frame. */
function subscribeAll(
  socket: WebSocket,
  conversationIds: readonly string[],
  timeoutMs = 60_000,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const waiting = new Set(conversationIds);
    const done = (error?: Error) => {
      clearTimeout(timer);
      socket.off('message', onMessage);
      if (error) reject(error);
      else resolve();
    };
    const onMessage = (data: RawData) => {
      const frame = JSON.parse(rawText(data)) as {
        type: string;
        conversationId?: string;
        code?: string;
        message?: string;
      };
      if (frame.type === 'subscribed' && frame.conversationId) {
        waiting.delete(frame.conversationId);
        if (waiting.size === 0) done();
      } else if (frame.type === 'error')
        done(new Error(`subscribe failed: ${frame.code ?? ''} ${frame.message ?? ''}`));
    };
    const timer = setTimeout(
      () => done(new Error(`${waiting.size} subscriptions unconfirmed after ${timeoutMs} ms`)),
      timeoutMs,
    );
    socket.on('message', onMessage);
    if (waiting.size === 0) done();
    for (const conversationId of conversationIds)
      socket.send(JSON.stringify({ type: 'subscribe', conversationId, afterSeq: 0 }));
  });
}

export function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString();
  if (Array.isArray(data)) return Buffer.concat(data).toString();
  return Buffer.from(data).toString();
}
