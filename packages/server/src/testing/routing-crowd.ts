import type { Offer, ServerFrame } from '@parlour/protocol';
import { TestSocket } from './ws-client.js';

/** An agent of the crowd: who they are, and the socket on which offers reach them. */
export interface CrowdAgent {
  readonly id: string;
  readonly token: string;
  readonly index: number;
  readonly socket: TestSocket;
  /** Tickets accepted and still in hand. */
  readonly held: Set<string>;
  /** Tickets this agent declined (routing keeps them away from it for a while). */
  readonly declined: Set<string>;
}

export interface CrowdOptions {
  /** Server base URLs: sockets, handoffs and calls alternate between them. */
  readonly urls: readonly string[];
  readonly adminToken: string;
  readonly agents: readonly { readonly id: string; readonly token: string }[];
  readonly groupId: string;
  readonly idleReasonId: string;
  /** Conversations handed off to the group, all at once. */
  readonly conversations: number;
  /** How many accepted tickets are solved during the run (each frees a slot); the rest stay in hand. */
  readonly solveBudget: number;
  /** How many offers are left unanswered on purpose, so they time out (RONA). */
  readonly ignoreBudget: number;
  /** Makes unanswered offers time out now (a ManualClock); without it the servers' timers do. */
  readonly expireOffers?: () => Promise<void>;
  readonly seed?: number;
}

export interface CrowdReport {
  handoffs: number;
  accepted: number;
  declined: number;
  ignored: number;
  solved: number;
  ronas: number;
  idleFlips: number;
  /** Accepts and declines refused because the offer had closed meanwhile (expected races). */
  closedRaces: number;
  /** GET /api/agents samples taken during the run. */
  loadSamples: number;
  /** The largest load − capacity seen for any agent in any channel (≤ 0: never over). */
  maxExcess: number;
  overloads: string[];
  /** Offers found pending for an agent while Idle (going Idle withdraws every pending offer). */
  offeredWhileIdle: string[];
  /** Anything that should not happen: failed calls, unexpected error codes, timeouts. */
  unexpected: string[];
}

interface Reply {
  readonly status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- replies are checked field by field
  readonly body: any;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** mulberry32, so a run's choices (accept, decline, ignore, go idle) repeat for a seed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A crowd of agents working a burst of handoffs over the public API, the way the routing
 * invariants are tested under concurrency: while the handoffs arrive (through every server at
 * once), agents accept most offers (over their socket or over HTTP to another server), decline
 * some, leave a few unanswered (RONA, then back to Available), flip between Idle and Available,
 * and solve some accepted tickets to free capacity. A poller reads GET /api/agents all along and
 * records the highest load seen against each capacity.
 */
export class RoutingCrowd {
  readonly report: CrowdReport = {
    handoffs: 0,
    accepted: 0,
    declined: 0,
    ignored: 0,
    solved: 0,
    ronas: 0,
    idleFlips: 0,
    closedRaces: 0,
    loadSamples: 0,
    maxExcess: Number.NEGATIVE_INFINITY,
    overloads: [],
    offeredWhileIdle: [],
    unexpected: [],
  };
  private mode: 'chaos' | 'settle' | 'stopped' = 'chaos';
  private readonly random: () => number;
  private readonly seen = new Set<string>();
  /** Offers left unanswered on purpose → the agent who has them. */
  private readonly unanswered = new Map<string, number>();
  private readonly ignorers = new Set<number>();
  private readonly closed = new Set<string>();
  private readonly statusTurns = new Map<number, Promise<void>>();
  private solvesLeft: number;
  private ignoresLeft: number;
  private readonly work = new Set<Promise<void>>();
  private readonly loops: Promise<void>[] = [];

  private constructor(
    private readonly options: CrowdOptions,
    readonly agents: readonly CrowdAgent[],
  ) {
    this.random = seeded(options.seed ?? 7);
    this.solvesLeft = options.solveBudget;
    this.ignoresLeft = options.ignoreBudget;
    for (const agent of agents) {
      agent.socket.ws.on('message', (data) =>
        this.onFrame(agent, JSON.parse(String(data)) as ServerFrame),
      );
    }
  }

  /** Opens each agent's socket (on alternating servers) and makes them Available. */
  static async connect(options: CrowdOptions): Promise<RoutingCrowd> {
    const agents = await Promise.all(
      options.agents.map(async (a, index) => ({
        ...a,
        index,
        socket: await TestSocket.open(options.urls[index % options.urls.length]!, a.token),
        held: new Set<string>(),
        declined: new Set<string>(),
      })),
    );
    const crowd = new RoutingCrowd(options, agents);
    for (const agent of agents) await crowd.setStatus(agent, 'available');
    crowd.loops.push(crowd.pollLoads(), crowd.expireLoop());
    return crowd;
  }

  /**
   * All handoffs at once, agents busy meanwhile; returns when every handoff is done and the
   * solve budget is spent (or after `timeoutMs`, noted as unexpected).
   */
  async chaos(timeoutMs = 25_000): Promise<void> {
    const flippers = this.agents.map((agent) => this.flip(agent));
    const handoffs = Array.from({ length: this.options.conversations }, (_, i) => this.handoff(i));
    await Promise.all(handoffs);
    const deadline = Date.now() + timeoutMs;
    while (this.report.solved < this.options.solveBudget && Date.now() < deadline) await sleep(20);
    if (this.report.solved < this.options.solveBudget)
      this.report.unexpected.push(
        `only ${this.report.solved} tickets solved within ${timeoutMs} ms`,
      );
    this.mode = 'settle';
    await Promise.all(flippers);
  }

  /**
   * Everyone Available, every offer accepted: waits until no offer is pending and every agent is
   * Available, twice in a row (`timeoutMs` at most, else noted as unexpected).
   */
  async settle(timeoutMs = 20_000): Promise<void> {
    this.mode = 'settle';
    await this.drainWork();
    for (const agent of this.agents) await this.setStatus(agent, 'available');
    const deadline = Date.now() + timeoutMs;
    let quiet = 0;
    while (quiet < 2) {
      if (Date.now() > deadline) {
        this.report.unexpected.push(`no quiet state within ${timeoutMs} ms`);
        return;
      }
      await sleep(150);
      await this.drainWork();
      const agents = await this.call(this.options.adminToken, 'GET', '/api/agents');
      const ours = (agents.body as { id: string; status: string }[]).filter((a) =>
        this.agents.some((x) => x.id === a.id),
      );
      const pending = await Promise.all(
        this.agents.map(
          async (a) => (await this.call(a.token, 'GET', '/api/agents/me/offers')).body.length,
        ),
      );
      const still =
        ours.every((a) => a.status === 'available') && pending.every((n: number) => n === 0);
      quiet = still ? quiet + 1 : 0;
    }
  }

  /** Solves one ticket an agent holds (freeing a slot); resolves with its ticket id. */
  async solveOne(agent: CrowdAgent): Promise<string> {
    const ticketId = [...agent.held][0];
    if (!ticketId) throw new Error(`agent ${agent.index} holds no ticket`);
    await this.solve(agent, ticketId);
    return ticketId;
  }

  async close(): Promise<void> {
    this.mode = 'stopped';
    await Promise.all(this.loops);
    await this.drainWork();
    await Promise.all(this.agents.map((a) => a.socket.close()));
  }

  /** An HTTP call to one of the servers (round robin unless `url` is given). */
  async call(
    token: string,
    method: 'GET' | 'POST' | 'PUT' | 'PATCH',
    path: string,
    body?: unknown,
    url = this.nextUrl(),
  ): Promise<Reply> {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  }

  private urlTurn = 0;
  private nextUrl(): string {
    const urls = this.options.urls;
    return urls[this.urlTurn++ % urls.length]!;
  }

  private track(work: Promise<void>): void {
    const tracked = work.catch((error: unknown) => {
      this.report.unexpected.push(`crowd work failed: ${String(error)}`);
    });
    this.work.add(tracked);
    void tracked.finally(() => this.work.delete(tracked));
  }

  private async drainWork(): Promise<void> {
    while (this.work.size > 0) await Promise.all([...this.work]);
  }

  private onFrame(agent: CrowdAgent, frame: ServerFrame): void {
    if (this.mode === 'stopped') return;
    if (frame.type === 'offer' && !this.seen.has(frame.offer.id)) {
      this.seen.add(frame.offer.id);
      this.track(this.answer(agent, frame.offer));
    } else if (frame.type === 'offer.closed') {
      this.closed.add(frame.offerId);
      this.unanswered.delete(frame.offerId);
    } else if (frame.type === 'agent.status' && frame.status === 'rona') {
      this.report.ronas += 1;
      this.track(
        (async () => {
          await sleep(5 + this.random() * 30);
          await this.setStatus(agent, 'available');
        })(),
      );
    }
  }

  private async answer(agent: CrowdAgent, offer: Offer): Promise<void> {
    await sleep(this.random() * 15);
    if (this.mode === 'chaos') {
      const r = this.random();
      // The first offers of a few agents go unanswered (one each), the rest are answered.
      if (r < 0.3 && this.ignoresLeft > 0 && !this.ignorers.has(agent.index)) {
        this.ignoresLeft -= 1;
        this.ignorers.add(agent.index);
        this.report.ignored += 1;
        // Closed meanwhile (withdrawn, or timed out with another): nothing left to time out.
        if (!this.closed.has(offer.id)) this.unanswered.set(offer.id, agent.index);
        return;
      }
      if (r > 0.8) {
        if (await this.respond(agent, offer, 'decline')) {
          this.report.declined += 1;
          agent.declined.add(offer.ticketId);
        }
        return;
      }
    }
    if (!(await this.respond(agent, offer, 'accept'))) return;
    this.report.accepted += 1;
    agent.held.add(offer.ticketId);
    if (this.mode === 'chaos' && this.solvesLeft > 0) {
      this.solvesLeft -= 1;
      await sleep(5 + this.random() * 50);
      await this.solve(agent, offer.ticketId);
    }
  }

  /** Accepts or declines over the agent's socket or over HTTP to another server; false if the offer had closed. */
  private async respond(
    agent: CrowdAgent,
    offer: Offer,
    how: 'accept' | 'decline',
  ): Promise<boolean> {
    let code: string | null = null;
    let failure: string | null = null;
    if (this.random() < 0.5) {
      const reply = await agent.socket.request({ type: `offer.${how}`, offerId: offer.id });
      if (reply.type === 'error') code = reply.code;
      else if (reply.type !== 'ok') failure = JSON.stringify(reply);
    } else {
      const url = this.options.urls[(agent.index + 1) % this.options.urls.length];
      const reply = await this.call(agent.token, 'POST', `/api/offers/${offer.id}/${how}`, {}, url);
      if (reply.status === 409) code = reply.body?.error?.code ?? 'unknown';
      else if (reply.status !== 200) failure = `${reply.status} ${JSON.stringify(reply.body)}`;
    }
    if (code === 'routing/offer-closed') {
      this.report.closedRaces += 1;
      return false;
    }
    if (code !== null || failure !== null) {
      this.report.unexpected.push(`${how} ${offer.id} by agent ${agent.index}: ${code ?? failure}`);
      return false;
    }
    return true;
  }

  private async solve(agent: CrowdAgent, ticketId: string): Promise<void> {
    const reply = await this.call(agent.token, 'PATCH', `/api/tickets/${ticketId}`, {
      status: 'solved',
    });
    if (reply.status !== 200) {
      this.report.unexpected.push(
        `solve ${ticketId}: ${reply.status} ${JSON.stringify(reply.body)}`,
      );
      return;
    }
    agent.held.delete(ticketId);
    this.report.solved += 1;
  }

  /** Runs `fn` with no other status change of this agent's from the crowd meanwhile. */
  private async exclusively(agent: CrowdAgent, fn: () => Promise<void>): Promise<void> {
    const before = this.statusTurns.get(agent.index) ?? Promise.resolve();
    const turn = before.then(fn);
    this.statusTurns.set(
      agent.index,
      turn.catch(() => undefined),
    );
    await turn;
  }

  private async setStatus(
    agent: CrowdAgent,
    status: 'available' | 'idle',
    queue = true,
  ): Promise<void> {
    if (queue) return this.exclusively(agent, () => this.setStatus(agent, status, false));
    const reply = await this.call(agent.token, 'PUT', '/api/agents/me/status', {
      status,
      ...(status === 'idle' ? { idleReasonId: this.options.idleReasonId } : {}),
    });
    if (reply.status !== 200)
      this.report.unexpected.push(
        `status ${status} of agent ${agent.index}: ${reply.status} ${JSON.stringify(reply.body)}`,
      );
  }

  private async handoff(i: number): Promise<void> {
    const url = this.options.urls[i % this.options.urls.length]!;
    try {
      const visitor = await this.post(url, '/api/widget/session', {});
      const started = await this.post(
        url,
        '/api/conversations',
        { body: `help ${i}` },
        visitor.token,
      );
      await this.post(
        url,
        `/api/conversations/${started.conversation.id}/handoff`,
        { groupId: this.options.groupId },
        visitor.token,
      );
      this.report.handoffs += 1;
    } catch (error) {
      this.report.unexpected.push(`handoff ${i}: ${String(error)}`);
    }
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- replies are checked field by field
  private async post(url: string, path: string, body: unknown, token?: string): Promise<any> {
    const response = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${path}: ${response.status} ${text}`);
    return JSON.parse(text);
  }

  /** While the run lasts, each agent now and then goes Idle for a moment and comes back. */
  private async flip(agent: CrowdAgent): Promise<void> {
    while (this.mode === 'chaos') {
      await sleep(60 + this.random() * 240);
      if (this.mode !== 'chaos' || this.random() > 0.35) continue;
      // Going Idle would withdraw an offer left unanswered: let it time out instead (RONA).
      if ([...this.unanswered.values()].includes(agent.index)) continue;
      // The agent's status is this loop's alone meanwhile, so they are surely Idle when checked.
      await this.exclusively(agent, async () => {
        await this.setStatus(agent, 'idle', false);
        this.report.idleFlips += 1;
        await sleep(20 + this.random() * 100);
        // Going Idle withdrew every pending offer, and no offer may reach an Idle agent.
        const pending = await this.call(agent.token, 'GET', '/api/agents/me/offers');
        for (const offer of pending.body as Offer[])
          this.report.offeredWhileIdle.push(
            `${offer.id} (ticket ${offer.ticketId}) to agent ${agent.index}`,
          );
        await this.setStatus(agent, 'available', false);
      });
    }
  }

  /** Records, for every sample of GET /api/agents, the highest load against capacity. */
  private async pollLoads(): Promise<void> {
    const ours = new Set(this.agents.map((a) => a.id));
    while (this.mode !== 'stopped') {
      const reply = await this.call(this.options.adminToken, 'GET', '/api/agents');
      if (reply.status === 200) {
        this.report.loadSamples += 1;
        for (const a of reply.body as {
          id: string;
          capacity: { messaging: number; email: number };
          load: { messaging: number; email: number };
        }[]) {
          if (!ours.has(a.id)) continue;
          const excess = Math.max(
            a.load.messaging - a.capacity.messaging,
            a.load.email - a.capacity.email,
          );
          this.report.maxExcess = Math.max(this.report.maxExcess, excess);
          if (excess > 0)
            this.report.overloads.push(
              `${a.id}: load ${JSON.stringify(a.load)} > capacity ${JSON.stringify(a.capacity)}`,
            );
        }
      } else {
        this.report.unexpected.push(`GET /api/agents: ${reply.status}`);
      }
      await sleep(25);
    }
  }

  /** Lets unanswered offers time out (when the clock is the test's to move). */
  private async expireLoop(): Promise<void> {
    const expire = this.options.expireOffers;
    if (!expire) return;
    while (this.mode !== 'stopped') {
      await sleep(150);
      if (this.unanswered.size > 0) await expire();
    }
  }
}
