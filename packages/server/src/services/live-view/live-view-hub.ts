import type { LiveAgent, LiveModel, LiveQueue, LiveUpdate, ServerFrame } from '@parlour/protocol';
import type { Unsubscribe } from '../../bus/bus.js';
import type { Principal } from '../../principal.js';
import type { ServiceContext } from '../context.js';
import { loadScope, scopeFromModel, scopeModel, type LiveScope } from './live-scope.js';
import {
  ChangeSet,
  changesLiveView,
  LIVE_VIEW_TOPIC,
  toPayload,
  type LiveChange,
  type ObservedBus,
} from './live-signal.js';
import {
  loadConversationOwners,
  loadLiveAgents,
  loadLiveModel,
  loadLiveQueues,
} from './load-live-model.js';
import { Throttle } from './throttle.js';

/** One socket watching the live view. */
export interface LiveViewer {
  readonly principal: Principal;
  send(frame: ServerFrame): void;
}

interface Sent {
  /** Each row as last sent (JSON), by id: the next update carries only rows that differ. */
  readonly agents: Map<string, string>;
  readonly queues: Map<string, string>;
  /** The model load the snapshot came from; older loads finishing later are not sent to it. */
  readonly fromLoad: number;
}

export interface LiveViewOptions {
  /** At most one model read per this many ms per process (default 25). */
  readonly gapMs?: number;
  /** A refresh even without signals ("missed in the last 30 minutes" decays with time). */
  readonly sweepMs?: number;
}

/** The model as last read or patched, with each row's position in it. */
interface Cached {
  model: LiveModel;
  readonly agentAt: Map<string, number>;
  readonly queueAt: Map<string, number>;
}

const cache = (model: LiveModel): Cached => ({
  model,
  agentAt: new Map(model.agents.map((a, i) => [a.id, i])),
  queueAt: new Map(model.queues.map((q, i) => [q.groupId, i])),
});

/** The rows a targeted read found (in the model) and the ids it found gone. */
interface Patch {
  readonly at: string;
  readonly agents: LiveAgent[];
  readonly queues: LiveQueue[];
  readonly removedAgentIds: string[];
  readonly removedQueueIds: string[];
  /** Agents whose rows were re-read (a viewer among them may have changed scope). */
  readonly userIds: ReadonlySet<string>;
}

/**
 * The supervisors' live view, pushed over the socket. PostgreSQL holds the truth and the bus is
 * only a signal: any publish that can change what a supervisor sees (an agent's own topic: offers,
 * status; a conversation's feed: tickets changing hands or status) makes this process publish one
 * coalesced `live-view` signal naming the agents and conversations concerned, and every process,
 * on that signal, re-reads only those agents' rows and their queues' counts (the whole model when
 * the signal names nothing it can target, on the periodic sweep, or when it has no model yet),
 * patches its cached model and sends each of its viewers the rows of their scope that changed. So
 * each process recomputes for its own subscribers only, a burst of changes costs one read per
 * gap, and a supervisor's screen is at most one read behind the database (and the sweep re-reads
 * everything, so nothing a signal missed stays stale).
 */
export class LiveViewHub {
  private readonly viewers = new Map<LiveViewer, Sent>();
  private readonly refresher: Throttle;
  private readonly signaller: Throttle;
  private loads = 0;
  /** Changes published in this process, not yet signalled. */
  private readonly outgoing = new ChangeSet();
  /** Changes signalled (by any process), not yet read. */
  private readonly incoming = new ChangeSet();
  /** The model as of the last refresh; null when there is none to patch (no viewers). */
  private cached: Cached | null = null;
  /** Subscribes reading their snapshot: changes meanwhile are kept for them. */
  private subscribing = 0;
  /** Model reads so far, whole or targeted (for tests and diagnostics). */
  readonly reads = { full: 0, targeted: 0, sweeps: 0 };
  private off: Promise<Unsubscribe> | null = null;
  private sweep: NodeJS.Timeout | null = null;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly bus: ObservedBus,
    private readonly options: LiveViewOptions = {},
  ) {
    const gapMs = options.gapMs ?? 25;
    const onError = (err: unknown) => ctx.logger.error({ err }, 'live view refresh failed');
    this.refresher = new Throttle(() => this.refresh(), gapMs, onError);
    // One signal in flight at a time: changes meanwhile make one more, sent as soon as it is out.
    this.signaller = new Throttle(
      async () => {
        if (!this.outgoing.empty)
          await this.bus.publish(LIVE_VIEW_TOPIC, toPayload(this.outgoing.drain()));
      },
      0,
      onError,
    );
  }

  async start(): Promise<void> {
    this.bus.observe((topic) => {
      if (!changesLiveView(topic)) return;
      this.outgoing.addTopic(topic);
      this.signaller.trigger();
    });
    this.off = this.bus.subscribe(LIVE_VIEW_TOPIC, (payload) => this.changed(payload));
    await this.off;
    this.sweep = setInterval(() => {
      this.reads.sweeps++;
      this.changed();
    }, this.options.sweepMs ?? 15_000);
    this.sweep.unref();
  }

  async stop(): Promise<void> {
    if (this.sweep) clearInterval(this.sweep);
    this.refresher.stop();
    this.signaller.stop();
    this.viewers.clear();
    this.cached = null;
    await (
      await this.off
    )?.();
    await this.refresher.idle();
    await this.signaller.idle();
  }

  get viewerCount(): number {
    return this.viewers.size;
  }

  /**
   * Something changed somewhere (any process): refresh this process's viewers. `payload` is a
   * `live-view` signal's; without one (the sweep) or with one it cannot target, everything is read.
   */
  changed(payload?: unknown): void {
    if (this.viewers.size === 0 && this.subscribing === 0) {
      this.cached = null; // nobody to refresh: the cache would go stale unseen
      return;
    }
    if (payload === undefined) this.incoming.addAll();
    else this.incoming.addPayload(payload);
    this.refresher.trigger();
  }

  /** Sends the viewer's snapshot and keeps them updated; refused for agents (403). */
  async subscribe(viewer: LiveViewer, ref?: string): Promise<void> {
    await loadScope(this.ctx.database.db, viewer.principal); // refuses agents before any read
    const load = ++this.loads;
    this.subscribing++;
    let model: LiveModel;
    try {
      model = await loadLiveModel(this.ctx.database.db, this.ctx.clock.now());
      this.reads.full++;
    } finally {
      this.subscribing--;
    }
    // The first viewer's snapshot is the model to patch: changes during its read are pending.
    if (!this.cached) this.cached = cache(structuredClone(model));
    const scoped = scopeModel(model, scopeFromModel(model, viewer.principal));
    this.viewers.set(viewer, {
      agents: new Map(scoped.agents.map((a) => [a.id, JSON.stringify(a)])),
      queues: new Map(scoped.queues.map((q) => [q.groupId, JSON.stringify(q)])),
      fromLoad: load,
    });
    viewer.send({ type: 'live.snapshot', ...(ref ? { ref } : {}), model: scoped });
    if (!this.incoming.empty) this.refresher.trigger();
  }

  /** The viewer's scoped model now, without subscribing (GET /api/live). */
  async snapshot(principal: Principal): Promise<LiveModel> {
    await loadScope(this.ctx.database.db, principal);
    const model = await loadLiveModel(this.ctx.database.db, this.ctx.clock.now());
    return scopeModel(model, scopeFromModel(model, principal));
  }

  unsubscribe(viewer: LiveViewer): boolean {
    const removed = this.viewers.delete(viewer);
    if (this.viewers.size === 0) this.cached = null;
    return removed;
  }

  /**
   * Reads what changed (the rows concerned, or the whole model) and sends every viewer the rows of
   * their scope that changed.
   */
  private async refresh(): Promise<void> {
    if (this.viewers.size === 0) {
      if (this.subscribing > 0) return; // kept for the subscribe, which triggers again
      this.incoming.drain();
      this.cached = null;
      return;
    }
    const change = this.incoming.drain();
    if (!change.all && change.users.size === 0 && change.conversations.size === 0) return;
    const load = ++this.loads;
    const now = this.ctx.clock.now();
    let patch: Patch | null = null;
    try {
      patch = change.all || !this.cached ? null : await this.readPatch(change, now);
    } catch (err) {
      this.incoming.addAll(); // the next refresh (the next signal or the sweep) reads everything
      throw err;
    }
    if (patch) this.reads.targeted++;
    else {
      const model = await loadLiveModel(this.ctx.database.db, now).catch((err: unknown) => {
        this.incoming.addAll();
        throw err;
      });
      this.reads.full++;
      this.cached = cache(model);
      for (const [viewer, sent] of this.viewers) {
        if (sent.fromLoad > load) continue;
        const update = diff(scopeModel(model, scopeFromModel(model, viewer.principal)), sent);
        if (update) viewer.send({ type: 'live.update', update });
      }
      return;
    }
    const model = this.cached!.model;
    for (const [viewer, sent] of this.viewers) {
      if (sent.fromLoad > load) continue;
      const scope = scopeFromModel(model, viewer.principal);
      // A viewer whose own groups may have changed gets their whole scope compared.
      const update =
        viewer.principal.kind === 'user' && patch.userIds.has(viewer.principal.id)
          ? diff(scopeModel(model, scope), sent)
          : diffPatch(patch, scope, sent);
      if (update) viewer.send({ type: 'live.update', update });
    }
  }

  /**
   * Re-reads the rows `change` concerns: the agents named, the assignees of the conversations
   * named (before and after), and the queues of all of these; patches the cached model with them.
   * Null when it cannot (a row new to the model: its place is unknown), so the caller reads all.
   */
  private async readPatch(change: LiveChange, now: Date): Promise<Patch | null> {
    const db = this.ctx.database.db;
    const users = new Set(change.users);
    const groups = new Set<string>();
    const before = this.cached!;
    if (change.conversations.size > 0) {
      for (const owner of await loadConversationOwners(db, [...change.conversations])) {
        if (owner.assigneeId) users.add(owner.assigneeId);
        if (owner.groupId) groups.add(owner.groupId);
      }
      for (const agent of before.model.agents)
        for (const c of agent.conversations)
          if (change.conversations.has(c.conversationId)) {
            users.add(agent.id);
            if (c.groupId) groups.add(c.groupId);
          }
    }
    const agents = await loadLiveAgents(db, [...users]);
    for (const id of users) {
      const at = before.agentAt.get(id);
      if (at !== undefined) for (const g of before.model.agents[at]!.groupIds) groups.add(g);
    }
    for (const agent of agents) for (const g of agent.groupIds) groups.add(g);
    const queues = await loadLiveQueues(db, now, [...groups]);
    const current = this.cached;
    if (current !== before) return null; // replaced meanwhile (cannot happen: one refresh at a time)
    if (agents.some((a) => !current.agentAt.has(a.id))) return null;
    if (queues.some((q) => !current.queueAt.has(q.groupId))) return null;
    const found = new Set(agents.map((a) => a.id));
    const removedAgentIds = [...users].filter((id) => current.agentAt.has(id) && !found.has(id));
    const foundQueues = new Set(queues.map((q) => q.groupId));
    const removedQueueIds = [...groups].filter(
      (id) => current.queueAt.has(id) && !foundQueues.has(id),
    );
    const model = current.model;
    const at = now.toISOString();
    if (removedAgentIds.length + removedQueueIds.length > 0) {
      const goneAgents = new Set(removedAgentIds);
      const goneQueues = new Set(removedQueueIds);
      this.cached = cache({
        at,
        agents: model.agents.filter((a) => !goneAgents.has(a.id)),
        queues: model.queues.filter((q) => !goneQueues.has(q.groupId)),
      });
    } else this.cached = { ...current, model: { ...model, at } };
    const patched = this.cached;
    for (const agent of agents) patched.model.agents[patched.agentAt.get(agent.id)!] = agent;
    for (const queue of queues) patched.model.queues[patched.queueAt.get(queue.groupId)!] = queue;
    return { at, agents, queues, removedAgentIds, removedQueueIds, userIds: users };
  }
}

const agentInScope = (agent: LiveAgent, scope: LiveScope) =>
  scope.all || agent.groupIds.some((g) => scope.groupIds.has(g));
const queueInScope = (queue: LiveQueue, scope: LiveScope) =>
  scope.all || scope.groupIds.has(queue.groupId);

/**
 * The patched rows of the viewer's scope that differ from what was sent, and the ones that left
 * it (recording them as sent), or null when none: the targeted counterpart of `diff`.
 */
function diffPatch(patch: Patch, scope: LiveScope, sent: Sent): LiveUpdate | null {
  const update: LiveUpdate = {
    at: patch.at,
    queues: [],
    agents: [],
    removedQueueIds: [],
    removedAgentIds: [],
  };
  for (const agent of patch.agents) {
    if (!agentInScope(agent, scope)) {
      if (sent.agents.delete(agent.id)) update.removedAgentIds.push(agent.id);
      continue;
    }
    const json = JSON.stringify(agent);
    if (sent.agents.get(agent.id) === json) continue;
    sent.agents.set(agent.id, json);
    update.agents.push(agent);
  }
  for (const id of patch.removedAgentIds)
    if (sent.agents.delete(id)) update.removedAgentIds.push(id);
  for (const queue of patch.queues) {
    if (!queueInScope(queue, scope)) {
      if (sent.queues.delete(queue.groupId)) update.removedQueueIds.push(queue.groupId);
      continue;
    }
    const json = JSON.stringify(queue);
    if (sent.queues.get(queue.groupId) === json) continue;
    sent.queues.set(queue.groupId, json);
    update.queues.push(queue);
  }
  for (const id of patch.removedQueueIds)
    if (sent.queues.delete(id)) update.removedQueueIds.push(id);
  const changed =
    update.agents.length +
    update.queues.length +
    update.removedAgentIds.length +
    update.removedQueueIds.length;
  return changed > 0 ? update : null;
}

/** The rows that differ from what was sent (recording them as sent), or null when none. */
function diff(model: LiveModel, sent: Sent): LiveUpdate | null {
  const update: LiveUpdate = {
    at: model.at,
    queues: [],
    agents: [],
    removedQueueIds: [],
    removedAgentIds: [],
  };
  const seenAgents = new Set<string>();
  for (const agent of model.agents) {
    seenAgents.add(agent.id);
    const json = JSON.stringify(agent);
    if (sent.agents.get(agent.id) === json) continue;
    sent.agents.set(agent.id, json);
    update.agents.push(agent);
  }
  for (const id of sent.agents.keys()) {
    if (seenAgents.has(id)) continue;
    sent.agents.delete(id);
    update.removedAgentIds.push(id);
  }
  const seenQueues = new Set<string>();
  for (const queue of model.queues) {
    seenQueues.add(queue.groupId);
    const json = JSON.stringify(queue);
    if (sent.queues.get(queue.groupId) === json) continue;
    sent.queues.set(queue.groupId, json);
    update.queues.push(queue);
  }
  for (const id of sent.queues.keys()) {
    if (seenQueues.has(id)) continue;
    sent.queues.delete(id);
    update.removedQueueIds.push(id);
  }
  const changed =
    update.agents.length +
    update.queues.length +
    update.removedAgentIds.length +
    update.removedQueueIds.length;
  return changed > 0 ? update : null;
}
