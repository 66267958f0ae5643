import type { QuickReply } from '../message/message.js';
import {
  DEFAULT_FALLBACK_TEXT,
  DEFAULT_PERSON_LABEL,
  PERSON_VALUE,
  type BotArticle,
  type BotButton,
  type BotFlow,
  type BotHandoffTarget,
  type BotReply,
  type BotState,
  type BotStep,
} from './bot-flow.js';
import { checkAnswer, checkOf, defaultInvalidText } from './check-answer.js';
import { matchArticle } from './match-article.js';
import { containsPhrase, normalizeText } from './normalize-text.js';
import { wantsPerson } from './wants-person.js';

/** Fields the bot need not ask for: what is already known of the end user (name, email). */
export type KnownFields = Readonly<Record<string, string>>;

/** Automatic steps in a row (message → message → …) before the bot stops; flows are checked for loops. */
const MAX_CHAIN = 25;

interface Entered {
  replies: BotReply[];
  nodeId: string | null;
  collected: Record<string, string>;
  handoff: BotHandoffTarget | null;
}

/**
 * The greeting: a new conversation enters the flow's start node. A disabled flow says nothing
 * (the customer's first message hands the conversation off). Greeting twice says nothing.
 */
export function startBot(flow: BotFlow, state: BotState, known: KnownFields = {}): BotStep {
  if (state.status !== 'new') return { replies: [], state, handoff: null };
  if (!flow.enabled) return { replies: [], state: { ...state, status: 'active' }, handoff: null };
  return finish(enter(flow, flow.start, { ...state.collected }, known));
}

/**
 * One customer message: what the bot answers, where the conversation then stands, and whether it
 * goes to people now. Rules, in order:
 * 1. handed off: the bot is silent; a disabled flow hands off at once, saying nothing;
 * 2. a conversation not greeted yet is greeted first;
 * 3. waiting for a field: "talk to a person" hands off at once; a fitting answer is kept and the
 *    flow goes on; anything else re-asks;
 * 4. a button's label (of the node waited on, then of the menu) leads to its node;
 * 5. "Talk to a person" (the quick reply, or typed in English, German or French) leads to the
 *    flow's person node, or hands off to the default target;
 * 6. an article whose keywords, title or text match answers, with the menu;
 * 7. otherwise the bot says it did not understand and offers the menu.
 */
export function stepBot(
  flow: BotFlow,
  articles: readonly BotArticle[],
  state: BotState,
  text: string,
  known: KnownFields = {},
): BotStep {
  if (state.status === 'handed_off') return { replies: [], state, handoff: null };
  if (!flow.enabled) {
    return {
      replies: [],
      state: { ...state, status: 'handed_off', nodeId: null },
      handoff: { target: flow.defaultHandoff, collected: { ...state.collected } },
    };
  }
  if (state.status === 'new') {
    const greeting = startBot(flow, state, known);
    if (greeting.handoff) return greeting;
    const answer = stepBot(flow, articles, greeting.state, text, known);
    return { ...answer, replies: [...greeting.replies, ...answer.replies] };
  }
  const collected = { ...state.collected };
  const node = state.nodeId !== null ? flow.nodes[state.nodeId] : undefined;
  if (node?.type === 'collect') {
    if (wantsPerson(text)) return handOffNow(flow.defaultHandoff, collected, state);
    const check = checkOf(node.field, node.validate);
    const value = checkAnswer(text, check);
    if (value === null) {
      return {
        replies: [{ text: node.invalidText ?? defaultInvalidText(check), quickReplies: [] }],
        state,
        handoff: null,
      };
    }
    collected[node.field] = value;
    return finish(enter(flow, node.next, collected, known));
  }
  const folded = normalizeText(text);
  const own = node?.type === 'message' ? (node.buttons ?? []) : [];
  const menu = menuButtons(flow);
  const exact = [...own, ...menu].find((b) => normalizeText(b.label) === folded);
  if (exact) return finish(enter(flow, exact.next, collected, known));
  if (folded === normalizeText(personLabel(flow)) || folded === PERSON_VALUE || wantsPerson(text))
    return toPerson(flow, collected, known, state);
  const within = [...own, ...menu].find((b) => {
    const label = normalizeText(b.label);
    return label.length >= 4 && containsPhrase(folded, label);
  });
  if (within) return finish(enter(flow, within.next, collected, known));
  const article = matchArticle(articles, text);
  const reply: BotReply = article
    ? { text: `${article.title}\n\n${article.body}`, quickReplies: menuReplies(flow) }
    : { text: flow.fallbackText ?? DEFAULT_FALLBACK_TEXT, quickReplies: menuReplies(flow) };
  return {
    replies: [reply],
    state: { status: 'active', nodeId: flow.start, collected },
    handoff: null,
  };
}

function toPerson(
  flow: BotFlow,
  collected: Record<string, string>,
  known: KnownFields,
  state: BotState,
): BotStep {
  if (flow.personNode && flow.nodes[flow.personNode])
    return finish(enter(flow, flow.personNode, collected, known));
  return handOffNow(flow.defaultHandoff, collected, state);
}

function handOffNow(
  target: BotHandoffTarget,
  collected: Record<string, string>,
  state: BotState,
): BotStep {
  return {
    replies: [],
    state: { ...state, status: 'handed_off', nodeId: null, collected },
    handoff: { target, collected },
  };
}

/** Says what the node says, and goes on until the flow waits for the customer or hands off. */
function enter(
  flow: BotFlow,
  nodeId: string,
  collected: Record<string, string>,
  known: KnownFields,
): Entered {
  const replies: BotReply[] = [];
  let current: string | undefined = nodeId;
  for (let step = 0; current !== undefined && step < MAX_CHAIN; step++) {
    const node: BotFlow['nodes'][string] | undefined = flow.nodes[current];
    if (!node) break;
    if (node.type === 'handoff') {
      if (node.text) replies.push({ text: node.text, quickReplies: [] });
      return { replies, nodeId: null, collected, handoff: node.handoff };
    }
    if (node.type === 'collect') {
      if (collected[node.field] !== undefined || known[node.field]) {
        current = node.next;
        continue;
      }
      replies.push({ text: node.prompt, quickReplies: [] });
      return { replies, nodeId: current, collected, handoff: null };
    }
    const buttons = node.buttons ?? [];
    if (buttons.length === 0 && node.next !== undefined) {
      replies.push({ text: node.text, quickReplies: [] });
      current = node.next;
      continue;
    }
    replies.push({ text: node.text, quickReplies: withPerson(flow, buttonReplies(buttons)) });
    return { replies, nodeId: current, collected, handoff: null };
  }
  return { replies, nodeId: flow.start, collected, handoff: null };
}

function finish(entered: Entered): BotStep {
  if (entered.handoff) {
    return {
      replies: entered.replies,
      state: { status: 'handed_off', nodeId: null, collected: entered.collected },
      handoff: { target: entered.handoff, collected: entered.collected },
    };
  }
  return {
    replies: entered.replies,
    state: { status: 'active', nodeId: entered.nodeId, collected: entered.collected },
    handoff: null,
  };
}

function personLabel(flow: BotFlow): string {
  return flow.personLabel ?? DEFAULT_PERSON_LABEL;
}

/** The start node's buttons: the menu offered after an answer or a "did not understand". */
function menuButtons(flow: BotFlow): readonly BotButton[] {
  const start = flow.nodes[flow.start];
  return start?.type === 'message' ? (start.buttons ?? []) : [];
}

function menuReplies(flow: BotFlow): QuickReply[] {
  return withPerson(flow, buttonReplies(menuButtons(flow)));
}

function buttonReplies(buttons: readonly BotButton[]): QuickReply[] {
  return buttons.map((b) => ({ label: b.label, value: b.next }));
}

/** "Talk to a person" is always one of the choices (once, even when the flow has such a button). */
function withPerson(flow: BotFlow, replies: QuickReply[]): QuickReply[] {
  const label = personLabel(flow);
  const folded = normalizeText(label);
  if (replies.some((r) => normalizeText(r.label) === folded))
    return replies.map((r) =>
      normalizeText(r.label) === folded ? { label: r.label, value: PERSON_VALUE } : r,
    );
  return [...replies, { label, value: PERSON_VALUE }];
}
