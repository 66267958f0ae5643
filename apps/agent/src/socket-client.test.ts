import { describe, expect, it } from 'vitest';
import type { FeedEntry } from '@parlour/protocol';
import { SocketClient, type SocketLike } from './socket-client.js';

class FakeSocket implements SocketLike {
  sent: Record<string, unknown>[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: (() => void) | null = null;
  closed = false;
  send(data: string) {
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
  }
  close() {
    this.closed = true;
  }
  receive(frame: unknown) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
  welcome() {
    this.receive({
      type: 'welcome',
      protocol: 1,
      principal: { kind: 'user', id: 'u', role: 'agent' },
      heartbeatMs: 30000,
    });
  }
}

const CID = '00000000-0000-4000-8000-000000000001';

function entry(seq: number, body = `m${seq}`): FeedEntry {
  return {
    conversationId: CID,
    seq,
    at: '2026-01-05T09:00:00.000Z',
    event: {
      type: 'message.created',
      message: {
        id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
        conversationId: CID,
        ticketId: null,
        seq,
        kind: 'public',
        authorType: 'end_user',
        authorId: null,
        channel: 'messaging',
        body,
        clientMessageId: null,
        createdAt: '2026-01-05T09:00:00.000Z',
        attachments: [],
      },
    },
  };
}

function setup() {
  const sockets: FakeSocket[] = [];
  const timers: (() => void)[] = [];
  const entries: number[] = [];
  const acked: string[] = [];
  const refused: { id: string; code: string }[] = [];
  let refusedConnections = 0;
  const client = new SocketClient({
    open: () => {
      const s = new FakeSocket();
      sockets.push(s);
      return s;
    },
    schedule: (fn) => timers.push(fn),
    handlers: {
      entry: (e) => entries.push(e.seq),
      acked: (m) => acked.push(m.clientMessageId),
      refused: (m, e) => refused.push({ id: m.clientMessageId, code: e.code }),
      refusedConnection: () => (refusedConnections += 1),
    },
  });
  return {
    client,
    sockets,
    timers,
    entries,
    acked,
    refused,
    refusedConnections: () => refusedConnections,
    last: () => sockets[sockets.length - 1]!,
  };
}

describe('the agent socket client', () => {
  it('subscribes after the welcome and drops entries it already has', () => {
    const t = setup();
    t.client.subscribe(CID, 0);
    t.client.connect();
    expect(t.last().sent).toEqual([]);
    t.last().welcome();
    expect(t.last().sent).toEqual([{ type: 'subscribe', conversationId: CID, afterSeq: 0 }]);
    for (const seq of [1, 2, 2, 1, 3]) t.last().receive({ type: 'event', entry: entry(seq) });
    expect(t.entries).toEqual([1, 2, 3]);
  });

  it('resumes from the last seen seq after a reconnect, with no duplicates', () => {
    const t = setup();
    t.client.connect();
    t.last().welcome();
    t.client.subscribe(CID, 0);
    t.last().receive({ type: 'event', entry: entry(1) });
    t.last().receive({ type: 'event', entry: entry(2) });
    t.client.drop();
    expect(t.client.state).toBe('closed');
    expect(t.timers).toHaveLength(1);
    t.timers.shift()!();
    t.last().welcome();
    expect(t.last().sent).toEqual([{ type: 'subscribe', conversationId: CID, afterSeq: 2 }]);
    // The server replays from 3; a late duplicate of 2 is ignored.
    t.last().receive({ type: 'event', entry: entry(2) });
    t.last().receive({ type: 'event', entry: entry(3) });
    expect(t.entries).toEqual([1, 2, 3]);
  });

  it('keeps a message typed while offline and sends it once after the reconnect, same client id', () => {
    const t = setup();
    t.client.connect();
    t.client.send({ conversationId: CID, clientMessageId: 'c-1', body: 'hello' });
    expect(t.last().sent).toEqual([]);
    expect(t.client.pending()).toHaveLength(1);
    t.last().welcome();
    const sends = () => t.sockets.flatMap((s) => s.sent).filter((f) => f.type === 'message.send');
    expect(sends()).toEqual([
      {
        type: 'message.send',
        ref: 'c-1',
        conversationId: CID,
        clientMessageId: 'c-1',
        body: 'hello',
      },
    ]);
    // The connection dies before the ack: the same message goes again, with the same id.
    t.client.drop();
    t.timers.shift()!();
    t.last().welcome();
    expect(sends().map((f) => f.clientMessageId)).toEqual(['c-1', 'c-1']);
    t.last().receive({
      type: 'ack',
      ref: 'c-1',
      conversationId: CID,
      clientMessageId: 'c-1',
      messageId: '00000000-0000-4000-8000-0000000000aa',
      seq: 4,
      duplicate: true,
    });
    expect(t.acked).toEqual(['c-1']);
    expect(t.client.pending()).toEqual([]);
    // Acknowledged: a later reconnect sends nothing again.
    t.client.drop();
    t.timers.shift()!();
    t.last().welcome();
    expect(t.last().sent.filter((f) => f.type === 'message.send')).toEqual([]);
  });

  it('reports a refused message (card data) and does not retry it', () => {
    const t = setup();
    t.client.connect();
    t.last().welcome();
    t.client.send({ conversationId: CID, clientMessageId: 'c-2', body: '4111 1111 1111 1111' });
    t.last().receive({
      type: 'error',
      ref: 'c-2',
      code: 'content/card-data',
      message: 'Card data is not allowed',
    });
    expect(t.refused).toEqual([{ id: 'c-2', code: 'content/card-data' }]);
    expect(t.client.pending()).toEqual([]);
  });

  it('retries a rate-limited message after the wait instead of dropping it', () => {
    const t = setup();
    t.client.connect();
    t.last().welcome();
    t.client.send({ conversationId: CID, clientMessageId: 'c-3', body: 'hi' });
    t.last().receive({
      type: 'error',
      ref: 'c-3',
      code: 'rate/limited',
      message: 'slow down',
      retryAfterSeconds: 1,
    });
    expect(t.refused).toEqual([]);
    t.timers.shift()!();
    expect(t.last().sent.filter((f) => f.type === 'message.send')).toHaveLength(2);
  });

  it('says when the socket closes before a welcome (perhaps an expired login)', () => {
    const t = setup();
    t.client.connect();
    t.last().onclose?.();
    expect(t.refusedConnections()).toBe(1);
  });

  it('sends typing and read frames only while connected, never queued', () => {
    const t = setup();
    t.client.connect();
    expect(t.client.sendTransient({ type: 'typing', conversationId: CID, typing: true })).toBe(
      false,
    );
    t.last().welcome();
    expect(t.client.sendTransient({ type: 'read', conversationId: CID, seq: 3 })).toBe(true);
    expect(t.last().sent).toEqual([{ type: 'read', conversationId: CID, seq: 3 }]);
  });

  it('stops reconnecting after stop()', () => {
    const t = setup();
    t.client.connect();
    t.last().welcome();
    t.client.stop();
    expect(t.timers).toEqual([]);
    expect(t.last().closed).toBe(true);
  });
});
