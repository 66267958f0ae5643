import { DomainError } from '../errors.js';
import { TICKET_PRIORITIES } from '../ticket/ticket.js';
import { normalizeTags } from '../ticket/tags.js';
import type { BotButton, BotFlow, BotHandoffTarget, BotNode, FieldCheck } from './bot-flow.js';

type Raw = Record<string, unknown>;

/** What exists in the workspace: a flow may only name these groups and skills. */
export interface FlowReferences {
  readonly groupIds: ReadonlySet<string>;
  readonly skillIds: ReadonlySet<string>;
}

const NODE_ID = /^[A-Za-z0-9_-]{1,64}$/;
const FIELD = /^[a-z][a-z0-9_]{0,39}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CHECKS: readonly FieldCheck[] = ['email', 'name', 'phone', 'text'];
const MAX_NODES = 200;
const MAX_BUTTONS = 10;
const MAX_TEXT = 2_000;

/**
 * Checks a flow as an admin saves it and returns it cleaned (tags normalised). Refused with the
 * code `bot/invalid-flow` and the field at fault (`nodes.menu.buttons.0.next`): an unknown node
 * type or field; a start, person node, button or `next` naming no node; a handoff to a group or
 * with a skill that does not exist; messages that lead to each other without waiting for the
 * customer (a loop); texts empty or too long.
 */
export function validateFlow(raw: unknown, refs: FlowReferences): BotFlow {
  const input = record(raw, '', 'The flow');
  onlyKeys(
    input,
    ['enabled', 'start', 'nodes', 'defaultHandoff', 'personNode', 'fallbackText', 'personLabel'],
    '',
  );
  if (typeof input.enabled !== 'boolean') fail('enabled must be true or false', 'enabled');
  const rawNodes = record(input.nodes, 'nodes', 'nodes');
  const ids = Object.keys(rawNodes);
  if (ids.length === 0) fail('A flow needs at least one node', 'nodes');
  if (ids.length > MAX_NODES) fail(`A flow has at most ${MAX_NODES} nodes`, 'nodes');
  const nodes: Record<string, BotNode> = {};
  for (const id of ids) {
    if (!NODE_ID.test(id))
      fail(`Node id "${id}" must be 1-64 letters, digits, _ or -`, `nodes.${id}`);
    nodes[id] = parseNode(rawNodes[id], `nodes.${id}`, refs);
  }
  const exists = (ref: unknown, field: string): string => {
    if (typeof ref !== 'string' || !(ref in nodes))
      fail(`${field} names no node of this flow ("${String(ref)}")`, field);
    return ref;
  };
  const start = exists(input.start, 'start');
  for (const [id, node] of Object.entries(nodes)) {
    if (node.type === 'message') {
      node.buttons?.forEach((b, i) => exists(b.next, `nodes.${id}.buttons.${i}.next`));
      if (node.next !== undefined) exists(node.next, `nodes.${id}.next`);
    } else if (node.type === 'collect') exists(node.next, `nodes.${id}.next`);
  }
  checkNoSilentLoop(nodes);
  const flow: {
    -readonly [K in keyof BotFlow]: BotFlow[K];
  } = {
    enabled: input.enabled,
    start,
    nodes,
    defaultHandoff: parseHandoff(input.defaultHandoff, 'defaultHandoff', refs),
  };
  if (input.personNode !== undefined) flow.personNode = exists(input.personNode, 'personNode');
  if (input.fallbackText !== undefined)
    flow.fallbackText = text(input.fallbackText, 'fallbackText', MAX_TEXT);
  if (input.personLabel !== undefined)
    flow.personLabel = text(input.personLabel, 'personLabel', 80);
  return flow;
}

function parseNode(raw: unknown, path: string, refs: FlowReferences): BotNode {
  const node = record(raw, path, 'A node');
  switch (node.type) {
    case 'message': {
      onlyKeys(node, ['type', 'text', 'buttons', 'next'], path);
      const buttons = node.buttons === undefined ? undefined : parseButtons(node.buttons, path);
      if (buttons?.length && node.next !== undefined)
        fail('A message with buttons waits for a choice: it cannot also have next', `${path}.next`);
      return {
        type: 'message',
        text: text(node.text, `${path}.text`, MAX_TEXT),
        ...(buttons ? { buttons } : {}),
        ...(node.next !== undefined ? { next: nodeRef(node.next, `${path}.next`) } : {}),
      };
    }
    case 'collect': {
      onlyKeys(node, ['type', 'field', 'prompt', 'validate', 'invalidText', 'next'], path);
      if (typeof node.field !== 'string' || !FIELD.test(node.field))
        fail('field must be a lower-case key such as name, email or order_number', `${path}.field`);
      if (node.validate !== undefined && !CHECKS.includes(node.validate as FieldCheck))
        fail(`validate must be one of ${CHECKS.join(', ')}`, `${path}.validate`);
      return {
        type: 'collect',
        field: node.field,
        prompt: text(node.prompt, `${path}.prompt`, MAX_TEXT),
        ...(node.validate !== undefined ? { validate: node.validate as FieldCheck } : {}),
        ...(node.invalidText !== undefined
          ? { invalidText: text(node.invalidText, `${path}.invalidText`, MAX_TEXT) }
          : {}),
        next: nodeRef(node.next, `${path}.next`),
      };
    }
    case 'handoff':
      onlyKeys(node, ['type', 'text', 'handoff'], path);
      return {
        type: 'handoff',
        ...(node.text !== undefined ? { text: text(node.text, `${path}.text`, MAX_TEXT) } : {}),
        handoff: parseHandoff(node.handoff, `${path}.handoff`, refs),
      };
    default:
      return fail('type must be message, collect or handoff', `${path}.type`);
  }
}

function parseButtons(raw: unknown, path: string): BotButton[] {
  if (!Array.isArray(raw)) fail('buttons must be a list', `${path}.buttons`);
  if (raw.length > MAX_BUTTONS)
    fail(`A node has at most ${MAX_BUTTONS} buttons`, `${path}.buttons`);
  const seen = new Set<string>();
  return raw.map((b, i) => {
    const at = `${path}.buttons.${i}`;
    const button = record(b, at, 'A button');
    onlyKeys(button, ['label', 'next'], at);
    const label = text(button.label, `${at}.label`, 80);
    const folded = label.trim().toLowerCase();
    if (seen.has(folded)) fail(`Two buttons are labelled "${label}"`, `${at}.label`);
    seen.add(folded);
    return { label, next: nodeRef(button.next, `${at}.next`) };
  });
}

function parseHandoff(raw: unknown, path: string, refs: FlowReferences): BotHandoffTarget {
  const h = record(raw, path, 'A handoff');
  onlyKeys(h, ['groupId', 'skillIds', 'priority', 'tags', 'subject'], path);
  const groupId = h.groupId ?? null;
  if (groupId !== null) {
    if (typeof groupId !== 'string' || !UUID.test(groupId) || !refs.groupIds.has(groupId))
      fail(`No such group: ${String(groupId)}`, `${path}.groupId`);
  }
  const out: { -readonly [K in keyof BotHandoffTarget]: BotHandoffTarget[K] } = {
    groupId: groupId as string | null,
  };
  if (h.skillIds !== undefined) {
    if (!Array.isArray(h.skillIds)) fail('skillIds must be a list', `${path}.skillIds`);
    h.skillIds.forEach((s, i) => {
      if (typeof s !== 'string' || !UUID.test(s) || !refs.skillIds.has(s))
        fail(`No such skill: ${String(s)}`, `${path}.skillIds.${i}`);
    });
    out.skillIds = [...new Set(h.skillIds as string[])];
  }
  if (h.priority !== undefined) {
    if (!TICKET_PRIORITIES.includes(h.priority as never))
      fail(`priority must be one of ${TICKET_PRIORITIES.join(', ')}`, `${path}.priority`);
    out.priority = h.priority as BotHandoffTarget['priority'] & string;
  }
  if (h.tags !== undefined) {
    if (!Array.isArray(h.tags) || h.tags.some((t) => typeof t !== 'string'))
      fail('tags must be a list of words', `${path}.tags`);
    out.tags = normalizeTags(h.tags as string[], `${path}.tags`);
  }
  if (h.subject !== undefined && h.subject !== null)
    out.subject = text(h.subject, `${path}.subject`, 250);
  return out;
}

/** Messages without buttons go straight on: a ring of them would talk forever. */
function checkNoSilentLoop(nodes: Record<string, BotNode>): void {
  for (const start of Object.keys(nodes)) {
    const seen = new Set<string>();
    let current: string | undefined = start;
    while (current !== undefined) {
      const node: BotNode | undefined = nodes[current];
      if (node?.type !== 'message' || node.buttons?.length) break;
      if (seen.has(current))
        fail(
          `Messages ${[...seen].join(' → ')} lead back to each other without waiting for the customer`,
          `nodes.${current}.next`,
        );
      seen.add(current);
      current = node.next;
    }
  }
}

function nodeRef(raw: unknown, field: string): string {
  if (typeof raw !== 'string' || !NODE_ID.test(raw)) fail('must name a node', field);
  return raw;
}

function text(raw: unknown, field: string, max: number): string {
  if (typeof raw !== 'string' || raw.trim() === '') fail('must be a non-empty text', field);
  if (raw.length > max) fail(`must be at most ${max} characters`, field);
  return raw;
}

function record(raw: unknown, field: string, what: string): Raw {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    fail(`${what} must be an object`, field);
  return raw as Raw;
}

function onlyKeys(obj: Raw, allowed: readonly string[], path: string): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key))
      fail(
        `Unknown field "${key}" (allowed: ${allowed.join(', ')})`,
        path ? `${path}.${key}` : key,
      );
  }
}

function fail(message: string, field: string): never {
  throw new DomainError('bot/invalid-flow', message, field);
}
