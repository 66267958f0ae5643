import {
  withPlannedOffer,
  type AgentSnapshot,
  type GroupRouting,
  type Strategy,
} from './agent-snapshot.js';
import type { CapacityChannel } from './capacity.js';
import { standingOf } from './eligibility.js';
import { SortedList, type ReadonlySortedList } from './sorted-list.js';
import { compareAgentIds, compareRanked, rankAgent, type RankedAgent } from './strategy-order.js';

/** A group's members as routing sees them for one channel, strategy and online rule. */
export interface GroupStanding {
  readonly groupId: string;
  readonly channel: CapacityChannel;
  readonly strategy: Strategy;
  readonly onlyOnline: boolean;
  /** How many members could take work in the channel now. */
  readonly candidateCount: number;
  /** Visits the members who could take work in the channel now, best first by the strategy, until `visit` returns false. */
  scanCandidates(visit: (agent: AgentSnapshot) => boolean): void;
  /** Members who cannot take work in the channel now, by id. */
  readonly blocked: ReadonlySortedList<AgentSnapshot>;
  /** Why the blocked members are blocked. */
  readonly blockedCounts: Readonly<Record<'status' | 'offline' | 'capacity', number>>;
  /** How many candidates have the skill. */
  holders(skill: string): number;
}

class GroupView implements GroupStanding {
  private readonly candidates = new SortedList<RankedAgent>(compareRanked);
  readonly blocked = new SortedList<AgentSnapshot>(compareAgentIds);
  readonly blockedCounts = { status: 0, offline: 0, capacity: 0 };
  private readonly skillHolders = new Map<string, number>();

  constructor(
    readonly groupId: string,
    readonly channel: CapacityChannel,
    readonly strategy: Strategy,
    readonly onlyOnline: boolean,
    members: Iterable<AgentSnapshot>,
  ) {
    for (const agent of members) this.add(agent);
  }

  matches(channel: CapacityChannel, strategy: Strategy, onlyOnline: boolean): boolean {
    return this.channel === channel && this.strategy === strategy && this.onlyOnline === onlyOnline;
  }

  get candidateCount(): number {
    return this.candidates.size;
  }

  scanCandidates(visit: (agent: AgentSnapshot) => boolean): void {
    this.candidates.scan((ranked) => visit(ranked.agent));
  }

  holders(skill: string): number {
    return this.skillHolders.get(skill) ?? 0;
  }

  add(agent: AgentSnapshot): void {
    this.move(agent, 1);
  }

  remove(agent: AgentSnapshot): void {
    this.move(agent, -1);
  }

  /** Moves an agent from their previous snapshot to the next, touching only what changed. */
  replace(previous: AgentSnapshot, next: AgentSnapshot): void {
    const was = standingOf(previous, this.channel, this.onlyOnline);
    const is = standingOf(next, this.channel, this.onlyOnline);
    if (was === 'candidate' && is === 'candidate' && previous.skills === next.skills) {
      this.candidates.delete(rankAgent(previous, this.strategy, this.channel));
      this.candidates.add(rankAgent(next, this.strategy, this.channel));
    } else if (was !== 'candidate' && is !== 'candidate') {
      // Blocked members are kept by id, which does not change: swap the snapshot in place.
      this.blocked.replace(previous, next);
      this.blockedCounts[was] -= 1;
      this.blockedCounts[is] += 1;
    } else {
      this.remove(previous);
      this.add(next);
    }
  }

  private move(agent: AgentSnapshot, by: 1 | -1): void {
    const standing = standingOf(agent, this.channel, this.onlyOnline);
    if (standing === 'candidate') {
      const ranked = rankAgent(agent, this.strategy, this.channel);
      if (by === 1) this.candidates.add(ranked);
      else this.candidates.delete(ranked);
      const skills = agent.skills;
      for (let i = 0; i < skills.length; i++) {
        const skill = skills[i]!;
        if (skills.indexOf(skill) === i) {
          this.skillHolders.set(skill, (this.skillHolders.get(skill) ?? 0) + by);
        }
      }
    } else {
      if (by === 1) this.blocked.add(agent);
      else this.blocked.delete(agent);
      this.blockedCounts[standing] += by;
    }
  }
}

function sameGroups(a: AgentSnapshot, b: AgentSnapshot): boolean {
  return (
    a.groupIds === b.groupIds ||
    (a.groupIds.length === b.groupIds.length && a.groupIds.every((id, i) => b.groupIds[i] === id))
  );
}

function eachGroup(agent: AgentSnapshot, visit: (groupId: string) => void): void {
  const ids = agent.groupIds;
  for (let i = 0; i < ids.length; i++) if (ids.indexOf(ids[i]!) === i) visit(ids[i]!);
}

/**
 * An index over agents for fast decisions at 10,000 agents: by group, only agents that could
 * take work (available with spare capacity) in strategy order; updated incrementally when an
 * agent's load/status changes (planOffers uses it). A group's view for a channel, strategy and
 * online rule is built the first time it is asked for, and kept up to date from then on.
 */
export class RoutingIndex {
  private readonly agents = new Map<string, AgentSnapshot>();
  private readonly members = new Map<string, Set<string>>();
  private readonly views = new Map<string, GroupView[]>();
  private offersRecorded = 0;

  /** Later snapshots of the same agent id replace earlier ones. */
  constructor(agents: Iterable<AgentSnapshot> = []) {
    for (const agent of agents) this.update(agent);
  }

  get size(): number {
    return this.agents.size;
  }

  get(id: string): AgentSnapshot | undefined {
    return this.agents.get(id);
  }

  values(): IterableIterator<AgentSnapshot> {
    return this.agents.values();
  }

  /** Adds the agent, or replaces their snapshot (status, load, groups, anything). */
  update(agent: AgentSnapshot): void {
    const previous = this.agents.get(agent.id);
    if (previous !== undefined && sameGroups(previous, agent)) {
      // The common case (load, status, offers): move the agent within each view, nothing else.
      this.agents.set(agent.id, agent);
      eachGroup(agent, (groupId) => {
        for (const view of this.views.get(groupId) ?? []) view.replace(previous, agent);
      });
      return;
    }
    if (previous !== undefined) this.detach(previous);
    this.agents.set(agent.id, agent);
    eachGroup(agent, (groupId) => {
      let ids = this.members.get(groupId);
      if (ids === undefined) this.members.set(groupId, (ids = new Set()));
      ids.add(agent.id);
      for (const view of this.views.get(groupId) ?? []) view.add(agent);
    });
  }

  /** Forgets the agent; false when they were not indexed. */
  remove(id: string): boolean {
    const previous = this.agents.get(id);
    if (previous === undefined) return false;
    this.detach(previous);
    this.agents.delete(id);
    return true;
  }

  /**
   * Records a planned offer (see withPlannedOffer, numbered in the order this index recorded
   * them) and returns the agent's new snapshot.
   */
  recordOffer(agentId: string, channel: CapacityChannel, now: number): AgentSnapshot {
    const agent = this.agents.get(agentId);
    if (agent === undefined) throw new RangeError(`agent ${agentId} is not indexed`);
    const next = withPlannedOffer(agent, channel, now, ++this.offersRecorded);
    this.update(next);
    return next;
  }

  memberCount(groupId: string): number {
    return this.members.get(groupId)?.size ?? 0;
  }

  /** The group's members for a ticket of `channel`, as the group's strategy and rule see them. */
  standing(group: GroupRouting, channel: CapacityChannel): GroupStanding {
    let views = this.views.get(group.id);
    if (views === undefined) this.views.set(group.id, (views = []));
    const found = views.find((view) => view.matches(channel, group.strategy, group.onlyOnline));
    if (found !== undefined) return found;
    const members = [...(this.members.get(group.id) ?? [])].map((id) => this.agents.get(id)!);
    const view = new GroupView(group.id, channel, group.strategy, group.onlyOnline, members);
    views.push(view);
    return view;
  }

  /** The agents of the group who could take a ticket of `channel` now, best first. */
  candidates(group: GroupRouting, channel: CapacityChannel): AgentSnapshot[] {
    const agents: AgentSnapshot[] = [];
    this.standing(group, channel).scanCandidates((agent) => agents.push(agent) > 0);
    return agents;
  }

  private detach(agent: AgentSnapshot): void {
    eachGroup(agent, (groupId) => {
      const ids = this.members.get(groupId);
      ids?.delete(agent.id);
      if (ids?.size === 0) this.members.delete(groupId);
      for (const view of this.views.get(groupId) ?? []) view.remove(agent);
    });
  }
}
