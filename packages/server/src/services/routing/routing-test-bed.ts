import type { AgentPresence, GroupRoutingBody, Offer, QueueEntry } from '@parlour/protocol';
import type { StorageKind } from '@parlour/storage';
import { ManualClock } from '../../clock.js';
import { DEMO_ACCOUNTS } from '../../seed-demo.js';
import { apiClient, type ApiResponse } from '../../testing/api-client.js';
import { startTestServer, type TestServer } from '../../testing/test-server.js';
import { TestSocket } from '../../testing/ws-client.js';

export interface TestAgent {
  readonly id: string;
  /** Renewed by reset(), whose jump in time outlives login sessions. */
  token: string;
}

export interface TestChat {
  readonly visitorToken: string;
  readonly conversationId: string;
  readonly ticketId: string;
}

export interface HistoryEntry {
  readonly type: string;
  readonly actor: { type: string; id: string | null };
  readonly data: Record<string, unknown>;
  readonly at: string;
}

const AGENT_PASSWORD = 'parlour-agent';
const HOUR = 60 * 60 * 1000;

/**
 * One listening test server per describe, with a manual clock, the demo agents and helpers that
 * speak only HTTP and WebSocket, so routing tests read as what agents and customers do. reset()
 * puts things back between tests: every chat a test opened is finished, every agent is Offline
 * with no socket, capacities and defaults are back, and leftover timers have fired harmlessly.
 */
export class RoutingTestBed {
  private readonly chats: TestChat[] = [];
  private readonly sockets: { agent: TestAgent; socket: TestSocket }[] = [];
  private readonly logins: { agent: TestAgent; email: string; password: string }[] = [];
  private readonly overridden = new Set<string>();
  private loggedInAt: number;
  private serial = 0;

  private constructor(
    readonly t: TestServer,
    readonly clock: ManualClock,
    readonly api: ReturnType<typeof apiClient>,
    readonly admin: TestAgent,
  ) {
    this.loggedInAt = clock.now().getTime();
  }

  static async start(kind: StorageKind): Promise<RoutingTestBed> {
    const clock = new ManualClock();
    const t = await startTestServer(kind, { listen: true, clock });
    const api = apiClient(t.server.app);
    const token = await api.login(DEMO_ACCOUNTS.admin.email, DEMO_ACCOUNTS.admin.password);
    const me = await api.call<{ id: string }>('GET', '/api/me', { token });
    const bed = new RoutingTestBed(t, clock, api, { id: me.body.id, token });
    bed.logins.push({ agent: bed.admin, ...DEMO_ACCOUNTS.admin });
    return bed;
  }

  close(): Promise<void> {
    return this.t.close();
  }

  /** A new agent (logged in) who belongs to no group yet. */
  async newAgent(name: string): Promise<TestAgent> {
    const n = ++this.serial;
    const email = `${name.toLowerCase()}-${n}@parlour.example`;
    const created = await this.api.call<{ id: string }>('POST', '/api/users', {
      token: this.admin.token,
      body: { role: 'agent', email, name, password: AGENT_PASSWORD },
    });
    if (created.status !== 201) throw new Error(`creating ${name}: ${created.status}`);
    const agent = { id: created.body.id, token: await this.api.login(email, AGENT_PASSWORD) };
    this.logins.push({ agent, email, password: AGENT_PASSWORD });
    return agent;
  }

  /** A new group (queue) with these members and routing settings; returns its id. */
  async newGroup(name: string, members: TestAgent[], routing?: GroupRoutingBody): Promise<string> {
    const created = await this.api.call<{ id: string }>('POST', '/api/groups', {
      token: this.admin.token,
      body: { name: `${name} ${++this.serial}`, memberIds: members.map((m) => m.id) },
    });
    if (created.status !== 201) throw new Error(`creating group ${name}: ${created.status}`);
    if (routing) await this.groupRouting(created.body.id, routing);
    return created.body.id;
  }

  async groupRouting(groupId: string, routing: GroupRoutingBody): Promise<void> {
    const r = await this.api.call('PATCH', `/api/groups/${groupId}/routing`, {
      token: this.admin.token,
      body: routing,
    });
    if (r.status !== 200) throw new Error(`group routing: ${r.status} ${JSON.stringify(r.body)}`);
  }

  /** A customer starts a chat and the bot hands it to the group: the ticket enters the queue. */
  async handoff(groupId: string, text = 'Hello, I need help'): Promise<TestChat> {
    const visitor = await this.api.visitor();
    const started = await this.api.call<{ conversation: { id: string } }>(
      'POST',
      '/api/conversations',
      { token: visitor.token, body: { body: text } },
    );
    const conversationId = started.body.conversation.id;
    const ticket = await this.api.call<{ id: string }>(
      'POST',
      `/api/conversations/${conversationId}/handoff`,
      { token: visitor.token, body: { groupId } },
    );
    if (ticket.status !== 201) throw new Error(`handoff: ${ticket.status}`);
    const chat = { visitorToken: visitor.token, conversationId, ticketId: ticket.body.id };
    this.chats.push(chat);
    await this.settle();
    return chat;
  }

  setStatus(
    agent: TestAgent,
    status: string,
    idleReasonId?: string | null,
  ): Promise<ApiResponse<{ status: string; error?: { code: string; field?: string } }>> {
    return this.api.call('PUT', '/api/agents/me/status', {
      token: agent.token,
      body: idleReasonId === undefined ? { status } : { status, idleReasonId },
    });
  }

  async available(...agents: TestAgent[]): Promise<void> {
    for (const agent of agents) {
      const r = await this.setStatus(agent, 'available');
      if (r.status !== 200) throw new Error(`available: ${r.status} ${JSON.stringify(r.body)}`);
    }
    await this.settle();
  }

  async capacity(agent: TestAgent, capacity: { messaging?: number | null; email?: number | null }) {
    this.overridden.add(agent.id);
    const r = await this.api.call('PUT', `/api/agents/${agent.id}/capacity`, {
      token: this.admin.token,
      body: capacity,
    });
    if (r.status !== 200) throw new Error(`capacity: ${r.status} ${JSON.stringify(r.body)}`);
    await this.settle();
  }

  async settings(patch: Record<string, number>): Promise<void> {
    const r = await this.api.call('PATCH', '/api/routing/settings', {
      token: this.admin.token,
      body: patch,
    });
    if (r.status !== 200) throw new Error(`settings: ${r.status} ${JSON.stringify(r.body)}`);
    await this.settle();
  }

  /** Waits for the drain a change kicked, then drains once more: every offer due is made. */
  async settle(): Promise<void> {
    await this.t.server.services.routing.idle();
    await this.t.server.services.routing.drain();
  }

  /** Time passes: due durable timers fire, then the queue settles. */
  async pass(ms: number): Promise<void> {
    this.clock.advance(ms);
    await this.t.server.timers.runDue();
    await this.settle();
  }

  async ticket(ticketId: string) {
    const r = await this.api.call<{
      status: string;
      assigneeId: string | null;
      groupId: string | null;
    }>('GET', `/api/tickets/${ticketId}`, { token: this.admin.token });
    return r.body;
  }

  async history(ticketId: string): Promise<HistoryEntry[]> {
    return (
      await this.api.call<HistoryEntry[]>('GET', `/api/tickets/${ticketId}/events`, {
        token: this.admin.token,
      })
    ).body;
  }

  async historyTypes(ticketId: string): Promise<string[]> {
    return (await this.history(ticketId)).map((e) => e.type);
  }

  async offersOf(agent: TestAgent): Promise<Offer[]> {
    return (await this.api.call<Offer[]>('GET', '/api/agents/me/offers', { token: agent.token }))
      .body;
  }

  /** Which agents (of these) hold a pending offer for the ticket. */
  async offeredTo(ticketId: string, agents: TestAgent[]): Promise<TestAgent[]> {
    const out: TestAgent[] = [];
    for (const agent of agents)
      if ((await this.offersOf(agent)).some((o) => o.ticketId === ticketId)) out.push(agent);
    return out;
  }

  async offerOf(agent: TestAgent, ticketId: string): Promise<Offer> {
    const offer = (await this.offersOf(agent)).find((o) => o.ticketId === ticketId);
    if (!offer) throw new Error(`no offer of ${ticketId} for ${agent.id}`);
    return offer;
  }

  /** The agent accepts the offer of this ticket they hold. */
  async accept(agent: TestAgent, ticketId: string): Promise<void> {
    const offer = await this.offerOf(agent, ticketId);
    const r = await this.api.call('POST', `/api/offers/${offer.id}/accept`, {
      token: agent.token,
    });
    if (r.status !== 200) throw new Error(`accept: ${r.status} ${JSON.stringify(r.body)}`);
    await this.settle();
  }

  /** The agent takes a new chat of the group: handed off, offered to them, accepted. */
  async takeChat(agent: TestAgent, groupId: string): Promise<TestChat> {
    const chat = await this.handoff(groupId);
    await this.accept(agent, chat.ticketId);
    return chat;
  }

  async queue(): Promise<QueueEntry[]> {
    return (
      await this.api.call<QueueEntry[]>('GET', '/api/routing/queue', { token: this.admin.token })
    ).body;
  }

  async queued(ticketId: string): Promise<QueueEntry | undefined> {
    return (await this.queue()).find((q) => q.ticketId === ticketId);
  }

  async agentView(agent: TestAgent): Promise<AgentPresence> {
    const list = (
      await this.api.call<AgentPresence[]>('GET', '/api/agents', { token: this.admin.token })
    ).body;
    const found = list.find((a) => a.id === agent.id);
    if (!found) throw new Error(`agent ${agent.id} is not listed`);
    return found;
  }

  /** A staff socket, once the server counts it for presence (and it hears the agent's topic). */
  async connect(agent: TestAgent): Promise<TestSocket> {
    const socket = await TestSocket.open(this.t.url, agent.token);
    this.sockets.push({ agent, socket });
    await this.until(agent, (a) => a.online);
    return socket;
  }

  /** Closes a socket and waits until the server has seen it go (presence may start counting). */
  async disconnect(agent: TestAgent, socket: TestSocket, stillOnline = false): Promise<void> {
    await socket.close();
    await this.until(agent, (a) => a.online === stillOnline);
  }

  private async until(agent: TestAgent, ok: (a: AgentPresence) => boolean): Promise<void> {
    for (let i = 0; i < 200; i++) {
      if (ok(await this.agentView(agent))) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`agent ${agent.id} never reached the expected presence`);
  }

  async reset(): Promise<void> {
    for (const { socket } of this.sockets) await socket.close();
    for (const { agent } of this.sockets.splice(0)) await this.until(agent, (a) => !a.online);
    const staff = (
      await this.api.call<AgentPresence[]>('GET', '/api/agents', { token: this.admin.token })
    ).body;
    for (const a of staff) {
      if (a.status !== 'offline') {
        await this.api.call('PUT', `/api/agents/${a.id}/status`, {
          token: this.admin.token,
          body: { status: 'offline' },
        });
      }
    }
    for (const id of this.overridden) {
      await this.api.call('PUT', `/api/agents/${id}/capacity`, {
        token: this.admin.token,
        body: { messaging: null, email: null },
      });
    }
    this.overridden.clear();
    for (const chat of this.chats.splice(0)) {
      const ticket = await this.ticket(chat.ticketId);
      if (ticket.status === 'closed') continue;
      if (ticket.assigneeId) {
        for (const status of ['solved', 'closed']) {
          await this.api.call('PATCH', `/api/tickets/${chat.ticketId}`, {
            token: this.admin.token,
            body: { status },
          });
        }
      } else {
        await this.api.call('POST', `/api/conversations/${chat.conversationId}/end-session`, {
          token: chat.visitorToken,
          body: { reason: 'customer_left' },
        });
      }
    }
    await this.api.call('PATCH', '/api/routing/settings', {
      token: this.admin.token,
      body: { messagingCapacity: 3, emailCapacity: 10, presenceGraceS: 60 },
    });
    await this.settle();
    // Presence, reassignment and relaxation timers of the test fire now, on finished work.
    await this.pass(HOUR);
    // Login sessions last a day of (manual) time.
    if (this.clock.now().getTime() - this.loggedInAt > 12 * HOUR) {
      for (const login of this.logins)
        login.agent.token = await this.api.login(login.email, login.password);
      this.loggedInAt = this.clock.now().getTime();
    }
  }
}
