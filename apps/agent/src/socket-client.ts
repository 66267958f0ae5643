import type { ClientFrame, FeedEntry, ServerFrame } from '@parlour/protocol';

/** The part of a browser WebSocket the client uses (a fake one in tests). */
export interface SocketLike {
  send(data: string): void;
  close(): void;
  onopen: (() => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: (() => void) | null;
}

/** Frames of the issue-6 contract that the protocol package may not list yet (typing, read). */
export type TypingFrame = {
  type: 'typing';
  conversationId: string;
  actor: { type: 'end_user' | 'user'; id: string; name: string | null };
  typing: boolean;
};
export type ReadFrame = {
  type: 'read';
  conversationId: string;
  reader: { type: 'end_user' | 'user'; id: string };
  seq: number;
};
export type IncomingFrame = ServerFrame | TypingFrame | ReadFrame;

export interface OutgoingMessage {
  readonly conversationId: string;
  readonly clientMessageId: string;
  readonly body: string;
  readonly kind?: 'public' | 'internal';
  readonly channel?: 'messaging' | 'email' | 'api';
  readonly attachmentIds?: readonly string[];
}

export interface SocketError {
  readonly code: string;
  readonly message: string;
  readonly field?: string;
}

export type ConnectionState = 'connecting' | 'open' | 'closed';

export interface SocketClientHandlers {
  /** Feed entries, each once and in order per conversation. */
  entry?(entry: FeedEntry): void;
  /** Every other frame (offers, status, typing, read, subscribed, …). */
  frame?(frame: IncomingFrame): void;
  state?(state: ConnectionState): void;
  /** A message joined the outbox (shown as pending until acknowledged). */
  queued?(message: OutgoingMessage): void;
  /** A queued message was stored (or was already: a resend). */
  acked?(message: OutgoingMessage, messageId: string, seq: number): void;
  /** The server refused a queued message (card data, closed ticket, …): it is not retried. */
  refused?(message: OutgoingMessage, error: SocketError): void;
  /** The socket closed before the server welcomed it (perhaps the login expired). */
  refusedConnection?(): void;
}

export interface SocketClientOptions {
  readonly open: () => SocketLike;
  readonly handlers: SocketClientHandlers;
  readonly schedule?: (fn: () => void, ms: number) => unknown;
  /** Reconnect delays, the last one repeating. */
  readonly backoffMs?: readonly number[];
}

const DEFAULT_BACKOFF = [500, 1000, 2000, 5000, 10_000];

/**
 * The agent's WebSocket: subscriptions that resume from the last seen seq after a reconnect,
 * feed entries delivered once (duplicates dropped), and an outbox of messages that stay queued
 * while the socket is down and are sent with the same clientMessageId once it is back (the
 * server stores a resend once).
 */
export class SocketClient {
  private socket: SocketLike | null = null;
  private welcomed = false;
  private stopped = false;
  private attempts = 0;
  private readonly lastSeq = new Map<string, number>();
  private readonly outbox = new Map<string, OutgoingMessage>();
  private readonly schedule: (fn: () => void, ms: number) => unknown;
  private readonly backoff: readonly number[];
  state: ConnectionState = 'closed';

  constructor(private readonly options: SocketClientOptions) {
    this.schedule = options.schedule ?? ((fn, ms) => setTimeout(fn, ms));
    this.backoff = options.backoffMs ?? DEFAULT_BACKOFF;
  }

  connect(): void {
    this.stopped = false;
    if (this.socket) return;
    this.setState('connecting');
    this.welcomed = false;
    const socket = this.options.open();
    this.socket = socket;
    socket.onmessage = (event) => {
      if (this.socket !== socket || typeof event.data !== 'string') return;
      let frame: IncomingFrame;
      try {
        frame = JSON.parse(event.data) as IncomingFrame;
      } catch {
        return;
      }
      this.receive(frame);
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      const wasWelcomed = this.welcomed;
      this.welcomed = false;
      this.setState('closed');
      if (!wasWelcomed) this.options.handlers.refusedConnection?.();
      if (this.stopped) return;
      const delay = this.backoff[Math.min(this.attempts, this.backoff.length - 1)] ?? 1000;
      this.attempts += 1;
      this.schedule(() => {
        if (!this.stopped) this.connect();
      }, delay);
    };
  }

  /** Close for good (logout): no reconnect. Queued messages stay queued. */
  stop(): void {
    this.stopped = true;
    const socket = this.socket;
    this.socket = null;
    this.welcomed = false;
    socket?.close();
    this.setState('closed');
  }

  /** Drop the connection as if the network failed (tests, and "reconnect now"). */
  drop(): void {
    const socket = this.socket;
    socket?.onclose?.();
    socket?.close();
  }

  /** Follow a conversation from a seq on (entries after it are delivered). */
  subscribe(conversationId: string, afterSeq: number): void {
    const known = this.lastSeq.get(conversationId);
    if (known === undefined || afterSeq > known) this.lastSeq.set(conversationId, afterSeq);
    if (this.welcomed)
      this.write({
        type: 'subscribe',
        ref: `sub:${conversationId}`.slice(0, 64),
        conversationId,
        afterSeq: this.lastSeq.get(conversationId) ?? afterSeq,
      });
  }

  isSubscribed(conversationId: string): boolean {
    return this.lastSeq.has(conversationId);
  }

  /** The highest seq delivered for a conversation. */
  seqOf(conversationId: string): number {
    return this.lastSeq.get(conversationId) ?? 0;
  }

  unsubscribe(conversationId: string): void {
    if (!this.lastSeq.delete(conversationId)) return;
    if (this.welcomed) this.write({ type: 'unsubscribe', conversationId });
  }

  /** Queue a message: sent now when connected, else once the socket is back. */
  send(message: OutgoingMessage): void {
    this.outbox.set(message.clientMessageId, message);
    this.options.handlers.queued?.(message);
    if (this.welcomed) this.writeMessage(message);
  }

  /** Messages not yet acknowledged. */
  pending(): OutgoingMessage[] {
    return [...this.outbox.values()];
  }

  /** Typing, read, offer answers: sent only while connected, never queued. */
  sendTransient(frame: ClientFrame | Record<string, unknown>): boolean {
    if (!this.welcomed) return false;
    this.write(frame);
    return true;
  }

  private receive(frame: IncomingFrame): void {
    const handlers = this.options.handlers;
    switch (frame.type) {
      case 'welcome':
        this.welcomed = true;
        this.attempts = 0;
        this.setState('open');
        for (const [conversationId, afterSeq] of this.lastSeq)
          this.write({ type: 'subscribe', conversationId, afterSeq });
        for (const message of this.outbox.values()) this.writeMessage(message);
        handlers.frame?.(frame);
        return;
      case 'event': {
        const { entry } = frame;
        const last = this.lastSeq.get(entry.conversationId);
        if (last === undefined || entry.seq <= last) return;
        this.lastSeq.set(entry.conversationId, entry.seq);
        handlers.entry?.(entry);
        return;
      }
      case 'ack': {
        const message = this.outbox.get(frame.clientMessageId);
        if (!message) return;
        this.outbox.delete(frame.clientMessageId);
        handlers.acked?.(message, frame.messageId, frame.seq);
        return;
      }
      case 'error': {
        const message = frame.ref ? this.outbox.get(frame.ref) : undefined;
        if (message) {
          if (frame.code === 'rate/limited') {
            const wait = (frame.retryAfterSeconds ?? 1) * 1000;
            this.schedule(() => {
              if (this.welcomed && this.outbox.has(message.clientMessageId))
                this.writeMessage(message);
            }, wait);
            return;
          }
          this.outbox.delete(message.clientMessageId);
          handlers.refused?.(message, {
            code: frame.code,
            message: frame.message,
            ...(frame.field ? { field: frame.field } : {}),
          });
          return;
        }
        handlers.frame?.(frame);
        return;
      }
      default:
        handlers.frame?.(frame);
    }
  }

  private writeMessage(message: OutgoingMessage): void {
    this.write({
      type: 'message.send',
      ref: message.clientMessageId.slice(0, 64),
      conversationId: message.conversationId,
      clientMessageId: message.clientMessageId,
      body: message.body,
      ...(message.kind ? { kind: message.kind } : {}),
      ...(message.channel ? { channel: message.channel } : {}),
      ...(message.attachmentIds?.length ? { attachmentIds: [...message.attachmentIds] } : {}),
    });
  }

  private write(frame: ClientFrame | Record<string, unknown>): void {
    try {
      this.socket?.send(JSON.stringify(frame));
    } catch {
      // The socket is closing: the outbox resends after the reconnect.
    }
  }

  private setState(state: ConnectionState): void {
    if (this.state === state) return;
    this.state = state;
    this.options.handlers.state?.(state);
  }
}
