import { DomainError } from '../errors.js';

/**
 * What an agent is doing, as routing sees it. RONA (redirection on no answer) is set by the
 * system when an offer goes unanswered; no offers reach the agent until they choose again.
 */
export type AgentStatus = 'available' | 'idle' | 'offline' | 'rona';
export const AGENT_STATUSES: readonly AgentStatus[] = ['available', 'idle', 'offline', 'rona'];

/** The statuses a person (the agent, or the system on their behalf, e.g. presence) can choose. */
const CHOSEN_STATUSES: readonly AgentStatus[] = ['available', 'idle', 'offline'];

/**
 * Legal status changes. An agent chooses available/idle/offline from any status (from RONA only
 * available, idle or offline); only the system sets RONA, and only from available. Idle needs a
 * reason id. Throws DomainError('validation/invalid' or 'auth/forbidden', ..., 'status'). Returns
 * the new status.
 */
export function changeAgentStatus(
  from: AgentStatus,
  to: AgentStatus,
  by: 'agent' | 'system',
  idleReasonId: string | null,
): AgentStatus {
  if (!AGENT_STATUSES.includes(from) || !AGENT_STATUSES.includes(to)) {
    throw new DomainError('validation/invalid', `Unknown agent status "${String(to)}"`, 'status');
  }
  if (to === 'rona') {
    if (by !== 'system') {
      throw new DomainError(
        'auth/forbidden',
        'Only the system sets RONA, when an offer goes unanswered',
        'status',
      );
    }
    if (from !== 'available') {
      throw new DomainError(
        'validation/invalid',
        `Only an available agent can miss an offer; this agent is ${from}`,
        'status',
      );
    }
    return to;
  }
  if (!CHOSEN_STATUSES.includes(to)) {
    throw new DomainError('validation/invalid', `Unknown agent status "${String(to)}"`, 'status');
  }
  if (to === 'idle' && (idleReasonId === null || idleReasonId.trim() === '')) {
    throw new DomainError('validation/invalid', 'Going idle needs a reason', 'status');
  }
  return to;
}
