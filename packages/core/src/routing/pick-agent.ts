import type { AgentSnapshot, GroupRouting } from './agent-snapshot.js';
import type { Decision } from './decision.js';
import { MAX_EXPLAINED } from './decision.js';
import { excludedSet, hasSkills, missingSkills, standingOf } from './eligibility.js';
import {
  DecisionDraft,
  EXCLUDED_DETAIL,
  directWaitingReason,
  groupWaitingReason,
  skillDetail,
  standingDetail,
  strategyDetail,
} from './explain-decision.js';
import { pickAgentByScan } from './pick-agent-by-scan.js';
import type { QueuedTicket } from './queued-ticket.js';
import { RoutingIndex } from './routing-index.js';

export type { AgentSnapshot, GroupRouting, Strategy } from './agent-snapshot.js';
export type { QueuedTicket } from './queued-ticket.js';
export type { Consideration, Decision, PassReason } from './decision.js';
export { MAX_EXPLAINED } from './decision.js';

/**
 * The best agent for one ticket: eligible = in the ticket's group (or the direct agent), status
 * available, online if the group says onlyOnline, has every required skill, spare capacity in
 * the ticket's channel, not excluded; then the group's strategy: most spare capacity (ties:
 * longest since last offer), round robin (longest since last offer, never-offered first), least
 * open (fewest open; ties: longest since last offer). Deterministic: final tie-break by agent id
 * (after offerSeq, which orders offers made in the same millisecond).
 *
 * `group` is the group routing the ticket (its own, or one it overflowed to); membership is by
 * group.id. A direct ticket needs no membership, but every other rule still applies to its agent.
 *
 * Each member passed is counted under the first reason that decided: status, offline (only-online
 * groups), capacity; then, walking those who could take work in strategy order, skill and
 * excluded; everyone ranked below the chosen agent is passed for 'strategy'.
 *
 * With a RoutingIndex the group's candidates are already in strategy order and the blocked
 * members already counted, so a decision reads only as far as the first eligible agent. With a
 * plain array every agent is scanned; both give the same Decision.
 */
export function pickAgent(
  ticket: QueuedTicket,
  group: GroupRouting | null,
  agents: RoutingIndex | readonly AgentSnapshot[],
): Decision {
  if (ticket.directAgentId !== null) {
    const id = ticket.directAgentId;
    const agent = agents instanceof RoutingIndex ? agents.get(id) : agents.find((a) => a.id === id);
    return pickDirect(ticket, group, id, agent);
  }
  if (group === null) {
    return new DecisionDraft(ticket.id).finish(
      ticket.groupId === null
        ? 'the ticket is in no group'
        : `group ${ticket.groupId} is not configured`,
    );
  }
  return agents instanceof RoutingIndex
    ? pickFromIndex(ticket, group, agents)
    : pickAgentByScan(ticket, group, agents);
}

/** Direct assignment or transfer: the named agent, with every other rule, or nobody. */
function pickDirect(
  ticket: QueuedTicket,
  group: GroupRouting | null,
  agentId: string,
  agent: AgentSnapshot | undefined,
): Decision {
  const draft = new DecisionDraft(ticket.id);
  if (agent === undefined) return draft.finish(`agent ${agentId} is unknown`);
  const standing = standingOf(agent, ticket.channel, group?.onlyOnline ?? false);
  if (standing !== 'candidate') {
    const detail = standingDetail(agent, standing, ticket.channel);
    draft.count(standing);
    draft.note(agent.id, standing, detail);
    return draft.finish(directWaitingReason(agent.id, standing, detail));
  }
  const missing = missingSkills(agent, ticket.requiredSkills);
  if (missing.length > 0) {
    const detail = skillDetail(missing);
    draft.count('skill');
    draft.note(agent.id, 'skill', detail);
    return draft.finish(directWaitingReason(agent.id, 'skill', detail));
  }
  if (ticket.excludedAgentIds.includes(agent.id)) {
    draft.count('excluded');
    draft.note(agent.id, 'excluded', EXCLUDED_DETAIL);
    return draft.finish(directWaitingReason(agent.id, 'excluded', EXCLUDED_DETAIL));
  }
  draft.choose(agent);
  return draft.finish(null);
}

function pickFromIndex(ticket: QueuedTicket, group: GroupRouting, index: RoutingIndex): Decision {
  const channel = ticket.channel;
  const view = index.standing(group, channel);
  const required = ticket.requiredSkills;
  const draft = new DecisionDraft(ticket.id);

  // A required skill no candidate has: nobody can take the ticket, no need to walk them all.
  const unheld = required.find((skill) => view.holders(skill) === 0);
  if (unheld !== undefined) {
    draft.count('skill', view.candidateCount);
    let listed = 0;
    view.scanCandidates((agent) => {
      draft.rank(agent.id, 'skill', skillDetail(missingSkills(agent, required)));
      return ++listed < MAX_EXPLAINED;
    });
  } else {
    const excluded = excludedSet(ticket.excludedAgentIds);
    let walked = 0;
    let rankedBelow: string | null = null;
    view.scanCandidates((agent) => {
      if (rankedBelow !== null) {
        draft.note(agent.id, 'strategy', rankedBelow);
        return draft.room() > 0;
      }
      walked += 1;
      if (!hasSkills(agent, required)) {
        draft.count('skill');
        if (draft.ranksListed()) {
          draft.rank(agent.id, 'skill', skillDetail(missingSkills(agent, required)));
        }
      } else if (excluded.has(agent.id)) {
        draft.count('excluded');
        draft.rank(agent.id, 'excluded', EXCLUDED_DETAIL);
      } else {
        draft.choose(agent);
        rankedBelow = strategyDetail(agent.id, group.strategy);
        return draft.room() > 0;
      }
      return true;
    });
    if (draft.chosenAgent !== null) draft.count('strategy', view.candidateCount - walked);
  }

  const counts = view.blockedCounts;
  draft.count('status', counts.status);
  draft.count('offline', counts.offline);
  draft.count('capacity', counts.capacity);
  if (draft.room() > 0) {
    view.blocked.scan((agent) => {
      const standing = standingOf(agent, channel, group.onlyOnline);
      if (standing !== 'candidate') {
        draft.note(agent.id, standing, standingDetail(agent, standing, channel));
      }
      return draft.room() > 0;
    });
  }
  if (draft.chosenAgent !== null) return draft.finish(null);
  return draft.finish(
    groupWaitingReason(draft, {
      groupId: group.id,
      channel,
      members: view.candidateCount + view.blocked.size,
      candidates: view.candidateCount,
      requiredSkills: required,
      holders: (skill) => view.holders(skill),
    }),
  );
}
