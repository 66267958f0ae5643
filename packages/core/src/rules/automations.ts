import type { Actor } from '../identity/actor.js';
import type { TicketEvent } from '../ticket/ticket-event.js';
import { applyFieldActions, effectActions } from './apply-actions.js';
import { conditionsMatch, evaluateCondition, momentOf, unitOf } from './evaluate-conditions.js';
import { isTimeField } from './rule-fields.js';
import type {
  Automation,
  Condition,
  EffectAction,
  TicketFacts,
  TicketUpdate,
} from './rule-types.js';

/*
 * How automations run (docs/rules.md):
 * - An automation looks at a ticket as it is at a moment: its conditions are evaluated on the
 *   update `{ before: facts, after: facts, comment: null, at: now }` (so `update_type` is
 *   'updated' and nothing counts as changed).
 * - Its time conditions measure from the ticket's moments (created, updated, solved, pending,
 *   last agent reply, last customer message) to `now`. Nothing else changes with time, so the
 *   moment an automation becomes due can be computed in advance: automationDueAt. The server
 *   keeps one durable timer per ticket at nextAutomationCheck and recomputes it whenever the
 *   ticket changes.
 * - An automation marked once per ticket never fires again on a ticket once it has fired there
 *   (`firedOnce`). The others stop matching because their actions make one of their conditions
 *   false (validateAutomationDefinition insists). When an action fails (a ticket that cannot be
 *   closed, say) the conditions still hold; `opts.firedSinceChange` lets the caller hold such an
 *   automation back until the ticket changes again, instead of firing it in a loop.
 */

export interface AutomationExclusions {
  /**
   * Automations that already fired on this ticket since it last changed (its version): they wait
   * for a change before firing again.
   */
  readonly firedSinceChange?: ReadonlySet<string>;
}

function excluded(
  a: Automation,
  firedOnce: ReadonlySet<string>,
  opts: AutomationExclusions,
): boolean {
  return (
    !a.active ||
    (a.oncePerTicket && firedOnce.has(a.id)) ||
    (opts.firedSinceChange?.has(a.id) ?? false)
  );
}

/** The update an automation sees at `now`: the ticket as it is, with nothing changing. */
export function automationView(facts: TicketFacts, now: Date): TicketUpdate {
  return { before: facts, after: facts, comment: null, at: now };
}

/** A half-open range of moments, in ms: [start, end). */
interface Window {
  readonly start: number;
  readonly end: number;
}

const ALWAYS: Window = { start: -Infinity, end: Infinity };
const NEVER: Window = { start: Infinity, end: -Infinity };

/** When a condition holds, given the facts (time conditions: a window; others: always or never). */
function windowOf(c: Condition, facts: TicketFacts, now: Date): Window {
  if (!isTimeField(c.field))
    return evaluateCondition(c, automationView(facts, now)) ? ALWAYS : NEVER;
  const moment = momentOf(c.field, facts);
  if (c.operator === 'exists') return moment !== null ? ALWAYS : NEVER;
  if (c.operator === 'not_exists') return moment === null ? ALWAYS : NEVER;
  if (moment === null || typeof c.value !== 'number') return NEVER;
  const m = moment.getTime();
  const unit = unitOf(c.field);
  // The same thresholds as evaluateCondition, rounded to whole milliseconds.
  const threshold = c.value * unit;
  switch (c.operator) {
    case 'less_than': // elapsed < threshold
      return { start: -Infinity, end: m + Math.ceil(threshold) };
    case 'greater_than': // elapsed > threshold
      return { start: m + Math.floor(threshold) + 1, end: Infinity };
    case 'is': // threshold ≤ elapsed < (value + 1) units
      return { start: m + Math.ceil(threshold), end: m + Math.ceil((c.value + 1) * unit) };
    default:
      return NEVER;
  }
}

/**
 * The earliest moment at or after `now` at which all the automation's conditions hold, given the
 * ticket's moments; null if that never happens while the ticket stays as it is (a non-time
 * condition fails, a moment is missing, or the window has passed). Does not look at `active`.
 */
export function automationDueAt(a: Automation, facts: TicketFacts, now: Date): Date | null {
  let start = now.getTime();
  let end = Infinity;
  for (const c of a.conditions.all) {
    const w = windowOf(c, facts, now);
    start = Math.max(start, w.start);
    end = Math.min(end, w.end);
    if (start >= end) return null;
  }
  if (a.conditions.any.length === 0) return new Date(start);
  let best = Infinity;
  for (const c of a.conditions.any) {
    const w = windowOf(c, facts, now);
    const from = Math.max(start, w.start);
    if (from < Math.min(end, w.end)) best = Math.min(best, from);
  }
  return best === Infinity ? null : new Date(best);
}

/**
 * When the ticket next needs looking at: the earliest due moment over the active automations
 * that may still fire on it (`firedOnce`: ids of once-per-ticket automations that fired on it).
 * Null when none will ever be due unless the ticket changes.
 */
export function nextAutomationCheck(
  automations: readonly Automation[],
  facts: TicketFacts,
  now: Date,
  firedOnce: ReadonlySet<string>,
  opts: AutomationExclusions = {},
): Date | null {
  let best: number | null = null;
  for (const a of automations) {
    if (excluded(a, firedOnce, opts)) continue;
    const due = automationDueAt(a, facts, now);
    if (due !== null && (best === null || due.getTime() < best)) best = due.getTime();
  }
  return best === null ? null : new Date(best);
}

function byPosition(a: Automation, b: Automation): number {
  return a.position - b.position || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** The active automations whose conditions hold now, in position order. */
export function dueAutomations(
  automations: readonly Automation[],
  facts: TicketFacts,
  now: Date,
  firedOnce: ReadonlySet<string>,
  opts: AutomationExclusions = {},
): Automation[] {
  const view = automationView(facts, now);
  return automations
    .filter((a) => !excluded(a, firedOnce, opts) && conditionsMatch(a.conditions, view))
    .sort(byPosition);
}

export interface AutomationFiring {
  readonly automation: Automation;
  readonly effects: readonly EffectAction[];
  /** Whether its field actions changed the ticket. */
  readonly changed: boolean;
}

export interface AutomationRun {
  readonly after: TicketFacts;
  readonly events: TicketEvent[];
  readonly firings: AutomationFiring[];
}

/**
 * Fires the automations due now, one after the other in position order, each checked again
 * against the ticket as the ones before it left it. Events as for triggers: 'rule.fired'
 * (ruleType 'automation'), the field changes, then 'rule.action_failed' per refused action.
 * Changes are made by `{ type: 'system', reason: 'automation: <name>' }` unless `actorFor` says
 * otherwise. Each automation fires at most once per call.
 */
export function runAutomations(
  automations: readonly Automation[],
  facts: TicketFacts,
  now: Date,
  firedOnce: ReadonlySet<string>,
  opts: AutomationExclusions & { readonly actorFor?: (a: Automation) => Actor } = {},
): AutomationRun {
  let current = facts;
  const events: TicketEvent[] = [];
  const firings: AutomationFiring[] = [];
  for (const a of dueAutomations(automations, facts, now, firedOnce, opts)) {
    if (!conditionsMatch(a.conditions, automationView(current, now))) continue;
    const actor = opts.actorFor?.(a) ?? { type: 'system', reason: `automation: ${a.name}` };
    const applied = applyFieldActions(current, a.actions, actor, now);
    events.push({
      type: 'rule.fired',
      ruleType: 'automation',
      ruleId: a.id,
      name: a.name,
      actions: a.actions.map((x) => x.type),
      actor,
      at: now,
    });
    events.push(...applied.events);
    for (const f of applied.failures) {
      events.push({
        type: 'rule.action_failed',
        ruleType: 'automation',
        ruleId: a.id,
        name: a.name,
        action: f.action,
        reason: f.reason,
        actor,
        at: now,
      });
    }
    firings.push({
      automation: a,
      effects: effectActions(a.actions),
      changed: applied.events.length > 0,
    });
    current = applied.facts;
  }
  return { after: current, events, firings };
}
