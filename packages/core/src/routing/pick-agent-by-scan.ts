import type { AgentSnapshot, GroupRouting } from './agent-snapshot.js';
import { MAX_EXPLAINED, type Decision } from './decision.js';
import { excludedSet, hasSkills, missingSkills, standingOf } from './eligibility.js';
import {
  DecisionDraft,
  EXCLUDED_DETAIL,
  groupWaitingReason,
  skillDetail,
  standingDetail,
  strategyDetail,
} from './explain-decision.js';
import type { QueuedTicket } from './queued-ticket.js';
import { compareAgentIds, strategyOrder, type AgentOrder } from './strategy-order.js';

/** The first `limit` items offered, in order, without sorting everything offered. */
class FirstInOrder<T> {
  readonly items: T[] = [];

  constructor(
    private readonly order: (a: T, b: T) => number,
    private readonly limit: number,
  ) {}

  offer(item: T): void {
    const items = this.items;
    if (items.length === this.limit && this.order(item, items[items.length - 1]!) >= 0) return;
    let lo = 0;
    let hi = items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.order(items[mid]!, item) < 0) lo = mid + 1;
      else hi = mid;
    }
    items.splice(lo, 0, item);
    if (items.length > this.limit) items.pop();
  }
}

/**
 * pickAgent over a plain array: one loop over every agent with the same rules and the same
 * explanation as the index. It is the reference the index is tested against, and the benchmark's
 * baseline. Agent ids must be unique in the array.
 */
export function pickAgentByScan(
  ticket: QueuedTicket,
  group: GroupRouting,
  agents: readonly AgentSnapshot[],
): Decision {
  const channel = ticket.channel;
  const order: AgentOrder = strategyOrder(group.strategy, channel);
  const required = ticket.requiredSkills;
  const excluded = excludedSet(ticket.excludedAgentIds);
  const draft = new DecisionDraft(ticket.id);
  const blocked = new FirstInOrder<AgentSnapshot>(compareAgentIds, MAX_EXPLAINED);
  const candidates: AgentSnapshot[] = [];
  const holders = required.map(() => 0);
  let members = 0;
  let chosen: AgentSnapshot | null = null;

  for (const agent of agents) {
    if (!agent.groupIds.includes(group.id)) continue;
    members += 1;
    const standing = standingOf(agent, channel, group.onlyOnline);
    if (standing !== 'candidate') {
      draft.count(standing);
      blocked.offer(agent);
      continue;
    }
    candidates.push(agent);
    let hasAll = true;
    for (let i = 0; i < required.length; i++) {
      if (agent.skills.includes(required[i]!)) holders[i] = holders[i]! + 1;
      else hasAll = false;
    }
    if (hasAll && !excluded.has(agent.id) && (chosen === null || order(agent, chosen) < 0)) {
      chosen = agent;
    }
  }

  const ranked = new FirstInOrder<AgentSnapshot>(order, MAX_EXPLAINED);
  const runnersUp = new FirstInOrder<AgentSnapshot>(order, MAX_EXPLAINED);
  for (const agent of candidates) {
    if (agent === chosen) continue;
    if (chosen !== null && order(agent, chosen) > 0) {
      draft.count('strategy');
      runnersUp.offer(agent);
    } else {
      // Ranked above the chosen agent (or nobody chosen): it lacks a skill or was excluded.
      draft.count(hasSkills(agent, required) ? 'excluded' : 'skill');
      ranked.offer(agent);
    }
  }

  if (chosen !== null) draft.choose(chosen);
  for (const agent of ranked.items) {
    const missing = missingSkills(agent, required);
    if (missing.length > 0) draft.rank(agent.id, 'skill', skillDetail(missing));
    else draft.rank(agent.id, 'excluded', EXCLUDED_DETAIL);
  }
  if (chosen !== null) {
    const rankedBelow = strategyDetail(chosen.id, group.strategy);
    for (const agent of runnersUp.items) draft.note(agent.id, 'strategy', rankedBelow);
  }
  for (const agent of blocked.items) {
    const standing = standingOf(agent, channel, group.onlyOnline);
    if (standing !== 'candidate')
      draft.note(agent.id, standing, standingDetail(agent, standing, channel));
  }
  if (chosen !== null) return draft.finish(null);
  return draft.finish(
    groupWaitingReason(draft, {
      groupId: group.id,
      channel,
      members,
      candidates: candidates.length,
      requiredSkills: required,
      holders: (skill) => holders[required.indexOf(skill)] ?? 0,
    }),
  );
}
