import type { AgentSnapshot } from './agent-snapshot.js';
import type { CapacityChannel } from './capacity.js';

/**
 * Where an agent stands for a channel before any ticket is looked at: able to take work
 * ('candidate'), or passed for the first ticket-independent reason, in this order: status,
 * then (in groups that route only to online agents) connection, then capacity.
 */
export type Standing = 'candidate' | 'status' | 'offline' | 'capacity';

export function standingOf(
  agent: AgentSnapshot,
  channel: CapacityChannel,
  onlyOnline: boolean,
): Standing {
  if (agent.status !== 'available') return 'status';
  if (onlyOnline && !agent.online) return 'offline';
  if (agent.capacity[channel] - agent.load[channel] <= 0) return 'capacity';
  return 'candidate';
}

export function hasSkills(agent: AgentSnapshot, required: readonly string[]): boolean {
  for (const skill of required) if (!agent.skills.includes(skill)) return false;
  return true;
}

const NONE: readonly string[] = [];

/** The required skills the agent lacks, in the ticket's order (no allocation when none). */
export function missingSkills(
  agent: AgentSnapshot,
  required: readonly string[],
): readonly string[] {
  let missing: string[] | null = null;
  for (const skill of required) {
    if (!agent.skills.includes(skill)) (missing ??= []).push(skill);
  }
  return missing ?? NONE;
}

/** A membership test that stays cheap for the usual one or two excluded agents. */
export function excludedSet(ids: readonly string[]): { has(id: string): boolean } {
  return ids.length > 8 ? new Set(ids) : { has: (id) => ids.includes(id) };
}
