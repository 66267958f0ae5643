import { describe, expect, it } from 'vitest';
import { thrown } from '../testing/build.js';
import { AGENT_STATUSES, changeAgentStatus, type AgentStatus } from './agent-status.js';

const CHOSEN: readonly AgentStatus[] = ['available', 'idle', 'offline'];
const reasonFor = (to: AgentStatus): string | null => (to === 'idle' ? 'lunch' : null);
const agentMoves = AGENT_STATUSES.flatMap((from) => CHOSEN.map((to) => ({ from, to })));

describe('changeAgentStatus', () => {
  it.each(agentMoves)('lets an agent go from $from to $to', ({ from, to }) => {
    expect(changeAgentStatus(from, to, 'agent', reasonFor(to))).toBe(to);
  });

  it.each(agentMoves)('lets the system move an agent from $from to $to', ({ from, to }) => {
    expect(changeAgentStatus(from, to, 'system', reasonFor(to))).toBe(to);
  });

  it('lets the system set RONA on an available agent who missed an offer', () => {
    expect(changeAgentStatus('available', 'rona', 'system', null)).toBe('rona');
  });

  it.each(AGENT_STATUSES)('forbids an agent to set RONA on themselves (from %s)', (from) => {
    const error = thrown(() => changeAgentStatus(from, 'rona', 'agent', null));
    expect(error.code).toBe('auth/forbidden');
    expect(error.field).toBe('status');
  });

  it.each(['idle', 'offline', 'rona'] as const)(
    'refuses RONA for an agent who is %s, since only an available agent gets offers',
    (from) => {
      const error = thrown(() => changeAgentStatus(from, 'rona', 'system', null));
      expect(error.code).toBe('validation/invalid');
      expect(error.field).toBe('status');
    },
  );

  it.each([null, '', '   '])('refuses to go idle without a reason (%j)', (reason) => {
    const error = thrown(() => changeAgentStatus('available', 'idle', 'agent', reason));
    expect(error.code).toBe('validation/invalid');
    expect(error.field).toBe('status');
  });

  it('refuses a status that does not exist', () => {
    const error = thrown(() =>
      changeAgentStatus('available', 'busy' as AgentStatus, 'agent', null),
    );
    expect(error.code).toBe('validation/invalid');
  });
});
