import type { Actor } from '../identity/actor.js';
import type { TicketEvent } from '../ticket/ticket-event.js';
import { applyFieldActions, effectActions } from './apply-actions.js';
import {
  conditionsMatch,
  explainConditions,
  sameValue,
  ticketFieldValue,
  type ConditionExplanation,
} from './evaluate-conditions.js';
import { RULE_FIELDS, TIME_FIELDS } from './rule-fields.js';
import type {
  Condition,
  EffectAction,
  RuleField,
  TicketFacts,
  TicketUpdate,
  Trigger,
} from './rule-types.js';

export interface TriggerFiring {
  readonly trigger: Trigger;
  /** The trigger's notes, messages, surveys and webhooks, for the caller to carry out. */
  readonly effects: readonly EffectAction[];
}

export interface TriggerRun {
  /** The ticket after every firing. */
  readonly after: TicketFacts;
  /** rule.fired, field changes and rule.action_failed, in the order they happened. */
  readonly events: TicketEvent[];
  readonly firings: TriggerFiring[];
  /** How many times a trigger's conditions were evaluated (what the index saves). */
  readonly evaluated: number;
}

export interface RunTriggersOptions {
  /** Who makes a trigger's changes (default: the system, naming the trigger). */
  readonly actorFor?: (trigger: Trigger) => Actor;
}

/**
 * Triggers ready to run: active ones in order, and an index from what an update can look like
 * (a field that changed, a field's value, a tag or skill the ticket carries, a comment) to the
 * triggers that could match it. Each trigger is filed under one "gate", something that must be
 * true for it to match: a condition of its `all` list (changed/changed_to/changed_from a field →
 * that field changed; `F is v` → F is v now; tags or skills `contains` [a, b] → the ticket has a
 * or b; comment text `contains`/`is` → the update has a comment), or its whole `any` list when
 * each of its conditions has a gate (one of them must be open). Triggers without a gate are
 * checked on every pass. Of its possible gates, a trigger is filed under the least crowded one.
 * Ranks are indexes into `ordered`.
 */
export interface CompiledTriggers {
  readonly ordered: readonly Trigger[];
  /** The ranks of the triggers without a gate, checked on every pass. */
  readonly always: readonly number[];
  /** By field: triggers that can match only when the field changed. */
  readonly onChange: ReadonlyMap<RuleField, readonly number[]>;
  /** By field, then value: triggers that can match only when the field has that value. */
  readonly onValue: ReadonlyMap<RuleField, ReadonlyMap<unknown, readonly number[]>>;
  /** By field (tags, skills), then item: triggers that can match only when the ticket has it. */
  readonly onContains: ReadonlyMap<RuleField, ReadonlyMap<string, readonly number[]>>;
  /** Triggers that can match only when the update comes with a comment. */
  readonly onComment: readonly number[];
  /** By rank: the fields its conditions read, as bits (see FIELD_BITS). */
  readonly reads: Uint32Array;
}

/** Fields whose `is` condition can file a trigger (one discrete value at a time). */
const VALUE_GATE_FIELDS: ReadonlySet<RuleField> = new Set<RuleField>([
  'status',
  'channel',
  'group',
  'assignee',
  'priority',
  'requester_email_known',
  'session_state',
  'session_end_reason',
  'update_type',
  'comment_kind',
]);

/** Fields of the ticket itself, whose changes the change operators see. */
const TICKET_FIELDS: ReadonlySet<RuleField> = new Set<RuleField>([
  'status',
  'channel',
  'group',
  'assignee',
  'priority',
  'tags',
  'skills',
  'requester_email_known',
  'session_state',
  'session_end_reason',
]);

/** One bit per field, for what a trigger reads and what a firing changed. */
const FIELD_BITS: ReadonlyMap<RuleField, number> = new Map(
  RULE_FIELDS.map((field, i) => [field, 1 << i]),
);

/** The fields every change of the ticket moves (the time fields read its moments). */
const TIME_BITS = TIME_FIELDS.reduce((bits, f) => bits | FIELD_BITS.get(f)!, 0);

function readsOf(trigger: Trigger): number {
  let bits = 0;
  for (const c of trigger.conditions.all) bits |= FIELD_BITS.get(c.field) ?? 0;
  for (const c of trigger.conditions.any) bits |= FIELD_BITS.get(c.field) ?? 0;
  return bits;
}

/** The fields that differ between two states of the ticket, as bits. */
function changedBits(a: TicketFacts, b: TicketFacts): number {
  let bits = TIME_BITS;
  for (const field of TICKET_FIELDS) {
    if (!sameValue(ticketFieldValue(field, a), ticketFieldValue(field, b)))
      bits |= FIELD_BITS.get(field)!;
  }
  return bits;
}

/** One thing an update can have that opens a gate. */
type GateKey =
  | { readonly kind: 'change'; readonly field: RuleField }
  | { readonly kind: 'value'; readonly field: RuleField; readonly value: unknown }
  | { readonly kind: 'contains'; readonly field: RuleField; readonly item: string }
  | { readonly kind: 'comment' };

/** A trigger behind this gate can match only when one of its keys is open. */
type Gate = readonly GateKey[];

function conditionGate(c: Condition): Gate | null {
  const field = c.field;
  switch (c.operator) {
    case 'changed':
    case 'changed_to':
    case 'changed_from':
      return TICKET_FIELDS.has(field) ? [{ kind: 'change', field }] : null;
    case 'is':
      if (field === 'comment_text') return [{ kind: 'comment' }];
      return VALUE_GATE_FIELDS.has(field) && c.value !== undefined
        ? [{ kind: 'value', field, value: c.value }]
        : null;
    case 'contains': {
      if (field === 'comment_text') return [{ kind: 'comment' }];
      if (field !== 'tags' && field !== 'skills') return null;
      const items =
        typeof c.value === 'string' ? [c.value] : Array.isArray(c.value) ? c.value : null;
      return items === null || items.length === 0
        ? null
        : items.map((item: string) => ({ kind: 'contains', field, item }));
    }
    default:
      return null;
  }
}

/** The gates a trigger could be filed under. */
function gatesOf(trigger: Trigger): Gate[] {
  const gates = trigger.conditions.all.map(conditionGate).filter((g): g is Gate => g !== null);
  const any = trigger.conditions.any.map(conditionGate);
  if (any.length > 0 && any.every((g) => g !== null)) gates.push(any.flat() as Gate);
  return gates;
}

function keyName(k: GateKey): string {
  switch (k.kind) {
    case 'change':
      return `${k.field} changed`;
    case 'value':
      return `${k.field} is ${JSON.stringify(k.value)}`;
    case 'contains':
      return `${k.field} contains ${k.item}`;
    case 'comment':
      return 'comment';
  }
}

function byPosition(a: Trigger, b: Trigger): number {
  return a.position - b.position || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function activeInOrder(triggers: readonly Trigger[]): Trigger[] {
  return triggers.filter((t) => t.active).sort(byPosition);
}

function file<K>(map: Map<K, number[]>, key: K, rank: number): void {
  const bucket = map.get(key);
  if (bucket) bucket.push(rank);
  else map.set(key, [rank]);
}

function inner<K>(map: Map<RuleField, Map<K, number[]>>, field: RuleField): Map<K, number[]> {
  let found = map.get(field);
  if (!found) map.set(field, (found = new Map()));
  return found;
}

/** Orders the active triggers and files each under its least crowded gate (see CompiledTriggers). */
export function compileTriggers(triggers: readonly Trigger[]): CompiledTriggers {
  const ordered = activeInOrder(triggers);
  const options = ordered.map(gatesOf);
  const crowd = new Map<string, number>();
  for (const gates of options) {
    for (const gate of gates) {
      for (const name of new Set(gate.map(keyName))) crowd.set(name, (crowd.get(name) ?? 0) + 1);
    }
  }
  const always: number[] = [];
  const onChange = new Map<RuleField, number[]>();
  const onValue = new Map<RuleField, Map<unknown, number[]>>();
  const onContains = new Map<RuleField, Map<string, number[]>>();
  const onComment: number[] = [];
  options.forEach((gates, rank) => {
    let best: Gate | undefined;
    let bestCost = Infinity;
    for (const gate of gates) {
      let cost = 0;
      for (const name of new Set(gate.map(keyName))) cost += crowd.get(name) ?? 0;
      if (cost < bestCost) {
        best = gate;
        bestCost = cost;
      }
    }
    if (best === undefined) {
      always.push(rank);
      return;
    }
    let comment = false;
    for (const k of best) {
      if (k.kind === 'change') file(onChange, k.field, rank);
      else if (k.kind === 'value') file(inner(onValue, k.field), k.value, rank);
      else if (k.kind === 'contains') file(inner(onContains, k.field), k.item, rank);
      else if (!comment) {
        comment = true;
        onComment.push(rank);
      }
    }
  });
  const reads = Uint32Array.from(ordered, readsOf);
  return { ordered, always, onChange, onValue, onContains, onComment, reads };
}

/** Marks (by rank) the triggers that could match this state of the update. */
function candidates(compiled: CompiledTriggers, update: TicketUpdate): Uint8Array {
  const { before, after } = update;
  const mask = new Uint8Array(compiled.ordered.length);
  mark(mask, compiled.always);
  for (const [field, ranks] of compiled.onChange) {
    if (
      before === null ||
      !sameValue(ticketFieldValue(field, before), ticketFieldValue(field, after))
    ) {
      mark(mask, ranks);
    }
  }
  for (const [field, byValue] of compiled.onValue)
    mark(mask, byValue.get(gateValue(field, update)));
  for (const [field, byItem] of compiled.onContains) {
    for (const item of field === 'tags' ? after.ticket.tags : after.skills)
      mark(mask, byItem.get(item));
  }
  if (update.comment !== null) mark(mask, compiled.onComment);
  return mask;
}

function mark(mask: Uint8Array, ranks: readonly number[] | undefined): void {
  if (ranks) for (let i = 0; i < ranks.length; i++) mask[ranks[i]!] = 1;
}

function gateValue(field: RuleField, update: TicketUpdate): unknown {
  if (field === 'update_type') return update.before === null ? 'created' : 'updated';
  if (field === 'comment_kind') return update.comment?.kind ?? 'none';
  return ticketFieldValue(field, update.after);
}

/** Whether a trigger may run on the ticket as it is now (messaging triggers need a live session). */
export function triggerInScope(trigger: Trigger, facts: TicketFacts): boolean {
  return (
    trigger.scope !== 'messaging' ||
    (facts.channel === 'messaging' && facts.sessionState === 'active')
  );
}

function systemActor(trigger: Trigger): Actor {
  return { type: 'system', reason: `trigger: ${trigger.name}` };
}

type Outcome = 'fired' | 'not_matched' | 'skipped_session_ended' | 'already_fired';

/** Watches a run trigger by trigger (the dry run); the engine does not need it. */
type Visit = (trigger: Trigger, pass: number, outcome: Outcome, update: TicketUpdate) => void;

/**
 * The loop both runners share: passes over the triggers until a pass fires nothing that changes
 * the ticket. With an index, a pass looks only at the triggers it marks, and skips those that did
 * not match earlier in the run unless a field they read has changed since.
 */
function runPasses(
  ordered: readonly Trigger[],
  index: { pick: (update: TicketUpdate) => Uint8Array; reads: Uint32Array } | null,
  update: TicketUpdate,
  opts: RunTriggersOptions,
  visit?: Visit,
): TriggerRun {
  const actorFor = opts.actorFor ?? systemActor;
  const fired = new Uint8Array(ordered.length);
  // With the index, a trigger that did not match stays unmatched until a field it reads changes.
  const unmatched = index ? new Uint8Array(ordered.length) : null;
  let unmatchedRanks: number[] = [];
  const events: TicketEvent[] = [];
  const firings: TriggerFiring[] = [];
  let current = update;
  let evaluated = 0;
  let pass = 0;
  for (;;) {
    pass += 1;
    let restart = false;
    const mask = index?.pick(current);
    for (let rank = 0; rank < ordered.length; rank++) {
      if (mask && (mask[rank] === 0 || unmatched![rank] === 1)) continue;
      const trigger = ordered[rank]!;
      if (fired[rank]) {
        visit?.(trigger, pass, 'already_fired', current);
        continue;
      }
      if (!triggerInScope(trigger, current.after)) {
        visit?.(trigger, pass, 'skipped_session_ended', current);
        continue;
      }
      evaluated += 1;
      if (!conditionsMatch(trigger.conditions, current)) {
        if (unmatched) {
          unmatched[rank] = 1;
          unmatchedRanks.push(rank);
        }
        visit?.(trigger, pass, 'not_matched', current);
        continue;
      }
      visit?.(trigger, pass, 'fired', current);
      fired[rank] = 1;
      const actor = actorFor(trigger);
      const at = update.at;
      const applied = applyFieldActions(current.after, trigger.actions, actor, at);
      events.push({
        type: 'rule.fired',
        ruleType: 'trigger',
        ruleId: trigger.id,
        name: trigger.name,
        actions: trigger.actions.map((a) => a.type),
        actor,
        at,
      });
      events.push(...applied.events);
      for (const failure of applied.failures) {
        events.push({
          type: 'rule.action_failed',
          ruleType: 'trigger',
          ruleId: trigger.id,
          name: trigger.name,
          action: failure.action,
          reason: failure.reason,
          actor,
          at,
        });
      }
      firings.push({ trigger, effects: effectActions(trigger.actions) });
      if (applied.events.length > 0) {
        if (index) {
          const changed = changedBits(current.after, applied.facts);
          unmatchedRanks = unmatchedRanks.filter((r) => {
            const stale = (index.reads[r]! & changed) !== 0;
            if (stale) unmatched![r] = 0;
            return !stale;
          });
        }
        current = { ...current, after: applied.facts };
        restart = true;
        break;
      }
    }
    if (!restart) return { after: current.after, events, firings, evaluated };
  }
}

/**
 * Runs the compiled triggers on one ticket create or update (docs/rules.md says the same):
 *
 * 1. After every ticket create or update, the active triggers are evaluated in position order
 *    (lower first; equal positions by id).
 * 2. When one matches, it fires: a 'rule.fired' event (ruleType 'trigger'), then the events of
 *    its field changes, then a 'rule.action_failed' event per action the ticket refused (the
 *    other actions still apply). Its effect actions (note, message, survey, webhook) are returned
 *    in `firings` for the caller to carry out.
 * 3. If the firing changed the ticket, evaluation starts again from the top with the new state.
 *    `before` stays the ticket as it was before the whole update, so changed / changed_to /
 *    changed_from see the changes made by the update and by the triggers that fired since.
 * 4. Each trigger fires at most once per update. Every restart follows a firing, so a run ends
 *    after at most N firings and N + 1 passes over N triggers.
 * 5. A 'messaging' trigger is skipped while the ticket's channel is not messaging or its session
 *    is not active (a session that ended, or none); 'ticket' triggers always run.
 * 6. Changes are made by `{ type: 'system', reason: 'trigger: <name>' }` unless `actorFor` says
 *    otherwise.
 */
export function runTriggers(
  compiled: CompiledTriggers,
  update: TicketUpdate,
  opts: RunTriggersOptions = {},
): TriggerRun {
  const index = { pick: (u: TicketUpdate) => candidates(compiled, u), reads: compiled.reads };
  return runPasses(compiled.ordered, index, update, opts);
}

/**
 * The same semantics without the index: every active trigger is evaluated on every pass. The
 * benchmark's baseline, and the reference the index is checked against.
 */
export function runTriggersNaive(
  triggers: readonly Trigger[],
  update: TicketUpdate,
  opts: RunTriggersOptions = {},
): TriggerRun {
  return runPasses(activeInOrder(triggers), null, update, opts);
}

export type TriggerOutcome = Outcome | 'inactive';

export interface TriggerExplanation {
  readonly triggerId: string;
  readonly name: string;
  readonly outcome: TriggerOutcome;
  /** Which pass over the triggers (1 first; each firing that changes the ticket starts another). */
  readonly pass?: number;
  /** For 'fired' and 'not_matched': each condition, whether it held and what it saw. */
  readonly conditions?: readonly ConditionExplanation[];
}

/**
 * A dry run: what the triggers would do on this update, changing nothing. One entry per trigger
 * per pass, in evaluation order ('fired', 'not_matched', 'skipped_session_ended' or
 * 'already_fired'), then one 'inactive' entry per inactive trigger. A trigger's last entry is its
 * final outcome.
 */
export function explainTriggerRun(
  triggers: readonly Trigger[],
  update: TicketUpdate,
): TriggerExplanation[] {
  const out: TriggerExplanation[] = [];
  runPasses(activeInOrder(triggers), null, update, {}, (trigger, pass, outcome, state) => {
    const entry: TriggerExplanation = { triggerId: trigger.id, name: trigger.name, outcome, pass };
    out.push(
      outcome === 'fired' || outcome === 'not_matched'
        ? { ...entry, conditions: explainConditions(trigger.conditions, state).conditions }
        : entry,
    );
  });
  for (const t of [...triggers].sort(byPosition)) {
    if (!t.active) out.push({ triggerId: t.id, name: t.name, outcome: 'inactive' });
  }
  return out;
}
