import { DomainError, isDomainError } from '@parlour/core';
import {
  CLIENT_FRAME_TYPES,
  ClientFrame,
  PROTOCOL_VERSION,
  type FeedEntry,
  type ServerFrame,
} from '@parlour/protocol';
import { readFeed, type Database } from '@parlour/storage';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { Compile } from 'typebox/compile';
import type { WebSocket } from 'ws';
import type { Bus } from '../bus/bus.js';
import type { Clock } from '../clock.js';
import { credentialOf } from '../http/access.js';
import { toErrorReply } from '../http/error-mapping.js';
import type { Services } from '../http/services.js';
import { nulError, nulPath } from '../http/validator.js';
import {
  ALL_ACCESS,
  MANAGERS,
  STAFF,
  accessOf,
  actorOf,
  type Access,
  type Principal,
} from '../principal.js';
import { assertFeedPosition } from '../services/conversation-service.js';
import { feedEntryOf } from '../services/dto.js';
import { conversationTopic, type FeedSignal } from '../services/feed-publisher.js';
import { isActivitySignal } from '../services/activity/activity-signal.js';
import { handshakeOriginAllowed } from './origin-check.js';
import { FixedWindow } from '../rate-limit/fixed-window.js';
import { rateLimitedError } from '../rate-limit/rate-limiter.js';
import { userTopic } from '../services/routing/user-topic.js';
import { randomUUID } from 'node:crypto';
import { Subscription } from './subscription.js';
import type { LiveViewHub } from '../services/live-view/live-view-hub.js';

export interface GatewayOptions {
  readonly services: Services;
  readonly bus: Bus;
  readonly database: Database;
  readonly logger: Logger;
  readonly heartbeatMs: number;
  /** Origins of the server's own pages. */
  readonly ownOrigins: readonly string[];
  /** Frames each connection may send per 10 seconds (0: no limit); counted per connection, never per IP. */
  readonly frameLimit?: { readonly per10s: number; readonly clock: Clock };
  /** Time for the typing throttle. */
  readonly clock: Clock;
  /** The supervisors' live view (live.subscribe frames). */
  readonly liveView?: LiveViewHub;
  /** Told of every feed entry sent on a socket (the message delivery latency metric). */
  readonly onDelivered?: (entry: FeedEntry) => void;
}

const FRAME_WINDOW_MS = 10_000;
/** Typing frames beyond one per second per socket and conversation are dropped (no error). */
const TYPING_EVERY_MS = 1_000;

const checkFrame = Compile(ClientFrame);
const checkFrameOfType = new Map(
  ClientFrame.anyOf.map((variant) => [variant.properties.type.const as string, Compile(variant)]),
);

/**
 * Why a frame is refused, or null when it is valid. A union's errors mention every variant, so a
 * frame is checked against the one its type names; text the database cannot store is refused too.
 */
function frameErrors(frame: unknown): object[] | null {
  if (checkFrame.Check(frame)) {
    const nul = nulPath(frame);
    return nul === null ? null : [nulError(nul)];
  }
  const type =
    typeof frame === 'object' && frame !== null ? (frame as { type?: unknown }).type : undefined;
  const variant = typeof type === 'string' ? checkFrameOfType.get(type) : undefined;
  const errors = variant ? [...variant.Errors(frame)] : [];
  return errors.length > 0
    ? errors
    : [{ instancePath: '/type', message: `must be one of ${CLIENT_FRAME_TYPES.join(', ')}` }];
}

/**
 * Who may send each frame. Every role may use every frame; what they may do with it is narrowed by
 * the use case (an end user subscribes only to their own conversations and writes only public
 * replies). A frame type missing here is refused.
 */
export const FRAME_ACCESS: Readonly<Record<ClientFrame['type'], readonly Access[]>> = {
  ping: ALL_ACCESS,
  subscribe: ALL_ACCESS,
  unsubscribe: ALL_ACCESS,
  'message.send': ALL_ACCESS,
  'offer.accept': STAFF,
  'offer.decline': STAFF,
  typing: ALL_ACCESS,
  read: ALL_ACCESS,
  'live.subscribe': MANAGERS,
  'live.unsubscribe': MANAGERS,
};
const MAX_SUBSCRIPTIONS = { staff: 2_000, end_user: 50 };
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

/**
 * The WebSocket edge (same port as HTTP, same auth hook): clients subscribe to conversations with
 * the last seq they saw and receive what they missed, then live events; they send messages with a
 * client message id and get an ack. Each process subscribes to the bus once per conversation it
 * has watchers for.
 */
export class Gateway {
  private readonly watchers = new Map<
    string,
    { sockets: Set<Connection>; unsubscribe: Promise<() => Promise<void>> }
  >();
  private readonly connections = new Set<Connection>();
  private heartbeat: NodeJS.Timeout | null = null;

  constructor(private readonly options: GatewayOptions) {}

  async register(app: FastifyInstance): Promise<void> {
    app.get(
      '/ws',
      {
        websocket: true,
        // @fastify/websocket hides socket routes from the API document; ours is part of the API.
        config: {
          access: ALL_ACCESS,
          swaggerTransform: ({ schema, url }) => ({ schema: { ...schema, hide: false }, url }),
        },
        schema: {
          tags: ['realtime'],
          summary:
            'WebSocket: send {type:"subscribe",conversationId,afterSeq} and {type:"message.send",…}; token by bearer, cookie or ?token=',
          querystring: { type: 'object', properties: { token: { type: 'string' } } },
        },
        preValidation: async (request: FastifyRequest) => {
          const allowed = (await this.options.services.settings.current()).allowedOrigins;
          const via = credentialOf(request)?.via ?? null;
          if (
            !handshakeOriginAllowed(request.headers.origin, this.options.ownOrigins, allowed, via)
          ) {
            throw new DomainError(
              'auth/forbidden',
              `Origin ${request.headers.origin} is not allowed`,
            );
          }
        },
      },
      (socket, request) => this.accept(socket, request.principal!),
    );
    this.heartbeat = setInterval(() => this.checkHeartbeats(), this.options.heartbeatMs);
    this.heartbeat.unref();
    app.addHook('onClose', async () => this.close());
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  async close(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const c of this.connections) c.socket.terminate();
    this.connections.clear();
    const all = [...this.watchers.values()];
    this.watchers.clear();
    await Promise.all(all.map(async (w) => (await w.unsubscribe)()));
  }

  private accept(socket: WebSocket, principal: Principal): void {
    const connection = new Connection(socket, principal);
    this.connections.add(connection);
    connection.send({
      type: 'welcome',
      protocol: PROTOCOL_VERSION,
      principal:
        principal.kind === 'user'
          ? { kind: 'user', id: principal.id, role: principal.role }
          : { kind: 'end_user', id: principal.id },
      heartbeatMs: this.options.heartbeatMs,
    });
    socket.on('pong', () => (connection.alive = true));
    socket.on('message', (data, isBinary) => {
      connection.alive = true;
      void this.onFrame(connection, isBinary ? null : data.toString()).catch((error: unknown) =>
        this.options.logger.error({ err: error }, 'websocket frame failed'),
      );
    });
    socket.on('close', () => this.drop(connection));
    socket.on('error', () => this.drop(connection));
    if (principal.kind === 'user') void this.joinStaff(connection, principal.id);
  }

  /**
   * A staff socket hears its own topic (offers, status, invitations), counts for presence, and
   * gets back any offer still waiting for an answer (a reload must not lose the popover).
   */
  private async joinStaff(connection: Connection, userId: string): Promise<void> {
    try {
      connection.userTopic = this.options.bus.subscribe(userTopic(userId), (payload) =>
        connection.send(payload as ServerFrame),
      );
      await connection.userTopic;
      await this.options.services.agentStatus.connected(userId, connection.id);
      for (const offer of await this.options.services.routing.pendingFor(userId))
        connection.send({ type: 'offer', offer });
    } catch (error) {
      this.options.logger.error({ err: error, userId }, 'registering a staff connection failed');
    }
  }

  /** Pings every socket; one that did not answer the previous ping is dropped. Runs every heartbeatMs. */
  checkHeartbeats(): void {
    for (const c of this.connections) {
      if (!c.alive) {
        c.socket.terminate();
        this.drop(c);
        continue;
      }
      c.alive = false;
      c.socket.ping();
    }
  }

  private drop(connection: Connection): void {
    if (!this.connections.delete(connection)) return;
    if (connection.principal.kind === 'user') {
      const userId = connection.principal.id;
      void connection.userTopic?.then((off) => off()).catch(() => undefined);
      void this.options.services.agentStatus
        .disconnected(userId, connection.id)
        .catch((error: unknown) =>
          this.options.logger.error({ err: error, userId }, 'presence update failed'),
        );
    }
    for (const conversationId of connection.subscriptions.keys())
      this.unwatch(connection, conversationId);
    connection.subscriptions.clear();
    this.options.liveView?.unsubscribe(connection);
  }

  /** Milliseconds until the connection may send again, counting this frame; 0 when within its budget. */
  private overBudget(connection: Connection): number {
    const limit = this.options.frameLimit;
    if (!limit || limit.per10s <= 0) return 0;
    const now = limit.clock.now().getTime();
    return connection.frames.take(now, limit.per10s, FRAME_WINDOW_MS, 1).retryAfterMs;
  }

  private async onFrame(connection: Connection, text: string | null): Promise<void> {
    const waitMs = this.overBudget(connection);
    let frame: unknown;
    try {
      if (text === null) throw new Error('binary');
      frame = JSON.parse(text);
    } catch {
      connection.send({
        type: 'error',
        code: 'frame/invalid-json',
        message: 'Frames are JSON text',
      });
      return;
    }
    const ref =
      typeof (frame as { ref?: unknown })?.ref === 'string'
        ? (frame as { ref: string }).ref.slice(0, 64)
        : undefined;
    if (waitMs > 0) {
      // Refused unread: a flooding client gets told when to come back, and nothing is done.
      connection.send({ type: 'error', ...(ref ? { ref } : {}), ...rateLimitedError(waitMs) });
      return;
    }
    const invalid = frameErrors(frame);
    if (invalid) {
      connection.send({
        type: 'error',
        ...(ref ? { ref } : {}),
        ...toErrorReply({ validation: invalid, validationContext: 'frame' }).body.error,
      });
      return;
    }
    try {
      await this.handle(connection, frame as ClientFrame); // frameErrors found none: it passed checkFrame
    } catch (error) {
      if (!isDomainError(error))
        this.options.logger.error({ err: error }, 'websocket handler failed');
      const mapped = toErrorReply(error);
      connection.send({ type: 'error', ...(ref ? { ref } : {}), ...mapped.body.error });
    }
  }

  private async handle(connection: Connection, frame: ClientFrame): Promise<void> {
    const { principal } = connection;
    if (!(FRAME_ACCESS[frame.type] ?? []).includes(accessOf(principal))) {
      throw new DomainError(
        'auth/forbidden',
        `${frame.type} is not allowed for ${accessOf(principal)}`,
      );
    }
    switch (frame.type) {
      case 'ping':
        connection.send({ type: 'pong', ...(frame.ref ? { ref: frame.ref } : {}) });
        return;
      case 'subscribe': {
        assertFeedPosition(frame.afterSeq, 'afterSeq');
        await this.options.services.conversations.get(principal, frame.conversationId);
        const limit =
          principal.kind === 'user' ? MAX_SUBSCRIPTIONS.staff : MAX_SUBSCRIPTIONS.end_user;
        if (
          !connection.subscriptions.has(frame.conversationId) &&
          connection.subscriptions.size >= limit
        ) {
          throw new DomainError(
            'validation/invalid',
            `At most ${limit} subscriptions per connection`,
            'conversationId',
          );
        }
        const sub = this.subscription(connection, frame.conversationId, frame.afterSeq);
        connection.subscriptions.set(frame.conversationId, sub);
        await this.watch(connection, frame.conversationId);
        await sub.start();
        const reads = await this.options.services.reads.marks(frame.conversationId);
        connection.send({
          type: 'subscribed',
          ...(frame.ref ? { ref: frame.ref } : {}),
          conversationId: frame.conversationId,
          lastSeq: sub.lastSeq,
          reads,
        });
        await sub.pump();
        return;
      }
      case 'unsubscribe':
        connection.typing.delete(frame.conversationId);
        if (connection.subscriptions.delete(frame.conversationId))
          this.unwatch(connection, frame.conversationId);
        connection.send({
          type: 'unsubscribed',
          ...(frame.ref ? { ref: frame.ref } : {}),
          conversationId: frame.conversationId,
        });
        return;
      case 'offer.accept':
      case 'offer.decline': {
        if (principal.kind !== 'user') throw new DomainError('auth/forbidden', 'Staff only');
        if (frame.type === 'offer.accept')
          await this.options.services.routing.accept(principal.id, frame.offerId);
        else await this.options.services.routing.decline(principal.id, frame.offerId);
        connection.send({ type: 'ok', ...(frame.ref ? { ref: frame.ref } : {}) });
        return;
      }
      case 'typing': {
        const kind = frame.kind ?? 'public';
        const now = this.options.clock.now().getTime();
        const last = connection.typing.get(frame.conversationId);
        // A stop after a start always goes through: it ends the indicator on the other side.
        const due =
          !last ||
          now - last.at >= TYPING_EVERY_MS ||
          last.kind !== kind ||
          (last.typing && !frame.typing);
        if (due) {
          connection.typing.set(frame.conversationId, { at: now, typing: frame.typing, kind });
          try {
            await connection.inOrder(() =>
              this.options.services.typing.typing(principal, {
                conversationId: frame.conversationId,
                typing: frame.typing,
                kind,
                from: connection.id,
              }),
            );
          } catch (error) {
            if (last) connection.typing.set(frame.conversationId, last);
            else connection.typing.delete(frame.conversationId);
            throw error;
          }
        }
        if (frame.ref) connection.send({ type: 'ok', ref: frame.ref });
        return;
      }
      case 'live.subscribe':
        if (!this.options.liveView) throw new DomainError('not-found', 'No live view here');
        await this.options.liveView.subscribe(connection, frame.ref);
        // Closed while its snapshot was read: nobody is left to update.
        if (!this.connections.has(connection)) this.options.liveView.unsubscribe(connection);
        return;
      case 'live.unsubscribe':
        this.options.liveView?.unsubscribe(connection);
        connection.send({ type: 'live.unsubscribed', ...(frame.ref ? { ref: frame.ref } : {}) });
        return;
      case 'read':
        await connection.inOrder(() =>
          this.options.services.reads.markRead(
            principal,
            frame.conversationId,
            frame.seq,
            connection.id,
          ),
        );
        if (frame.ref) connection.send({ type: 'ok', ref: frame.ref });
        return;
      case 'message.send': {
        const posted = await this.options.services.messages.post({
          actor: actorOf(principal),
          conversationId: frame.conversationId,
          kind: frame.kind ?? 'public',
          channel: frame.channel,
          body: frame.body,
          clientMessageId: frame.clientMessageId,
          attachmentIds: frame.attachmentIds,
        });
        connection.send({
          type: 'ack',
          ...(frame.ref ? { ref: frame.ref } : {}),
          conversationId: frame.conversationId,
          clientMessageId: frame.clientMessageId,
          messageId: posted.message.id,
          seq: posted.message.seq,
          duplicate: posted.duplicate,
        });
        return;
      }
    }
  }

  private subscription(
    connection: Connection,
    conversationId: string,
    afterSeq: number,
  ): Subscription {
    const audienceAll = connection.principal.kind === 'end_user';
    return new Subscription(
      conversationId,
      afterSeq,
      async (after) =>
        (await readFeed(this.options.database.db, conversationId, after, 'staff')).map(
          (item): FeedSignal => ({
            entry: feedEntryOf(conversationId, item),
            audience:
              item.kind === 'message'
                ? item.message.kind === 'public'
                  ? 'all'
                  : 'staff'
                : item.event.audience,
          }),
        ),
      (signal) => {
        // End users' sequences skip staff-only events; they advance lastSeq without being sent.
        if (audienceAll && signal.audience === 'staff') return;
        connection.send({ type: 'event', entry: signal.entry });
        this.options.onDelivered?.(signal.entry);
      },
      (error) =>
        this.options.logger.error(
          { err: error, conversationId },
          'catching up a subscription failed',
        ),
    );
  }

  private async watch(connection: Connection, conversationId: string): Promise<void> {
    let watcher = this.watchers.get(conversationId);
    if (!watcher) {
      const sockets = new Set<Connection>();
      const unsubscribe = this.options.bus.subscribe(
        conversationTopic(conversationId),
        (payload) => {
          if (isActivitySignal(payload)) {
            // Typing and read marks have no seq: straight to the sockets, outside the ordered feed.
            const { frame, from, staffOnly } = payload.activity;
            for (const c of sockets) {
              if (c.id === from || (staffOnly && c.principal.kind === 'end_user')) continue;
              c.send(frame);
            }
            return;
          }
          for (const c of sockets) c.subscriptions.get(conversationId)?.push(payload as FeedSignal);
        },
      );
      watcher = { sockets, unsubscribe };
      this.watchers.set(conversationId, watcher);
    }
    watcher.sockets.add(connection);
    await watcher.unsubscribe;
  }

  private unwatch(connection: Connection, conversationId: string): void {
    const watcher = this.watchers.get(conversationId);
    if (!watcher) return;
    watcher.sockets.delete(connection);
    if (watcher.sockets.size === 0) {
      this.watchers.delete(conversationId);
      void watcher.unsubscribe.then((off) => off()).catch(() => undefined);
    }
  }
}

class Connection {
  alive = true;
  readonly id = randomUUID();
  userTopic: Promise<() => Promise<void>> | null = null;
  private corked = false;
  readonly subscriptions = new Map<string, Subscription>();
  /** The last typing frame passed on per conversation (the throttle). */
  readonly typing = new Map<string, { at: number; typing: boolean; kind: 'public' | 'internal' }>();
  /** Frames received in the current 10-second window. */
  readonly frames = new FixedWindow();

  private activity: Promise<unknown> = Promise.resolve();

  constructor(
    readonly socket: WebSocket,
    readonly principal: Principal,
  ) {}

  /**
   * Frames are handled concurrently; typing and read frames of one socket are passed on in the
   * order they came, so a "stopped typing" is never overtaken by the "typing" sent before it.
   */
  inOrder<T>(step: () => Promise<T>): Promise<T> {
    const run = this.activity.then(step);
    this.activity = run.catch(() => undefined);
    return run;
  }

  send(frame: ServerFrame): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    if (this.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      // A client that does not read cannot hold the server's memory; it reconnects and resumes by seq.
      this.socket.close(1013, 'too slow: reconnect and resume');
      return;
    }
    // Frames sent in one turn of the event loop (an ack and its echo, a batch of events) leave in
    // one TCP write instead of one system call each.
    const raw = (this.socket as unknown as { _socket?: { cork(): void; uncork(): void } })._socket;
    if (raw && !this.corked) {
      this.corked = true;
      raw.cork();
      setImmediate(() => {
        this.corked = false;
        raw.uncork();
      });
    }
    this.socket.send(JSON.stringify(frame));
  }
}
