import type { AgentStatus } from '../routing/agent-status.js';

/** A member of the team an Assign to step names. */
export interface AssigneeCandidate {
  readonly id: string;
  /** Has a live connection to Parlour. */
  readonly connected: boolean;
  readonly status: AgentStatus;
  /** New and Open tickets assigned to them. */
  readonly openCount: number;
}

export interface AssigneeRule {
  readonly strategy: 'round_robin' | 'least_open';
  /** Only agents connected now whose status is not Offline. */
  readonly onlyOnline: boolean;
  /** The agent the conversation is with now: assigning to a team moves it to someone else. */
  readonly exclude: string | null;
  /** The agent this step chose last time (round robin goes on after them). */
  readonly cursor: string | null;
}

export type AssigneeChoice =
  | { readonly agentId: string; readonly candidates: number }
  | { readonly agentId: null; readonly reason: string };

/**
 * Picks a team member for an Assign to step (seed 003's "Pro tips").
 * - Round robin: members in a fixed order (by id), the next one after the one chosen last time,
 *   wrapping around, so conversations spread evenly.
 * - Least open: the member with the fewest New and Open tickets; ties go round robin.
 * - "Only online users": connected now and not Offline.
 * - The agent the conversation is already with is not chosen again.
 */
export function chooseAssignee(
  members: readonly AssigneeCandidate[],
  rule: AssigneeRule,
): AssigneeChoice {
  if (members.length === 0) return { agentId: null, reason: 'the team has no active members' };
  const others = members.filter((m) => m.id !== rule.exclude);
  if (others.length === 0)
    return { agentId: null, reason: 'the conversation is already with the only team member' };
  const eligible = rule.onlyOnline
    ? others.filter((m) => m.connected && m.status !== 'offline')
    : others;
  if (eligible.length === 0) return { agentId: null, reason: 'no team member is online' };
  let pool = eligible;
  if (rule.strategy === 'least_open') {
    const fewest = Math.min(...eligible.map((m) => m.openCount));
    pool = eligible.filter((m) => m.openCount === fewest);
  }
  const ordered = [...pool].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const next = rule.cursor === null ? undefined : ordered.find((m) => m.id > rule.cursor!);
  return { agentId: (next ?? ordered[0]!).id, candidates: eligible.length };
}
