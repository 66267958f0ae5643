import {
  RoutingIndex,
  compareQueueOrder,
  pickAgent,
  withPlannedOffer,
  type AgentSnapshot,
  type QueuedTicket,
} from '@parlour/core';
import { percentile } from '../message-path/percentiles.js';
import { buildRoutingFixture, type RoutingFixture } from './routing-fixture.js';

export interface CoreDecisionOptions {
  readonly agents: number;
  readonly tickets: number;
  /** At most 10,000 tickets. */
  readonly quick: boolean;
  /** Progress lines (stderr in the harness). */
  readonly log?: (line: string) => void;
  readonly seed?: number;
}

export interface CoreDecisionMetrics {
  /** pickAgent over a RoutingIndex, plus recording the offer in the index, per ticket. */
  readonly decision_p50_us: number;
  readonly decision_p99_us: number;
  /** The same decisions by a plain loop over every agent (no index), same run, same queue. */
  readonly baseline_decision_p50_us: number;
  readonly baseline_decision_p99_us: number;
}

type Decide = (ticket: QueuedTicket) => string | null;

/** Times `decide` around each ticket of the queue, in queue order; microseconds per decision. */
function timeDecisions(queue: readonly QueuedTicket[], decide: Decide, chosen: (string | null)[]) {
  const samples = new Float64Array(queue.length);
  for (let i = 0; i < queue.length; i++) {
    const ticket = queue[i]!;
    const started = process.hrtime.bigint();
    chosen[i] = decide(ticket);
    samples[i] = Number(process.hrtime.bigint() - started) / 1_000;
  }
  return samples.sort();
}

/** The core's way: a long-lived index, each offer recorded in it before the next ticket. */
function indexed(fixture: RoutingFixture): Decide {
  const index = new RoutingIndex(fixture.agents);
  // A server keeps its index warm: every group's views exist before the first ticket is timed.
  for (const group of fixture.groups.values()) {
    index.standing(group, 'messaging');
    index.standing(group, 'email');
  }
  return (ticket) => {
    const group = ticket.groupId === null ? null : (fixture.groups.get(ticket.groupId) ?? null);
    const decision = pickAgent(ticket, group, index);
    if (decision.agentId !== null) index.recordOffer(decision.agentId, ticket.channel, fixture.now);
    return decision.agentId;
  };
}

/** The naive way: the same rules by a loop over the whole array of agents for every ticket. */
function scanned(fixture: RoutingFixture): Decide {
  const agents: AgentSnapshot[] = [...fixture.agents];
  const position = new Map(agents.map((a, i) => [a.id, i]));
  let offers = 0;
  return (ticket) => {
    const group = ticket.groupId === null ? null : (fixture.groups.get(ticket.groupId) ?? null);
    const decision = pickAgent(ticket, group, agents);
    if (decision.agentId !== null) {
      const at = position.get(decision.agentId)!;
      agents[at] = withPlannedOffer(agents[at]!, ticket.channel, fixture.now, ++offers);
    }
    return decision.agentId;
  };
}

const round = (us: number) => Math.round(us * 100) / 100;

/**
 * The core half of the routing benchmark: for each queued ticket (100,000, quick: 10,000) against
 * `agents` agents, the core's decision (pickAgent over the RoutingIndex, including recording the
 * offer), and the same decisions by a naive scan of all agents, measured in the same run. Both
 * must choose the same agent for every ticket, or the run fails.
 */
export function measureCoreDecisions(options: CoreDecisionOptions): CoreDecisionMetrics {
  const log = options.log ?? (() => {});
  const tickets = options.quick ? Math.min(options.tickets, 10_000) : options.tickets;
  const fixture = buildRoutingFixture(options.agents, tickets, options.seed ?? 1);
  const queue = [...fixture.queue].sort(compareQueueOrder);

  // Warm the JIT on another population, so the first timed decisions are not the interpreter's.
  const warm = buildRoutingFixture(Math.min(options.agents, 2_000), 5_000, 99);
  const warmQueue = [...warm.queue].sort(compareQueueOrder);
  timeDecisions(warmQueue, indexed(warm), []);
  timeDecisions(warmQueue.slice(0, 1_000), scanned(warm), []);

  log(`routing core: ${queue.length} decisions over the index, ${options.agents} agents`);
  const byIndex: (string | null)[] = [];
  const core = timeDecisions(queue, indexed(fixture), byIndex);
  log(`routing core: ${queue.length} decisions by scanning every agent (baseline)`);
  const byScan: (string | null)[] = [];
  const baseline = timeDecisions(queue, scanned(fixture), byScan);

  const differ = byIndex.findIndex((id, i) => id !== byScan[i]);
  if (differ !== -1) {
    throw new Error(
      `index and scan chose differently for ${queue[differ]!.id}: ${byIndex[differ]} vs ${byScan[differ]}`,
    );
  }
  const offered = byIndex.filter((id) => id !== null).length;
  log(`routing core: ${offered} of ${queue.length} tickets offered, the rest wait`);
  return {
    decision_p50_us: round(percentile(core, 50)),
    decision_p99_us: round(percentile(core, 99)),
    baseline_decision_p50_us: round(percentile(baseline, 50)),
    baseline_decision_p99_us: round(percentile(baseline, 99)),
  };
}
