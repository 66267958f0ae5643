import type { Attachment, Conversation, FeedEntry } from '@parlour/protocol';
import { ChatTimeline, type PendingMessage, type TimelineItem } from './chat-timeline.js';

/** What the chat shows; a new object after every change. */
export interface ChatState {
  readonly phase: 'starting' | 'ready' | 'failed';
  readonly connection: 'connecting' | 'online' | 'offline';
  readonly conversationId: string | null;
  /** The conversation's session is active (false: ended; the next message starts a new chat). */
  readonly active: boolean;
  readonly items: readonly TimelineItem[];
  /** Who on the staff side is typing (null: nobody). */
  readonly staffTyping: string | null;
  /** The seq of the customer's latest message once staff have read it (0: not read). */
  readonly readSeq: number;
  /** The customer's latest stored message. */
  readonly lastCustomerSeq: number;
  readonly staged: readonly Attachment[];
  readonly uploading: boolean;
  /** A problem to tell the customer (an upload refused, the chat could not start). */
  readonly alert: string | null;
  readonly csat: Readonly<Record<string, 'good' | 'bad'>>;
  readonly unread: number;
  readonly draft: string;
}

interface ApiError {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

type ServerFrame =
  | { type: 'welcome' }
  | {
      type: 'subscribed';
      conversationId: string;
      lastSeq: number;
      reads?: { endUser: number; staff: number };
    }
  | { type: 'event'; entry: FeedEntry }
  | { type: 'ack'; ref?: string; clientMessageId: string; seq: number }
  | {
      type: 'error';
      ref?: string;
      code: string;
      message: string;
      retryAfterSeconds?: number;
    }
  | {
      type: 'typing';
      conversationId: string;
      actor: { type: string; id: string; name: string | null };
      typing: boolean;
    }
  | { type: 'read'; conversationId: string; reader: { type: string }; seq: number }
  | { type: string };

const KEY = {
  token: 'parlour.token',
  endUser: 'parlour.endUser',
  conversation: 'parlour.conversation',
  pending: 'parlour.pending',
  draft: 'parlour.draft',
  readSeq: 'parlour.readSeq',
} as const;

const TYPING_REPEAT_MS = 3_000;
const TYPING_EXPIRES_MS = 6_000;
const BACKOFF_BASE_MS = 300;
const BACKOFF_MAX_MS = 10_000;

const store = {
  get(key: string): string | null {
    try {
      return localStorage.getItem(key);
    } catch {
      return null;
    }
  },
  set(key: string, value: string | null): void {
    try {
      if (value === null) localStorage.removeItem(key);
      else localStorage.setItem(key, value);
    } catch {
      // Storage blocked (private mode): the chat works, it just does not survive a reload.
    }
  },
};

function loadPending(): PendingMessage[] {
  try {
    const raw = JSON.parse(store.get(KEY.pending) ?? '[]') as PendingMessage[];
    return Array.isArray(raw)
      ? raw.map((p) => ({ ...p, state: p.state === 'failed' ? 'failed' : 'queued' }))
      : [];
  } catch {
    return [];
  }
}

const CARD_NOTICE =
  'Your message was removed because it contained payment card details. For your security, never send card numbers in the chat.';

/** What to tell the customer when an upload is refused, by error code. */
export function uploadRefusal(fileName: string, error: ApiError): string {
  switch (error.code) {
    case 'attachment/too-large':
      return `"${fileName}" is too large to send.`;
    case 'attachment/type-not-allowed':
    case 'attachment/type-mismatch':
    case 'attachment/polyglot':
      return `"${fileName}" was not sent: this type of file is not accepted.`;
    case 'attachment/unscannable':
      return `"${fileName}" was not sent: it could not be checked for payment card details.`;
    case 'attachment/card-data':
      return `"${fileName}" was discarded because it contains payment card details.`;
    case 'attachment/empty':
      return `"${fileName}" is empty.`;
    default:
      if (error.status === 413) return `"${fileName}" is too large to send.`;
      if (error.status === 415)
        return `"${fileName}" was not sent: this type of file is not accepted.`;
      return `"${fileName}" could not be sent: ${error.message}`;
  }
}

/**
 * The customer's side of the chat: a widget token (the same visitor again from localStorage, or
 * verified by the company's JWT), the WebSocket with reconnects (exponential backoff) that resume
 * after the last seq seen, messages sent once by client message id (queued while offline and kept
 * in localStorage), uploads, read marks, typing, CSAT and ending the chat.
 */
export class ChatClient {
  private token: string | null = store.get(KEY.token);
  private endUserId: string | null = store.get(KEY.endUser);
  private timeline: ChatTimeline | null = null;
  private pending: PendingMessage[] = loadPending();
  private socket: WebSocket | null = null;
  private welcomed = false;
  private subscribed = false;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private typingTimer: ReturnType<typeof setTimeout> | null = null;
  private typingSentAt = 0;
  private readSent = 0;
  private flushing = false;
  private starting: Promise<string | null> | null = null;
  private visible = false;
  private listeners = new Set<(state: ChatState) => void>();
  state: ChatState = {
    phase: 'starting',
    connection: 'connecting',
    conversationId: null,
    active: false,
    items: [],
    staffTyping: null,
    readSeq: 0,
    lastCustomerSeq: 0,
    staged: [],
    uploading: false,
    alert: null,
    csat: {},
    unread: 0,
    draft: store.get(KEY.draft) ?? '',
  };

  constructor(
    private readonly origin: string,
    private readonly onUnread: (count: number) => void = () => undefined,
    private readonly onActive: (active: boolean) => void = () => undefined,
  ) {
    addEventListener('online', () => {
      if (this.state.connection !== 'online') this.reconnectNow();
    });
    document.addEventListener('visibilitychange', () => this.markRead());
  }

  subscribe(listener: (state: ChatState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private update(patch: Partial<ChatState>): void {
    const timeline = this.timeline;
    const readSeq = store.get(`${KEY.readSeq}.${timeline?.conversationId}`);
    const unread = timeline ? timeline.unreadAfter(Number(readSeq ?? 0)) : 0;
    const next: ChatState = {
      ...this.state,
      ...patch,
      items: timeline ? timeline.items(this.pending) : this.orphanItems(),
      lastCustomerSeq: timeline?.lastCustomerSeq() ?? 0,
      unread,
    };
    if (next.unread !== this.state.unread) this.onUnread(next.unread);
    this.state = next;
    for (const listener of this.listeners) listener(next);
  }

  /** Pending messages before any conversation exists. */
  private orphanItems(): TimelineItem[] {
    return new ChatTimeline('none').items(this.pending.filter((p) => p.conversationId === null));
  }

  // ---- Starting -----------------------------------------------------------------------------

  /** Gets a widget token and the conversation to show, then connects. */
  async start(jwt?: string): Promise<void> {
    try {
      await this.session(jwt);
      // The socket opens while the conversation loads; it subscribes once both are there.
      this.connect();
      await this.loadConversation();
      this.update({ phase: 'ready' });
    } catch (error) {
      this.update({
        phase: 'failed',
        alert: `The chat could not start: ${(error as ApiError).message ?? String(error)}`,
      });
    }
  }

  /** The host page's user signed in: a verified visitor, perhaps someone else than before. */
  async identify(jwt: string): Promise<void> {
    const before = this.endUserId;
    try {
      await this.session(jwt);
    } catch (error) {
      this.update({ alert: `Signing in to the chat failed: ${(error as ApiError).message}` });
      return;
    }
    if (before === this.endUserId) return;
    this.pending = [];
    this.savePending();
    this.timeline = null;
    this.update({ conversationId: null, active: false, phase: 'starting' });
    await this.loadConversation();
    this.update({ phase: 'ready' });
    this.reconnectNow();
    if (this.visible) await this.ensureConversation();
  }

  private async session(jwt?: string): Promise<void> {
    const request = async (body: object) =>
      this.api<{ token: string; endUser: { id: string } }>('POST', '/api/widget/session', body, {
        anonymous: true,
      });
    let reply;
    if (jwt) reply = await request({ jwt });
    else if (this.token) {
      try {
        reply = await request({ token: this.token });
      } catch (error) {
        if ((error as ApiError).status >= 500 || (error as ApiError).status === 0) throw error;
        reply = await request({}); // the stored visitor is gone or expired: start afresh
      }
    } else reply = await request({});
    if (this.endUserId !== reply.endUser.id) {
      store.set(KEY.conversation, null);
      this.pending = this.pending.filter((p) => p.conversationId === null);
    }
    this.token = reply.token;
    this.endUserId = reply.endUser.id;
    store.set(KEY.token, reply.token);
    store.set(KEY.endUser, reply.endUser.id);
  }

  /** Resumes the stored conversation, else the newest one; none: the first message starts one. */
  private async loadConversation(): Promise<void> {
    const mine = await this.api<Conversation[]>('GET', '/api/conversations');
    const storedId = store.get(KEY.conversation);
    const chosen = mine.find((c) => c.id === storedId) ?? mine[0];
    if (!chosen) {
      this.onActive(false);
      this.update({ conversationId: null, active: false });
      return;
    }
    const active = mine.find((c) => c.state === 'open' && c.session?.state === 'active');
    this.useConversation(active ?? chosen);
  }

  private useConversation(conversation: Pick<Conversation, 'id' | 'state' | 'session'>): void {
    const active = conversation.state === 'open' && conversation.session?.state === 'active';
    if (this.timeline?.conversationId !== conversation.id) {
      if (this.timeline && this.subscribed)
        this.sendFrame({ type: 'unsubscribe', conversationId: this.timeline.conversationId });
      this.timeline = new ChatTimeline(conversation.id);
      this.subscribed = false;
      this.readSent = 0;
      store.set(KEY.conversation, conversation.id);
      this.onActive(true);
      if (this.welcomed) this.subscribeFeed();
    }
    this.update({ conversationId: conversation.id, active, staffTyping: null, readSeq: 0 });
  }

  /** Opening the chat with no active conversation starts one (the bot greets). */
  async ensureConversation(): Promise<string | null> {
    if (this.state.conversationId && this.state.active) return this.state.conversationId;
    if (this.state.phase !== 'ready') return null;
    if (this.state.conversationId) return null; // an ended chat stays until the customer writes
    return this.startConversation();
  }

  private startConversation(): Promise<string | null> {
    this.starting ??= (async () => {
      try {
        const r = await this.api<{ conversation: Conversation }>('POST', '/api/conversations', {});
        this.useConversation(r.conversation);
        return r.conversation.id;
      } catch (error) {
        this.update({ alert: `The chat could not start: ${(error as ApiError).message}` });
        return null;
      } finally {
        this.starting = null;
      }
    })();
    return this.starting;
  }

  // ---- The socket ---------------------------------------------------------------------------

  private connect(): void {
    if (!this.token) return;
    const url = `${this.origin.replace(/^http/, 'ws')}/ws?token=${encodeURIComponent(this.token)}`;
    const socket = new WebSocket(url);
    this.socket = socket;
    this.welcomed = false;
    this.subscribed = false;
    this.update({ connection: this.attempt === 0 ? 'connecting' : 'offline' });
    socket.addEventListener('message', (event) => {
      if (socket !== this.socket) return;
      let frame: ServerFrame;
      try {
        frame = JSON.parse(String(event.data)) as ServerFrame;
      } catch {
        return;
      }
      this.onFrame(frame);
    });
    socket.addEventListener('close', () => {
      if (socket !== this.socket) return;
      this.socket = null;
      const refused = !this.welcomed;
      this.welcomed = false;
      this.subscribed = false;
      for (const p of this.pending) if (p.state === 'sending') p.state = 'queued';
      this.update({ connection: 'offline', staffTyping: null });
      this.scheduleReconnect(refused);
    });
  }

  private scheduleReconnect(refreshToken: boolean): void {
    if (this.retryTimer) return;
    const delay =
      Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** this.attempt) * (0.75 + Math.random() / 4);
    this.attempt += 1;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.reconnect(refreshToken);
    }, delay);
  }

  private async reconnect(refreshToken: boolean): Promise<void> {
    if (refreshToken) {
      // A refused handshake may be an expired token: get a fresh one for the same visitor.
      try {
        await this.session();
      } catch {
        this.scheduleReconnect(true);
        return;
      }
    }
    this.connect();
  }

  private reconnectNow(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.attempt = 0;
    const old = this.socket;
    this.socket = null;
    old?.close();
    this.connect();
  }

  private sendFrame(frame: object): boolean {
    if (!this.socket || this.socket.readyState !== WebSocket.OPEN) return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  private subscribeFeed(): void {
    if (!this.timeline) return;
    this.sendFrame({
      type: 'subscribe',
      ref: 'subscribe',
      conversationId: this.timeline.conversationId,
      afterSeq: this.timeline.lastSeq,
    });
  }

  private onFrame(frame: ServerFrame): void {
    switch (frame.type) {
      case 'welcome':
        this.welcomed = true;
        this.attempt = 0;
        if (this.timeline) this.subscribeFeed();
        else {
          this.update({ connection: 'online' });
          void this.flush();
        }
        return;
      case 'subscribed': {
        const f = frame as Extract<ServerFrame, { type: 'subscribed' }>;
        if (f.conversationId !== this.timeline?.conversationId) return;
        this.subscribed = true;
        const staff = f.reads?.staff ?? 0;
        this.update({ connection: 'online', readSeq: Math.max(this.state.readSeq, staff) });
        // Catch-up events follow this frame: the server keeps a resent message once anyway.
        queueMicrotask(() => void this.flush());
        return;
      }
      case 'event': {
        const { entry } = frame as Extract<ServerFrame, { type: 'event' }>;
        if (!this.timeline?.add(entry)) return;
        this.onEntry(entry);
        return;
      }
      case 'ack': {
        const f = frame as Extract<ServerFrame, { type: 'ack' }>;
        const p = this.pending.find((m) => m.clientMessageId === f.clientMessageId);
        if (p) {
          p.state = 'sent';
          this.savePending();
          this.update({});
        }
        return;
      }
      case 'error': {
        const f = frame as Extract<ServerFrame, { type: 'error' }>;
        if (f.ref?.startsWith('send:')) this.onSendError(f.ref.slice(5), f);
        else if (f.ref === 'subscribe' && f.code === 'conversation/not-found') {
          // The stored conversation is gone (or not this visitor's): pick again.
          store.set(KEY.conversation, null);
          this.timeline = null;
          this.update({ conversationId: null, active: false });
          void this.loadConversation().then(() => this.flush());
        }
        // typing/read refusals (older servers) and others change nothing the customer sees.
        return;
      }
      case 'typing': {
        const f = frame as Extract<ServerFrame, { type: 'typing' }>;
        if (f.conversationId !== this.timeline?.conversationId || f.actor.type === 'end_user')
          return;
        if (this.typingTimer) clearTimeout(this.typingTimer);
        this.typingTimer = null;
        if (f.typing) {
          this.typingTimer = setTimeout(
            () => this.update({ staffTyping: null }),
            TYPING_EXPIRES_MS,
          );
          this.update({ staffTyping: f.actor.name ?? 'The agent' });
        } else this.update({ staffTyping: null });
        return;
      }
      case 'read': {
        const f = frame as Extract<ServerFrame, { type: 'read' }>;
        if (f.conversationId !== this.timeline?.conversationId || f.reader.type === 'end_user')
          return;
        if (f.seq > this.state.readSeq) this.update({ readSeq: f.seq });
        return;
      }
    }
  }

  private onEntry(entry: FeedEntry): void {
    const event = entry.event;
    const patch: { active?: boolean; staffTyping?: null } = {};
    if (event.type === 'message.created') {
      const id = event.message.clientMessageId;
      if (id && event.message.authorType === 'end_user') {
        const before = this.pending.length;
        this.pending = this.pending.filter((p) => p.clientMessageId !== id);
        if (this.pending.length !== before) this.savePending();
      } else patch.staffTyping = null;
    }
    if (event.type === 'session.ended' || event.type === 'conversation.closed')
      patch.active = false;
    this.update(patch);
    this.markRead();
  }

  // ---- Sending ------------------------------------------------------------------------------

  /** Sends a message (or queues it while offline); staged attachments go with it. */
  send(text: string): void {
    const body = text.trim();
    const attachments = this.state.staged;
    if (!body && attachments.length === 0) return;
    const active = this.state.active ? this.state.conversationId : null;
    this.pending.push({
      clientMessageId: crypto.randomUUID(),
      body,
      attachments,
      conversationId: active,
      state: 'queued',
    });
    this.savePending();
    this.setDraft('');
    this.update({ staged: [], alert: null });
    void this.flush();
  }

  /** Sends every queued message in order: over the socket, or by HTTP to start a new chat. */
  private async flush(): Promise<void> {
    if (this.flushing || this.state.connection !== 'online') return;
    this.flushing = true;
    try {
      for (const p of [...this.pending]) {
        if (p.state !== 'queued') continue;
        // A chat being started (the widget just opened) takes the message: no second conversation.
        if (this.starting) await this.starting;
        if (this.state.connection !== 'online') return;
        const current = this.timeline?.conversationId ?? null;
        if (p.conversationId === null && current && this.state.active) p.conversationId = current;
        if (p.conversationId !== null && (p.conversationId !== current || !this.state.active)) {
          // Written in a chat that has since ended: it opens the next one instead.
          if (p.attachments.length > 0) {
            this.fail(p, 'This chat ended before the file was sent. Attach it again.');
            continue;
          }
          p.conversationId = null;
        }
        if (p.conversationId !== null && this.subscribed) {
          p.state = 'sending';
          this.sendFrame({
            type: 'message.send',
            ref: `send:${p.clientMessageId}`,
            conversationId: p.conversationId,
            clientMessageId: p.clientMessageId,
            body: p.body,
            ...(p.attachments.length ? { attachmentIds: p.attachments.map((a) => a.id) } : {}),
          });
          this.sendTyping(false);
        } else if (p.conversationId === null) await this.postToNewChat(p);
      }
      this.savePending();
      this.update({});
    } finally {
      this.flushing = false;
    }
  }

  /** POST /api/widget/messages: writes to the active chat, or starts a new one (the same id is kept once). */
  private async postToNewChat(p: PendingMessage): Promise<void> {
    p.state = 'sending';
    this.update({});
    try {
      const r = await this.api<{ conversationId: string; started: boolean }>(
        'POST',
        '/api/widget/messages',
        {
          body: p.body,
          clientMessageId: p.clientMessageId,
          ...(p.attachments.length ? { attachmentIds: p.attachments.map((a) => a.id) } : {}),
        },
      );
      p.conversationId = r.conversationId;
      p.state = 'sent';
      this.savePending();
      this.useConversation({
        id: r.conversationId,
        state: 'open',
        session: { state: 'active' } as Conversation['session'],
      });
    } catch (error) {
      const e = error as ApiError;
      if (e.status === 0) p.state = 'queued';
      else this.onSendError(p.clientMessageId, e);
    }
  }

  private onSendError(
    clientMessageId: string,
    error: { code: string; message: string; retryAfterSeconds?: number },
  ): void {
    const p = this.pending.find((m) => m.clientMessageId === clientMessageId);
    if (!p) return;
    if (error.code === 'content/card-data') {
      this.pending = this.pending.filter((m) => m !== p);
      this.savePending();
      if (this.timeline) this.timeline.notice(`card-${clientMessageId}`, CARD_NOTICE);
      this.update({ alert: this.timeline ? null : CARD_NOTICE });
      return;
    }
    if (error.code === 'session/ended' || error.code === 'conversation/closed') {
      p.state = 'queued';
      this.update({ active: false });
      void this.flush();
      return;
    }
    if (error.code === 'rate/limited' || error.code === 'auth/rate-limited') {
      p.state = 'queued';
      setTimeout(() => void this.flush(), (error.retryAfterSeconds ?? 2) * 1000);
      return;
    }
    this.fail(p, error.message);
  }

  private fail(p: PendingMessage, message: string): void {
    p.state = 'failed';
    p.error = message;
    this.savePending();
    this.update({});
  }

  /** A failed message: send it again (same id) or drop it. */
  retry(clientMessageId: string): void {
    const p = this.pending.find((m) => m.clientMessageId === clientMessageId);
    if (!p) return;
    p.state = 'queued';
    delete p.error;
    void this.flush();
  }

  discard(clientMessageId: string): void {
    this.pending = this.pending.filter((m) => m.clientMessageId !== clientMessageId);
    this.savePending();
    this.update({});
  }

  private savePending(): void {
    const keep = this.pending.filter((p) => p.state !== 'sent');
    store.set(KEY.pending, keep.length ? JSON.stringify(keep) : null);
  }

  // ---- Draft, typing, read ------------------------------------------------------------------

  setDraft(text: string): void {
    store.set(KEY.draft, text || null);
    this.state = { ...this.state, draft: text };
    if (text.trim()) {
      if (Date.now() - this.typingSentAt > TYPING_REPEAT_MS) this.sendTyping(true);
    } else this.sendTyping(false);
  }

  private sendTyping(typing: boolean): void {
    const id = this.timeline?.conversationId;
    if (!id || !this.state.active || !this.subscribed) return;
    if (!typing && this.typingSentAt === 0) return;
    this.typingSentAt = typing ? Date.now() : 0;
    this.sendFrame({ type: 'typing', ref: 'typing', conversationId: id, typing });
  }

  /** The chat is on screen (open in the host page) or not. */
  setVisible(visible: boolean): void {
    this.visible = visible;
    this.markRead();
  }

  private markRead(): void {
    const timeline = this.timeline;
    if (!timeline || !this.visible || document.visibilityState !== 'visible') return;
    const seq = timeline.lastSeq;
    const key = `${KEY.readSeq}.${timeline.conversationId}`;
    if (Number(store.get(key) ?? 0) < seq) {
      store.set(key, String(seq));
      this.update({});
    }
    if (seq > this.readSent && this.subscribed) {
      this.readSent = seq;
      this.sendFrame({ type: 'read', ref: 'read', conversationId: timeline.conversationId, seq });
    }
  }

  // ---- Attachments, CSAT, ending ------------------------------------------------------------

  async upload(file: File): Promise<void> {
    this.update({ uploading: true, alert: null });
    try {
      const conversationId =
        this.state.active && this.state.conversationId
          ? this.state.conversationId
          : await this.startConversation();
      if (!conversationId) return;
      const form = new FormData();
      form.append('file', file, file.name);
      const attachment = await this.api<Attachment>(
        'POST',
        `/api/conversations/${conversationId}/attachments`,
        form,
      );
      this.update({ staged: [...this.state.staged, attachment] });
    } catch (error) {
      this.update({ alert: uploadRefusal(file.name, error as ApiError) });
    } finally {
      this.update({ uploading: false });
    }
  }

  unstage(attachmentId: string): void {
    this.update({ staged: this.state.staged.filter((a) => a.id !== attachmentId) });
  }

  /** The attachment's bytes (downloads need the widget token, so no plain link). */
  async download(attachment: Attachment): Promise<string> {
    const response = await fetch(new URL(attachment.url, this.origin), {
      headers: { authorization: `Bearer ${this.token}` },
    });
    if (!response.ok) throw new Error(`Download failed (${response.status})`);
    return URL.createObjectURL(await response.blob());
  }

  async rate(surveyId: string, rating: 'good' | 'bad'): Promise<void> {
    const id = this.state.conversationId;
    if (!id) return;
    try {
      await this.api('POST', `/api/conversations/${id}/csat`, { surveyId, rating });
      this.update({ csat: { ...this.state.csat, [surveyId]: rating } });
    } catch (error) {
      this.update({ alert: `Your rating was not saved: ${(error as ApiError).message}` });
    }
  }

  async endChat(): Promise<void> {
    const id = this.state.conversationId;
    if (!id || !this.state.active) return;
    try {
      const c = await this.api<Conversation>('POST', `/api/conversations/${id}/end-session`, {
        reason: 'customer_left',
      });
      this.update({ active: c.state === 'open' && c.session?.state === 'active' });
    } catch (error) {
      this.update({ alert: `The chat could not be ended: ${(error as ApiError).message}` });
    }
  }

  dismissAlert(): void {
    this.update({ alert: null });
  }

  // ---- HTTP ---------------------------------------------------------------------------------

  private async api<T = unknown>(
    method: 'GET' | 'POST',
    path: string,
    body?: object,
    options: { anonymous?: boolean } = {},
  ): Promise<T> {
    const headers: Record<string, string> = {};
    if (!options.anonymous && this.token) headers.authorization = `Bearer ${this.token}`;
    if (body !== undefined && !(body instanceof FormData))
      headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(`${this.origin}${path}`, {
        method,
        headers,
        ...(body !== undefined
          ? { body: body instanceof FormData ? body : JSON.stringify(body) }
          : {}),
      });
    } catch {
      throw { status: 0, code: 'network', message: 'You are offline' } satisfies ApiError;
    }
    const text = await response.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    if (!response.ok) {
      const error = (json as { error?: { code?: string; message?: string } } | null)?.error;
      throw {
        status: response.status,
        code: error?.code ?? `http/${response.status}`,
        message: error?.message ?? response.statusText,
      } satisfies ApiError;
    }
    return json as T;
  }
}
