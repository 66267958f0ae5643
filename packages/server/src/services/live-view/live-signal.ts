import type { Bus } from '../../bus/bus.js';

/** The bus topic every process's live view listens to: "something a supervisor sees changed". */
export const LIVE_VIEW_TOPIC = 'live-view';

/** Topics whose messages change what the live view shows: agents' own topics and conversation feeds. */
export function changesLiveView(topic: string): boolean {
  return topic.startsWith('user:') || topic.startsWith('conversation:');
}

/**
 * What a `live-view` signal says changed: these agents (their status, capacity, offers) and these
 * conversations (their ticket's assignee, queue or status). `all` (or any payload that is not one
 * of these, e.g. from an older process) means "anything may have changed: read everything".
 */
export interface LiveChange {
  readonly all: boolean;
  readonly users: ReadonlySet<string>;
  readonly conversations: ReadonlySet<string>;
}

/** The wire payload of a targeted signal (a full one is any other payload, e.g. `1`). */
export interface LiveSignalPayload {
  readonly users: string[];
  readonly conversations: string[];
}

/** More ids than this in one signal: a full read is cheaper than the targeted one. */
export const MAX_TARGETED_IDS = 200;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Accumulates changes until drained; anything it cannot target turns it into a full read. */
export class ChangeSet {
  private all = false;
  private users = new Set<string>();
  private conversations = new Set<string>();

  get empty(): boolean {
    return !this.all && this.users.size === 0 && this.conversations.size === 0;
  }

  /** A bus topic published in this process (`user:<id>`, `conversation:<id>`). */
  addTopic(topic: string): void {
    const [kind, id] = topic.split(':', 2) as [string, string | undefined];
    if (!id || !UUID.test(id)) this.all = true;
    else if (kind === 'user') this.users.add(id);
    else if (kind === 'conversation') this.conversations.add(id);
    else this.all = true;
    this.bound();
  }

  /** A `live-view` signal's payload, from any process. */
  addPayload(payload: unknown): void {
    const p = payload as Partial<LiveSignalPayload> | null;
    const ids = (list: unknown) =>
      Array.isArray(list) && list.every((id) => typeof id === 'string' && UUID.test(id))
        ? (list as string[])
        : null;
    const users = ids(p?.users);
    const conversations = ids(p?.conversations);
    if (!users || !conversations) this.all = true;
    else {
      for (const id of users) this.users.add(id);
      for (const id of conversations) this.conversations.add(id);
    }
    this.bound();
  }

  addAll(): void {
    this.all = true;
    this.bound();
  }

  /** The accumulated change, and a fresh start. */
  drain(): LiveChange {
    const change = { all: this.all, users: this.users, conversations: this.conversations };
    this.all = false;
    this.users = new Set();
    this.conversations = new Set();
    return change;
  }

  private bound(): void {
    if (this.all || this.users.size + this.conversations.size > MAX_TARGETED_IDS) {
      this.all = true;
      this.users.clear();
      this.conversations.clear();
    }
  }
}

/** The payload to publish for a drained change. */
export function toPayload(change: LiveChange): LiveSignalPayload | 1 {
  return change.all ? 1 : { users: [...change.users], conversations: [...change.conversations] };
}

/**
 * A bus that lets observers see every publish (topic and payload) before passing it on. The live
 * view and the metrics watch what the use cases already publish after commit, so no use case has
 * to know about them.
 */
export class ObservedBus implements Bus {
  private readonly observers: ((topic: string, payload: unknown) => void)[] = [];

  constructor(private readonly inner: Bus) {}

  observe(observer: (topic: string, payload: unknown) => void): void {
    this.observers.push(observer);
  }

  async publish(topic: string, payload: unknown): Promise<void> {
    for (const observe of this.observers) observe(topic, payload);
    await this.inner.publish(topic, payload);
  }

  subscribe: Bus['subscribe'] = (topic, handler) => this.inner.subscribe(topic, handler);

  close(): Promise<void> {
    return this.inner.close();
  }
}
