import type { FeedEntry, WorkflowRun } from '@parlour/protocol';
import type { Database, StorageKind } from '@parlour/storage';
import { createLogger } from '../../logging/create-logger.js';
import { createTestDatabase } from '../../../../storage/src/testing/test-database.js';
import { ManualClock } from '../../clock.js';
import { loadConfig } from '../../config.js';
import { DEMO_ACCOUNTS, seedDemo } from '../../seed-demo.js';
import { createServer, type ParlourServer } from '../../server.js';
import { apiClient } from '../../testing/api-client.js';
import { TestSocket } from '../../testing/ws-client.js';

export interface Staff {
  readonly id: string;
  readonly token: string;
}

export interface Chat {
  readonly visitorToken: string;
  readonly conversationId: string;
  readonly ticketId: string;
}

const PASSWORD = 'parlour-agent';

/**
 * A listening server on its own database, driven through HTTP and WebSocket like an admin, agents
 * and customers would, with a manual clock. `restart()` stops the server and starts a new one on
 * the same database (durable timers must carry on).
 */
export class WorkflowTestBed {
  private readonly sockets: TestSocket[] = [];
  private serial = 0;

  private constructor(
    private readonly database: Database,
    readonly clock: ManualClock,
    public server: ParlourServer,
    public url: string,
    readonly admin: Staff,
  ) {}

  static async start(kind: StorageKind): Promise<WorkflowTestBed> {
    const database = await createTestDatabase(kind);
    const clock = new ManualClock();
    const { server, url } = await listen(database, clock);
    await seedDemo(database, server.services);
    const api = apiClient(server.app);
    const token = await api.login(DEMO_ACCOUNTS.admin.email, DEMO_ACCOUNTS.admin.password);
    const me = await api.call<{ id: string }>('GET', '/api/me', { token });
    return new WorkflowTestBed(database, clock, server, url, { id: me.body.id, token });
  }

  get api() {
    return apiClient(this.server.app);
  }

  async close(): Promise<void> {
    for (const socket of this.sockets.splice(0)) await socket.close();
    await this.server.close();
    await this.database.close();
  }

  /** Stops this server (its sockets close) and starts a new one on the same database. */
  async restart(): Promise<void> {
    for (const socket of this.sockets.splice(0)) await socket.close();
    await this.server.close();
    const { server, url } = await listen(this.database, this.clock);
    this.server = server;
    this.url = url;
  }

  /** Time passes: every durable timer due by then fires. */
  async pass(ms: number): Promise<void> {
    this.clock.advance(ms);
    await this.server.timers.runDue();
    await this.server.services.routing.idle();
  }

  /** Timers due now fire (a run's first steps are due when it starts). */
  async settle(): Promise<void> {
    await this.pass(0);
  }

  async newAgent(name: string): Promise<Staff> {
    const email = `${name.toLowerCase()}-${++this.serial}@parlour.example`;
    const created = await this.api.call<{ id: string }>('POST', '/api/users', {
      token: this.admin.token,
      body: { role: 'agent', email, name, password: PASSWORD },
    });
    if (created.status !== 201) throw new Error(`creating ${name}: ${created.status}`);
    return { id: created.body.id, token: await this.api.login(email, PASSWORD) };
  }

  async newTeam(name: string, members: readonly Staff[]): Promise<string> {
    const created = await this.api.call<{ id: string }>('POST', '/api/groups', {
      token: this.admin.token,
      body: { name: `${name} ${++this.serial}`, memberIds: members.map((m) => m.id) },
    });
    if (created.status !== 201) throw new Error(`creating team ${name}: ${created.status}`);
    return created.body.id;
  }

  /** The agent connects (a socket) and sets Available: online, as "only online users" means it. */
  async online(agent: Staff): Promise<void> {
    this.sockets.push(await TestSocket.open(this.url, agent.token));
    const r = await this.api.call('PUT', '/api/agents/me/status', {
      token: agent.token,
      body: { status: 'available' },
    });
    if (r.status !== 200) throw new Error(`status: ${r.status} ${JSON.stringify(r.body)}`);
    for (let i = 0; i < 200; i++) {
      const agents = await this.api.call<{ id: string; online: boolean }[]>('GET', '/api/agents', {
        token: this.admin.token,
      });
      if (agents.body.find((a) => a.id === agent.id)?.online) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`agent ${agent.id} never came online`);
  }

  /** Creates and publishes a workflow; returns its id. */
  async publish(definition: unknown, name = `Workflow ${++this.serial}`): Promise<string> {
    const created = await this.api.call<{ id: string }>('POST', '/api/workflows', {
      token: this.admin.token,
      body: { name, definition },
    });
    if (created.status !== 201)
      throw new Error(`creating workflow: ${created.status} ${JSON.stringify(created.body)}`);
    const published = await this.api.call('POST', `/api/workflows/${created.body.id}/publish`, {
      token: this.admin.token,
    });
    if (published.status !== 201) throw new Error(`publishing: ${published.status}`);
    return created.body.id;
  }

  /** Deletes every workflow (their runs stop), so the next test starts with none. */
  async removeWorkflows(): Promise<void> {
    const list = await this.api.call<{ id: string }[]>('GET', '/api/workflows', {
      token: this.admin.token,
    });
    for (const w of list.body)
      await this.api.call('DELETE', `/api/workflows/${w.id}`, { token: this.admin.token });
  }

  /** A customer writes in the widget and the bot hands the conversation over (no team). */
  async customerOpens(text = 'Hello, I need help'): Promise<Chat> {
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
      { token: visitor.token, body: {} },
    );
    if (ticket.status !== 201) throw new Error(`handoff: ${ticket.status}`);
    await this.settle();
    return { visitorToken: visitor.token, conversationId, ticketId: ticket.body.id };
  }

  async reply(agent: Staff, chat: Chat, body: string): Promise<void> {
    const r = await this.api.call('POST', `/api/conversations/${chat.conversationId}/messages`, {
      token: agent.token,
      body: { body },
    });
    if (r.status !== 201) throw new Error(`reply: ${r.status} ${JSON.stringify(r.body)}`);
  }

  async ticket(chat: Chat) {
    return (
      await this.api.call<{
        status: string;
        assigneeId: string | null;
        groupId: string | null;
        tags: string[];
      }>('GET', `/api/tickets/${chat.ticketId}`, { token: this.admin.token })
    ).body;
  }

  /** Internal notes in the conversation, as staff see them. */
  async notes(chat: Chat): Promise<string[]> {
    const feed = await this.api.call<FeedEntry[]>(
      'GET',
      `/api/conversations/${chat.conversationId}/events`,
      { token: this.admin.token },
    );
    return feed.body.flatMap((entry) =>
      entry.event.type === 'message.created' && entry.event.message.kind === 'internal'
        ? [entry.event.message.body]
        : [],
    );
  }

  async runs(chat: Chat): Promise<WorkflowRun[]> {
    const r = await this.api.call<WorkflowRun[]>(
      'GET',
      `/api/conversations/${chat.conversationId}/workflow-runs`,
      { token: this.admin.token },
    );
    if (r.status !== 200) throw new Error(`runs: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }
}

async function listen(
  database: Database,
  clock: ManualClock,
): Promise<{ server: ParlourServer; url: string }> {
  const config = loadConfig({ PORT: '0', LOG_LEVEL: 'silent', HEARTBEAT_MS: '60000' });
  const server = await createServer(config, {
    database,
    clock,
    logger: createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
  });
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  const address = server.app.server.address();
  const url = address && typeof address === 'object' ? `http://127.0.0.1:${address.port}` : '';
  return { server, url };
}
