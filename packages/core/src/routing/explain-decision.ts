import type { AgentSnapshot, Strategy } from './agent-snapshot.js';
import type { CapacityChannel } from './capacity.js';
import { MAX_EXPLAINED, type Consideration, type Decision, type PassReason } from './decision.js';
import type { Standing } from './eligibility.js';
import { STRATEGY_NAMES } from './strategy-order.js';

/**
 * Collects one decision's explanation. The listing has one canonical order, whichever way the
 * agents were found: the chosen agent; then the agents the strategy ranked above it (or all the
 * agents that could take work, when none could take this ticket) with why they could not, in
 * strategy order; then the runners-up ranked below it; then the agents who could take no work
 * (status, connection, capacity) by id. At most MAX_EXPLAINED entries; every pass is counted.
 */
export class DecisionDraft {
  private chosen: AgentSnapshot | null = null;
  private readonly ranked: Consideration[] = [];
  private readonly rest: Consideration[] = [];
  private readonly counts: Record<PassReason, number> = {
    status: 0,
    offline: 0,
    capacity: 0,
    skill: 0,
    group: 0,
    excluded: 0,
    strategy: 0,
  };

  constructor(private readonly ticketId: string) {}

  get chosenAgent(): AgentSnapshot | null {
    return this.chosen;
  }

  choose(agent: AgentSnapshot): void {
    this.chosen = agent;
  }

  count(reason: PassReason, n = 1): void {
    this.counts[reason] += n;
  }

  countOf(reason: PassReason): number {
    return this.counts[reason];
  }

  /** Whether `rank` would still list an agent (so callers skip building details otherwise). */
  ranksListed(): boolean {
    return this.ranked.length < MAX_EXPLAINED;
  }

  /** Lists an agent ranked above the chosen one (not counted: the caller counts). */
  rank(agentId: string, outcome: PassReason, detail: string): void {
    if (this.ranked.length < MAX_EXPLAINED) this.ranked.push({ agentId, outcome, detail });
  }

  /** Lists a runner-up or an agent who can take no work, if there is room (not counted). */
  note(agentId: string, outcome: PassReason, detail: string): void {
    if (this.room() > 0) this.rest.push({ agentId, outcome, detail });
  }

  /** How many more entries the listing takes after the chosen agent and the ranked ones. */
  room(): number {
    const head = this.chosen === null ? 0 : 1;
    return (
      MAX_EXPLAINED - head - Math.min(this.ranked.length, MAX_EXPLAINED - head) - this.rest.length
    );
  }

  finish(waitingReason: string | null): Decision {
    const considered: Consideration[] = [];
    if (this.chosen !== null) considered.push({ agentId: this.chosen.id, outcome: 'chosen' });
    for (const entry of this.ranked) {
      if (considered.length === MAX_EXPLAINED) break;
      considered.push(entry);
    }
    for (const entry of this.rest) considered.push(entry);
    const passedCounts: Partial<Record<PassReason, number>> = {};
    for (const [reason, n] of Object.entries(this.counts) as [PassReason, number][]) {
      if (n > 0) passedCounts[reason] = n;
    }
    return {
      ticketId: this.ticketId,
      agentId: this.chosen?.id ?? null,
      considered,
      passedCounts,
      waitingReason: this.chosen === null ? waitingReason : null,
    };
  }
}

export function standingDetail(
  agent: AgentSnapshot,
  standing: Exclude<Standing, 'candidate'>,
  channel: CapacityChannel,
): string {
  switch (standing) {
    case 'status':
      return `status is ${agent.status}`;
    case 'offline':
      return 'not connected';
    case 'capacity':
      return `${channel} capacity ${agent.load[channel]} of ${agent.capacity[channel]} in use`;
  }
}

export function skillDetail(missing: readonly string[]): string {
  return missing.length === 1
    ? `missing skill ${missing[0]}`
    : `missing skills ${missing.join(', ')}`;
}

export const EXCLUDED_DETAIL = 'declined, missed or failed to answer this ticket';

export function strategyDetail(chosenId: string, strategy: Strategy): string {
  return `ranked below ${chosenId} by ${STRATEGY_NAMES[strategy]}`;
}

/** Why a ticket for one named agent waits, from the reason that agent was passed. */
export function directWaitingReason(agentId: string, reason: PassReason, detail: string): string {
  switch (reason) {
    case 'status':
      return `agent ${agentId} is not available (${detail})`;
    case 'offline':
      return `agent ${agentId} is not online`;
    case 'capacity':
      return `agent ${agentId} is at capacity (${detail})`;
    case 'skill':
      return `agent ${agentId} is ${detail}`;
    default:
      return `agent ${agentId} ${EXCLUDED_DETAIL}`;
  }
}

export interface GroupWaitFacts {
  readonly groupId: string;
  readonly channel: CapacityChannel;
  readonly members: number;
  /** Members who could take work in the channel (available, online if required, with room). */
  readonly candidates: number;
  readonly requiredSkills: readonly string[];
  /** How many of the candidates have the skill. */
  holders(skill: string): number;
}

/** The main reason a group ticket still waits, read from the finished counts. */
export function groupWaitingReason(draft: DecisionDraft, facts: GroupWaitFacts): string {
  if (facts.members === 0) return `no agent is in group ${facts.groupId}`;
  if (facts.candidates === 0) {
    if (draft.countOf('status') === facts.members) return 'no agent in the group is available';
    if (draft.countOf('capacity') === 0) return 'no available agent in the group is online';
    return `all available agents are at ${facts.channel} capacity`;
  }
  if (draft.countOf('skill') >= draft.countOf('excluded')) {
    let rarest: string | null = null;
    let fewest = Infinity;
    for (const skill of facts.requiredSkills) {
      const n = facts.holders(skill);
      if (n < fewest) [rarest, fewest] = [skill, n];
    }
    const room = `no available agent with spare ${facts.channel} capacity`;
    return fewest === 0 && rarest !== null
      ? `${room} has skill ${rarest}`
      : `${room} has all of the skills ${facts.requiredSkills.join(', ')}`;
  }
  return `every available agent with spare ${facts.channel} capacity ${EXCLUDED_DETAIL}`;
}
