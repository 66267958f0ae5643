import type { BotFlow, BotHandoff, BotNode, SaveBotFlowBody } from '@parlour/protocol';

/** What a new workspace starts from: a greeting that waits for the customer's words. */
export function starterFlow(): BotFlow {
  return {
    enabled: false,
    start: 'welcome',
    nodes: { welcome: { type: 'message', text: 'Hi! How can we help you today?' } },
    defaultHandoff: { groupId: null },
  };
}

export function newNode(type: BotNode['type']): BotNode {
  switch (type) {
    case 'message':
      return { type: 'message', text: 'New message' };
    case 'collect':
      return { type: 'collect', field: 'name', prompt: 'What is your name?', next: '' };
    case 'handoff':
      return { type: 'handoff', text: 'Connecting you with a person…', handoff: { groupId: null } };
  }
}

/** The nodes a node leads to (buttons, next). */
function successors(node: BotNode | undefined): string[] {
  if (!node) return [];
  if (node.type === 'message')
    return [...(node.buttons ?? []).map((b) => b.next), ...(node.next ? [node.next] : [])];
  if (node.type === 'collect') return [node.next];
  return [];
}

/**
 * The nodes in reading order: the start node, then as a customer would meet them (breadth
 * first, the person node after the start's branch), then any the flow never reaches, by id.
 */
export function orderNodeIds(flow: BotFlow): string[] {
  const out: string[] = [];
  for (const root of [flow.start, flow.personNode]) {
    const queue = root ? [root] : [];
    while (queue.length > 0) {
      const id = queue.shift()!;
      if (out.includes(id) || !(id in flow.nodes)) continue;
      out.push(id);
      queue.push(...successors(flow.nodes[id]));
    }
  }
  const rest = Object.keys(flow.nodes)
    .filter((id) => !out.includes(id))
    .sort();
  return [...out, ...rest];
}

function cleanHandoff(h: BotHandoff): BotHandoff {
  return {
    groupId: h.groupId,
    ...(h.skillIds?.length ? { skillIds: h.skillIds } : {}),
    ...(h.priority ? { priority: h.priority } : {}),
    ...(h.tags?.length ? { tags: h.tags } : {}),
    ...(h.subject ? { subject: h.subject } : {}),
  };
}

function cleanNode(node: BotNode): BotNode {
  switch (node.type) {
    case 'message':
      return {
        type: 'message',
        text: node.text,
        ...(node.buttons?.length ? { buttons: node.buttons } : {}),
        ...(node.next ? { next: node.next } : {}),
      };
    case 'collect':
      return {
        type: 'collect',
        field: node.field,
        prompt: node.prompt,
        ...(node.validate ? { validate: node.validate } : {}),
        ...(node.invalidText ? { invalidText: node.invalidText } : {}),
        next: node.next,
      };
    case 'handoff':
      return {
        type: 'handoff',
        ...(node.text ? { text: node.text } : {}),
        handoff: cleanHandoff(node.handoff),
      };
  }
}

/**
 * The body PUT /api/bot/flow takes: optional texts left empty are left out; required ones are
 * sent as typed, so the server names the one at fault.
 */
export function toSaveBody(flow: BotFlow): SaveBotFlowBody {
  const nodes: Record<string, BotNode> = {};
  for (const [id, node] of Object.entries(flow.nodes)) nodes[id] = cleanNode(node);
  return {
    enabled: flow.enabled,
    start: flow.start,
    nodes,
    defaultHandoff: cleanHandoff(flow.defaultHandoff),
    ...(flow.personNode ? { personNode: flow.personNode } : {}),
    ...(flow.fallbackText ? { fallbackText: flow.fallbackText } : {}),
    ...(flow.personLabel ? { personLabel: flow.personLabel } : {}),
  };
}

/** Node ids as the flow accepts them. */
export const NODE_ID = /^[A-Za-z0-9_-]{1,64}$/;
