import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors.js';
import { validateFlow } from './validate-flow.js';

const GROUP = '00000000-0000-4000-8000-000000000001';
const SKILL = '00000000-0000-4000-8000-000000000002';
const refs = { groupIds: new Set([GROUP]), skillIds: new Set([SKILL]) };

const valid = () => ({
  enabled: true,
  start: 'menu',
  defaultHandoff: { groupId: GROUP },
  nodes: {
    menu: { type: 'message', text: 'Hi', buttons: [{ label: 'Help', next: 'handoff' }] },
    handoff: { type: 'handoff', handoff: { groupId: GROUP, skillIds: [SKILL], tags: ['VIP'] } },
  },
});

function fieldOf(raw: unknown): string | undefined {
  try {
    validateFlow(raw, refs);
  } catch (error) {
    if (error instanceof DomainError && error.code === 'bot/invalid-flow') return error.field;
    if (error instanceof DomainError) return `${error.code}:${error.field}`;
    throw error;
  }
  return undefined;
}

describe('flow validation', () => {
  it('accepts a valid flow and normalises its tags', () => {
    const flow = validateFlow(valid(), refs);
    expect(flow.nodes.handoff).toMatchObject({ handoff: { tags: ['vip'] } });
  });

  it('refuses a button that names no node', () => {
    const flow = valid();
    flow.nodes.menu.buttons[0]!.next = 'nowhere';
    expect(fieldOf(flow)).toBe('nodes.menu.buttons.0.next');
  });

  it('refuses a start node that does not exist', () => {
    expect(fieldOf({ ...valid(), start: 'missing' })).toBe('start');
  });

  it('refuses a handoff to a group that does not exist', () => {
    const flow = valid();
    flow.nodes.handoff.handoff.groupId = '00000000-0000-4000-8000-00000000dead';
    expect(fieldOf(flow)).toBe('nodes.handoff.handoff.groupId');
  });

  it('refuses a skill that does not exist', () => {
    const flow = valid();
    flow.nodes.handoff.handoff.skillIds = ['00000000-0000-4000-8000-00000000dead'];
    expect(fieldOf(flow)).toBe('nodes.handoff.handoff.skillIds.0');
  });

  it('refuses an unknown node type', () => {
    expect(fieldOf({ ...valid(), nodes: { ...valid().nodes, x: { type: 'dance' } } })).toBe(
      'nodes.x.type',
    );
  });

  it('refuses messages that lead to each other without waiting', () => {
    const nodes = {
      ...valid().nodes,
      a: { type: 'message', text: 'A', next: 'b' },
      b: { type: 'message', text: 'B', next: 'a' },
    };
    expect(fieldOf({ ...valid(), nodes })).toMatch(/^nodes\.[ab]\.next$/);
  });

  it('refuses a collect node with an unknown check', () => {
    const nodes = {
      ...valid().nodes,
      ask: { type: 'collect', field: 'email', prompt: 'Email?', validate: 'dna', next: 'menu' },
    };
    expect(fieldOf({ ...valid(), nodes })).toBe('nodes.ask.validate');
  });

  it('refuses a person node that does not exist', () => {
    expect(fieldOf({ ...valid(), personNode: 'ghost' })).toBe('personNode');
  });
});
