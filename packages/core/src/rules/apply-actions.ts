import { DomainError, isDomainError } from '../errors.js';
import type { Actor } from '../identity/actor.js';
import type { TicketEvent } from '../ticket/ticket-event.js';
import { updateTicket, type TicketPatch } from '../ticket/update-ticket.js';
import type { EffectAction, FieldAction, RuleAction, TicketFacts } from './rule-types.js';

export interface ActionFailure {
  /** The action's type, e.g. 'set_status'. */
  readonly action: string;
  readonly reason: string;
}

export interface AppliedActions {
  readonly facts: TicketFacts;
  readonly events: TicketEvent[];
  readonly failures: ActionFailure[];
}

const FIELD_ACTION_TYPES: ReadonlySet<string> = new Set([
  'set_status',
  'set_priority',
  'set_group',
  'set_assignee',
  'set_skills',
  'add_tags',
  'remove_tags',
]);

export function isFieldAction(action: RuleAction): action is FieldAction {
  return FIELD_ACTION_TYPES.has(action.type);
}

export function effectActions(actions: readonly RuleAction[]): EffectAction[] {
  return actions.filter((a): a is EffectAction => !isFieldAction(a));
}

/**
 * Applies a rule's field actions to a ticket, in order, through the same rules as any other
 * ticket change (updateTicket): an action the ticket refuses (Solved without an assignee, an
 * illegal status move, a closed ticket) becomes a failure and the other actions still apply.
 * `set_skills` replaces the required skills and emits 'ticket.skills_changed'. Effect actions
 * (notes, messages, surveys, webhooks) are left to the caller.
 */
export function applyFieldActions(
  facts: TicketFacts,
  actions: readonly RuleAction[],
  actor: Actor,
  at: Date,
): AppliedActions {
  let current = facts;
  const events: TicketEvent[] = [];
  const failures: ActionFailure[] = [];
  for (const action of actions) {
    if (!isFieldAction(action)) continue;
    try {
      const change = applyOne(current, action, actor, at);
      if (change) {
        current = change.facts;
        events.push(...change.events);
      }
    } catch (error) {
      if (!isDomainError(error)) throw error;
      failures.push({ action: action.type, reason: error.message });
    }
  }
  return { facts: current, events, failures };
}

function applyOne(
  facts: TicketFacts,
  action: FieldAction,
  actor: Actor,
  at: Date,
): { facts: TicketFacts; events: readonly TicketEvent[] } | null {
  if (action.type === 'set_skills') return setSkills(facts, action.value, actor, at);
  const change = updateTicket(facts.ticket, patchOf(action), actor, at);
  if (change.events.length === 0) return null;
  const ticket = change.ticket;
  const pendingSince =
    ticket.status !== 'pending'
      ? null
      : facts.ticket.status === 'pending'
        ? facts.pendingSince
        : at;
  return { facts: { ...facts, ticket, pendingSince }, events: change.events };
}

/** Field actions other than skills, as the ticket update they ask for. */
export type TicketFieldAction = Exclude<FieldAction, { type: 'set_skills' }>;

/**
 * Several field actions as one ticket patch, in order (macros and workflow steps apply them in
 * one update): a later action on the same field wins, and a tag added then removed (or the other
 * way round) ends as the last action says.
 */
export function ticketPatchOf(actions: readonly TicketFieldAction[]): TicketPatch {
  let patch: TicketPatch = {};
  const tags = new Map<string, 'add' | 'remove'>();
  for (const action of actions) {
    if (action.type === 'add_tags' || action.type === 'remove_tags') {
      for (const t of action.value) tags.set(t, action.type === 'add_tags' ? 'add' : 'remove');
    } else {
      patch = { ...patch, ...patchOf(action) };
    }
  }
  const addTags = [...tags].filter(([, op]) => op === 'add').map(([t]) => t);
  const removeTags = [...tags].filter(([, op]) => op === 'remove').map(([t]) => t);
  return {
    ...patch,
    ...(addTags.length > 0 ? { addTags } : {}),
    ...(removeTags.length > 0 ? { removeTags } : {}),
  };
}

function patchOf(action: TicketFieldAction): TicketPatch {
  switch (action.type) {
    case 'set_status':
      return { status: action.value };
    case 'set_priority':
      return { priority: action.value };
    case 'set_group':
      return { groupId: action.value };
    case 'set_assignee':
      return { assigneeId: action.value };
    case 'add_tags':
      return { addTags: action.value };
    case 'remove_tags':
      return { removeTags: action.value };
  }
}

function setSkills(
  facts: TicketFacts,
  value: readonly string[],
  actor: Actor,
  at: Date,
): { facts: TicketFacts; events: readonly TicketEvent[] } | null {
  if (facts.ticket.status === 'closed') {
    throw new DomainError(
      'ticket/closed',
      'A closed ticket cannot change; a new message starts a new conversation',
      'skills',
    );
  }
  const to = [...new Set(value)];
  const from = facts.skills;
  if (to.length === from.length && to.every((s) => from.includes(s))) return null;
  const ticket = { ...facts.ticket, updatedAt: at, version: facts.ticket.version + 1 };
  return {
    facts: { ...facts, ticket, skills: to },
    events: [{ type: 'ticket.skills_changed', from, to, actor, at }],
  };
}
