import { describe, expect, it } from 'vitest';
import { chooseAssignee, type AssigneeCandidate, type AssigneeRule } from './choose-assignee.js';

function member(id: string, overrides: Partial<AssigneeCandidate> = {}): AssigneeCandidate {
  return { id, connected: true, status: 'available', openCount: 0, ...overrides };
}

const ROUND_ROBIN: AssigneeRule = {
  strategy: 'round_robin',
  onlyOnline: false,
  exclude: null,
  cursor: null,
};

describe('chooseAssignee', () => {
  it('goes round robin: the member after the one chosen last time', () => {
    const team = [member('c'), member('a'), member('b')];
    expect(chooseAssignee(team, ROUND_ROBIN)).toMatchObject({ agentId: 'a' });
    expect(chooseAssignee(team, { ...ROUND_ROBIN, cursor: 'a' })).toMatchObject({ agentId: 'b' });
    expect(chooseAssignee(team, { ...ROUND_ROBIN, cursor: 'c' })).toMatchObject({ agentId: 'a' });
  });

  it('gives least open to the member with the fewest New and Open tickets', () => {
    const team = [
      member('a', { openCount: 3 }),
      member('b', { openCount: 1 }),
      member('c', { openCount: 2 }),
    ];
    expect(chooseAssignee(team, { ...ROUND_ROBIN, strategy: 'least_open' })).toMatchObject({
      agentId: 'b',
    });
  });

  it('breaks least-open ties round robin', () => {
    const team = [
      member('a', { openCount: 1 }),
      member('b', { openCount: 1 }),
      member('c', { openCount: 4 }),
    ];
    expect(
      chooseAssignee(team, { ...ROUND_ROBIN, strategy: 'least_open', cursor: 'a' }),
    ).toMatchObject({ agentId: 'b' });
  });

  it('only picks members connected and not Offline when asked for online users', () => {
    const team = [
      member('a', { connected: false, status: 'available' }),
      member('b', { connected: true, status: 'offline' }),
      member('c', { connected: true, status: 'idle' }),
    ];
    expect(chooseAssignee(team, { ...ROUND_ROBIN, onlyOnline: true })).toMatchObject({
      agentId: 'c',
    });
  });

  it('says why when no member is online', () => {
    const team = [member('a', { connected: false })];
    expect(chooseAssignee(team, { ...ROUND_ROBIN, onlyOnline: true })).toEqual({
      agentId: null,
      reason: 'no team member is online',
    });
  });

  it('does not give the conversation back to the agent it is with', () => {
    const team = [member('a'), member('b')];
    expect(chooseAssignee(team, { ...ROUND_ROBIN, exclude: 'a' })).toMatchObject({ agentId: 'b' });
    expect(chooseAssignee([member('a')], { ...ROUND_ROBIN, exclude: 'a' }).agentId).toBeNull();
  });
});
