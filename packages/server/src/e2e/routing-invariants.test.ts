import { randomBytes } from 'node:crypto';
import { createPostgresDatabase, type Database } from '@parlour/storage';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgTemplateDb } from '../../../storage/src/testing/template-names.js';
import { withAdmin, withDatabase } from '../../../storage/src/testing/test-database.js';
import { ManualClock } from '../clock.js';
import { DEMO_ACCOUNTS } from '../seed-demo.js';
import {
  auditRouting,
  hasOnePendingOfferIndex,
  type RoutingViolations,
} from '../testing/routing-audit.js';
import { RoutingCrowd, type CrowdAgent, type CrowdReport } from '../testing/routing-crowd.js';
import { startServerProcess, type ServerProcess } from '../testing/server-process.js';
import { startTestServer, type TestServer } from '../testing/test-server.js';

const DATABASE_URL = process.env.DATABASE_URL;
const REDIS_URL = process.env.REDIS_URL;

const AGENTS = 8;
const CAPACITY = 2;
const CONVERSATIONS = 60;
const SOLVED = 30;

interface Workspace {
  readonly adminToken: string;
  readonly groupId: string;
  readonly idleReasonId: string;
  readonly agents: { id: string; token: string }[];
}

async function call<T>(
  url: string,
  method: string,
  path: string,
  body?: unknown,
  token?: string,
): Promise<T> {
  const r = await fetch(`${url}${path}`, {
    method,
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
  return (await r.json()) as T;
}

/**
 * Through the admin API (alternating servers): AGENTS agents with a messaging capacity of
 * CAPACITY, members of Support, logged in; an idle reason; the given offer timeout for Support.
 */
async function prepareWorkspace(
  urls: readonly string[],
  offerTimeoutS: number,
): Promise<Workspace> {
  const at = (i: number) => urls[i % urls.length]!;
  const adminToken = (
    await call<{ token: string }>(at(0), 'POST', '/api/auth/login', {
      email: DEMO_ACCOUNTS.admin.email,
      password: DEMO_ACCOUNTS.admin.password,
    })
  ).token;
  const support = (
    await call<{ id: string; name: string; memberIds: string[] }[]>(
      at(0),
      'GET',
      '/api/groups',
      undefined,
      adminToken,
    )
  ).find((g) => g.name === 'Support')!;
  await call(at(1), 'PATCH', `/api/groups/${support.id}/routing`, { offerTimeoutS }, adminToken);
  const idleReason = await call<{ id: string }>(
    at(0),
    'POST',
    '/api/idle-reasons',
    { name: 'Short break' },
    adminToken,
  );
  const agents: { id: string; token: string }[] = [];
  for (let i = 0; i < AGENTS; i++) {
    const email = `crowd-${i}@parlour.example`;
    const password = `crowd-password-${i}`;
    const user = await call<{ id: string }>(
      at(i),
      'POST',
      '/api/users',
      { role: 'agent', email, name: `Crowd Agent ${i}`, password },
      adminToken,
    );
    await call(
      at(i + 1),
      'PUT',
      `/api/agents/${user.id}/capacity`,
      { messaging: CAPACITY },
      adminToken,
    );
    const { token } = await call<{ token: string }>(at(i), 'POST', '/api/auth/login', {
      email,
      password,
    });
    agents.push({ id: user.id, token });
  }
  await call(
    at(1),
    'PATCH',
    `/api/groups/${support.id}`,
    { memberIds: [...support.memberIds, ...agents.map((a) => a.id)] },
    adminToken,
  );
  return { adminToken, groupId: support.id, idleReasonId: idleReason.id, agents };
}

/** The agent with room to free who could be offered a queued ticket (one they never declined). */
function agentForProbe(crowd: RoutingCrowd, queued: readonly string[]): CrowdAgent | undefined {
  return crowd.agents.find((a) => a.held.size > 0 && queued.some((id) => !a.declined.has(id)));
}

/** What one run left, for the invariants to be checked one by one. */
interface Run {
  readonly report: CrowdReport;
  readonly violations: RoutingViolations;
  readonly onePendingOfferIndex: boolean;
  /** The live queue's waiting tickets once everyone settled. */
  readonly queued: { ticketId: string; groupId: string; reason: string }[];
  /** Queued tickets an Available, online agent with room could have taken, per the agent list. */
  readonly takeable: string[];
  /** Whether a slot freed while tickets waited was offered within 1.5 s. */
  readonly freedSlotOffered: boolean;
  readonly acceptedOffers: number;
  readonly ronaEvents: number;
}

/**
 * The whole run on one set of servers: the crowd works the handoffs, everyone settles, the live
 * queue and the agent list are read, one slot is freed while tickets wait, and the database is
 * audited.
 */
async function runCrowd(
  urls: readonly string[],
  database: Database,
  now: () => Date,
  workspace: Workspace,
  expireOffers?: () => Promise<void>,
): Promise<Run> {
  const crowd = await RoutingCrowd.connect({
    urls,
    adminToken: workspace.adminToken,
    agents: workspace.agents,
    groupId: workspace.groupId,
    idleReasonId: workspace.idleReasonId,
    conversations: CONVERSATIONS,
    solveBudget: SOLVED,
    ignoreBudget: 5,
    ...(expireOffers ? { expireOffers } : {}),
  });
  try {
    await crowd.chaos();
    await crowd.settle();

    type Entry = { ticketId: string; groupId: string; state: string; reason: string };
    const queue = await crowd.call(workspace.adminToken, 'GET', '/api/routing/queue');
    const queued = (queue.body as Entry[]).filter((e) => e.state === 'queued');
    type Presence = {
      id: string;
      status: string;
      online: boolean;
      groupIds: string[];
      capacity: { messaging: number };
      load: { messaging: number };
    };
    const presence = (await crowd.call(workspace.adminToken, 'GET', '/api/agents'))
      .body as Presence[];
    const takeable = presence.flatMap((p) => {
      const agent = crowd.agents.find((a) => a.id === p.id);
      if (!agent || p.status !== 'available' || !p.online) return [];
      if (p.load.messaging >= p.capacity.messaging) return [];
      return queued
        .filter((e) => p.groupIds.includes(e.groupId) && !agent.declined.has(e.ticketId))
        .map((e) => `${e.ticketId} could go to agent ${agent.index}`);
    });

    let freedSlotOffered = false;
    const probe = agentForProbe(
      crowd,
      queued.map((e) => e.ticketId),
    );
    if (probe) {
      const framesBefore = probe.socket.frames.length;
      await crowd.solveOne(probe);
      const offeredAgain = () =>
        probe.socket.frames.slice(framesBefore).some((f) => f.type === 'offer');
      for (const until = Date.now() + 1_500; !offeredAgain() && Date.now() < until;)
        await new Promise((resolve) => setTimeout(resolve, 10));
      freedSlotOffered = offeredAgain();
      await crowd.settle();
    }

    const db = database.db;
    const count = async (table: 'offers' | 'agent_status_events', column: string, value: string) =>
      Number(
        (
          await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}
                                    WHERE ${sql.ref(column)} = ${value}`.execute(db)
        ).rows[0]?.n ?? 0,
      );
    return {
      report: crowd.report,
      violations: await auditRouting(db, now()),
      onePendingOfferIndex: await hasOnePendingOfferIndex(db),
      queued,
      takeable,
      freedSlotOffered,
      acceptedOffers: await count('offers', 'status', 'accepted'),
      ronaEvents: await count('agent_status_events', 'to_status', 'rona'),
    };
  } finally {
    await crowd.close();
  }
}

/** The invariants, one rule each, over the run that `run()` returns. */
function invariantTests(run: () => Run): void {
  it('ran the whole crowd: every handoff, accepts, declines, missed offers and idle breaks', () => {
    const { report, ronaEvents } = run();
    expect(report.unexpected).toEqual([]);
    expect(report.handoffs).toBe(CONVERSATIONS);
    expect(report.solved).toBe(SOLVED + 1);
    expect(report.declined).toBeGreaterThan(0);
    expect(report.ignored).toBeGreaterThan(0);
    expect(report.ronas).toBeGreaterThan(0);
    expect(ronaEvents).toBeGreaterThan(0);
    expect(report.idleFlips).toBeGreaterThan(0);
  });

  it('never offers a ticket to two agents at once, and the database refuses a second pending offer', () => {
    const { violations, onePendingOfferIndex } = run();
    expect(onePendingOfferIndex).toBe(true);
    expect(violations.doublePending).toEqual([]);
    expect(violations.overlappingOffers).toEqual([]);
  });

  it('never assigns a ticket twice, and each assignment is the accepted offer of its agent', () => {
    const { violations, acceptedOffers } = run();
    expect(violations.assignedTwice).toEqual([]);
    expect(violations.acceptedWithoutEvent).toEqual([]);
    expect(violations.assigneeMismatch).toEqual([]);
    // Each ticket solved or in hand was accepted exactly once.
    expect(acceptedOffers).toBe(SOLVED + 1 + AGENTS * CAPACITY);
  });

  it('never puts an agent over capacity, at any moment observed nor at the end', () => {
    const { report, violations } = run();
    expect(report.loadSamples).toBeGreaterThan(10);
    expect(report.overloads).toEqual([]);
    expect(report.maxExcess).toBeLessThanOrEqual(0);
    expect(violations.overCapacity).toEqual([]);
  });

  it('leaves no ticket waiting while an eligible agent has room', () => {
    const { violations, queued, takeable } = run();
    // 60 handed off, 31 solved, 8 × 2 in hand: the rest waits, each for a reason other than room.
    expect(queued).toHaveLength(CONVERSATIONS - SOLVED - AGENTS * CAPACITY);
    expect(queued.filter((e) => /has room/i.test(e.reason))).toEqual([]);
    expect(takeable).toEqual([]);
    expect(violations.waitingWithRoom).toEqual([]);
    expect(violations.offeredWithoutOffer).toEqual([]);
  });

  it('offers a slot freed while tickets wait at once, before the safety sweep', () => {
    expect(run().freedSlotOffered).toBe(true);
  });

  it('never leaves an offer with an agent who went Idle', () => {
    expect(run().report.offeredWhileIdle).toEqual([]);
  });
}

describe.skipIf(!DATABASE_URL || !REDIS_URL)(
  'routing invariants under concurrency, two server processes on one PostgreSQL and Redis',
  () => {
    const name = `parlour_t_${randomBytes(6).toString('hex')}`;
    let a: ServerProcess;
    let b: ServerProcess;
    let database: Database;
    let run: Run;

    beforeAll(async () => {
      await withAdmin(DATABASE_URL!, (c) =>
        c.query(`CREATE DATABASE ${name} TEMPLATE ${pgTemplateDb()}`),
      );
      const url = withDatabase(DATABASE_URL!, name);
      [a, b] = await Promise.all([
        startServerProcess({ DATABASE_URL: url, REDIS_URL: REDIS_URL! }),
        startServerProcess({ DATABASE_URL: url, REDIS_URL: REDIS_URL! }),
      ]);
      database = createPostgresDatabase({ url, maxConnections: 2 });
      const urls = [a.url, b.url];
      // The shortest offer timeout, so unanswered offers go RONA within the run.
      const workspace = await prepareWorkspace(urls, 5);
      run = await runCrowd(urls, database, () => new Date(), workspace);
    }, 90_000);

    afterAll(async () => {
      await database?.close();
      await Promise.all([a?.stop(), b?.stop()]);
      await withAdmin(DATABASE_URL!, (c) =>
        c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
      );
    });

    invariantTests(() => run);
  },
);

describe('routing invariants under concurrency, in one process on PGlite', () => {
  const clock = new ManualClock();
  let t: TestServer;
  let run: Run;

  beforeAll(async () => {
    t = await startTestServer('pglite', { listen: true, clock });
    const workspace = await prepareWorkspace([t.url], 30);
    // Unanswered offers time out on the durable timers when the test moves the clock.
    const expireOffers = async () => {
      clock.advance(31_000);
      await t.server.timers.runDue();
    };
    run = await runCrowd([t.url], t.server.database, () => clock.now(), workspace, expireOffers);
  }, 60_000);
  afterAll(async () => t?.close());

  invariantTests(() => run);
});
