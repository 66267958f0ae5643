import {
  applyFieldActions,
  dueAutomations,
  nextAutomationCheck,
  type Actor,
  type TicketEvent,
} from '@parlour/core';
import {
  firedAutomations,
  getTicket,
  loadConversationState,
  loadConversationStates,
  loadTicketRuleExtras,
  openTicketsPage,
  recordAutomationFiring,
  type Db,
} from '@parlour/storage';
import type { DurableTimers } from '../../timers/durable-timers.js';
import type { ServiceContext } from '../context.js';
import { publishFeed, type FeedSignal } from '../feed-publisher.js';
import { factsOf } from './rule-facts.js';
import type { RulesCache } from './rules-cache.js';
import { RESCAN_TIMER } from './rules-admin-service.js';
import {
  AUTOMATION_TIMER,
  TicketWrites,
  automationTimerKey,
  type TicketWrites as Writes,
} from './ticket-writes.js';

const RESCAN_PAGE = 500;

const FIELD_ACTIONS = new Set([
  'set_status',
  'set_priority',
  'set_group',
  'set_assignee',
  'set_skills',
  'add_tags',
  'remove_tags',
]);

/**
 * Time-based rules. Each open ticket has at most one durable timer, due when the next automation
 * could apply to it (computed by the core from the ticket's moments: created, updated, solved,
 * pending, last agent reply, last customer message). Every ticket change moves it
 * (TicketWrites.afterUpdate). When it fires, the automations that apply now run in order, each
 * change runs the triggers, and the timer moves to the next moment. A timer that fires early (the
 * ticket changed meanwhile) only reschedules.
 */
export class AutomationRunner {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly cache: RulesCache,
    private readonly writes: Writes,
    private readonly timers: DurableTimers,
  ) {
    timers.on(AUTOMATION_TIMER, async (timer, trx) => {
      const ticketId = timer.payload['ticketId'];
      if (typeof ticketId !== 'string') return;
      return this.run(trx, ticketId);
    });
    timers.on(RESCAN_TIMER, async (timer, trx) => {
      const after = timer.payload['after'];
      const next = await this.rescan(trx, typeof after === 'string' ? after : null);
      if (next) {
        await timers.schedule(
          this.ctx.clock.now(),
          RESCAN_TIMER,
          { after: next },
          {
            key: 'automation-rescan',
            db: trx,
          },
        );
      }
    });
  }

  /**
   * Recomputes the automation timers of one page of open tickets (after the automations
   * changed); returns the cursor for the next page, or null when done.
   */
  async rescan(trx: Db, after: string | null): Promise<string | null> {
    const page = await openTicketsPage(trx, after, RESCAN_PAGE);
    if (page.length === 0) return null;
    const at = this.ctx.clock.now();
    const rules = await this.cache.get(trx);
    const states = await loadConversationStates(
      trx,
      page.map((t) => t.conversationId),
    );
    const ids = page.map((t) => t.id);
    const extras = await loadTicketRuleExtras(trx, ids);
    const fired = rules.anyOncePerTicket
      ? await firedAutomations(trx, ids)
      : new Map<string, Set<string>>();
    const due: { at: Date; kind: string; payload: Record<string, unknown>; key: string }[] = [];
    const none: string[] = [];
    for (const { id, conversationId } of page) {
      const state = states.get(conversationId);
      if (!state?.ticket || state.ticket.id !== id) continue;
      const facts = factsOf(state.ticket, state.session, state.requesterEmail, extras.get(id));
      const when =
        rules.automations.length === 0
          ? null
          : nextAutomationCheck(rules.automations, facts, at, fired.get(id) ?? new Set());
      if (when)
        due.push({
          at: when,
          kind: AUTOMATION_TIMER,
          payload: { ticketId: id },
          key: automationTimerKey(id),
        });
      else none.push(automationTimerKey(id));
    }
    await this.timers.scheduleMany(due, trx);
    if (none.length > 0) await trx.deleteFrom('timers').where('key', 'in', none).execute();
    return page.length < RESCAN_PAGE ? null : page[page.length - 1]!.id;
  }

  /** Applies the automations due on one ticket now; returns what to do after commit. */
  async run(trx: Db, ticketId: string): Promise<() => Promise<void>> {
    const at = this.ctx.clock.now();
    const found = await getTicket(trx, ticketId);
    const nothing = async () => {};
    if (!found) return nothing;
    const state = await loadConversationState(trx, found.conversationId, { lock: true });
    if (!state?.ticket || state.ticket.status === 'closed') return nothing;
    const rules = await this.cache.get(trx);
    const w = this.writes.working(
      state.conversation,
      state.session,
      state.ticket,
      state.lastSeq,
      state.requesterEmail,
    );
    const fired = (await firedAutomations(trx, [ticketId])).get(ticketId) ?? new Set<string>();
    let extras = (await loadTicketRuleExtras(trx, [ticketId])).get(ticketId);
    const signals: FeedSignal[] = [];
    const afterCommit: (() => Promise<void>)[] = [];
    const firedNow = new Set<string>();
    const due = dueAutomations(
      rules.automations,
      factsOf(w.ticket, w.session, w.requesterEmail, extras),
      at,
      fired,
    );
    for (const automation of due) {
      const facts = factsOf(w.ticket, w.session, w.requesterEmail, extras);
      // An earlier automation may have changed the ticket so that this one no longer applies.
      if (!TicketWrites.stillApplies(automation, facts, at)) continue;
      const actor: Actor = { type: 'system', reason: `automation: ${automation.name}` };
      const result = applyFieldActions(facts, automation.actions, actor, at);
      const rule = { type: 'automation' as const, id: automation.id, name: automation.name };
      const events: TicketEvent[] = [
        {
          type: 'rule.fired',
          ruleType: 'automation',
          ruleId: automation.id,
          name: automation.name,
          actions: automation.actions.map((a) => a.type),
          actor,
          at,
        },
        ...result.events,
        ...result.failures.map((f): TicketEvent => ({
          type: 'rule.action_failed',
          ruleType: 'automation',
          ruleId: automation.id,
          name: automation.name,
          action: f.action,
          reason: f.reason,
          actor,
          at,
        })),
      ];
      const effects = automation.actions.flatMap((action) =>
        FIELD_ACTIONS.has(action.type)
          ? []
          : [
              {
                rule,
                action: action as Parameters<Writes['commitRuleChanges']>[4][number]['action'],
              },
            ],
      );
      const before = w.ticket;
      const beforeSession = w.session;
      await this.writes.commitRuleChanges(trx, w, result.facts, events, effects, at);
      if (automation.oncePerTicket) await recordAutomationFiring(trx, ticketId, automation.id, at);
      firedNow.add(automation.id);
      // An automation's update is a ticket update: the triggers run after it.
      const outcome = await this.writes.afterUpdate(trx, {
        conversation: w.conversation,
        before,
        beforeSession,
        ticket: w.ticket,
        session: w.session,
        requesterEmail: w.requesterEmail,
        lastSeq: w.lastSeq,
        comment: null,
        at,
        routingBefore: before,
      });
      signals.push(...w.signals, ...outcome.signals);
      w.signals = [];
      w.ticket = outcome.ticket;
      w.lastSeq = outcome.lastSeq;
      afterCommit.push(...outcome.afterCommit);
      extras = (await loadTicketRuleExtras(trx, [ticketId])).get(ticketId);
      if (w.ticket.status === 'closed') break;
    }
    // Last word on the timer: an automation that fired in this run (its action may have failed
    // and left it matching) waits for the ticket's next change instead of firing in a loop.
    await this.writes.scheduleAutomations(trx, rules, w, extras, at, {
      firedSinceChange: firedNow,
    });
    return async () => {
      await publishFeed(this.ctx.bus, signals);
      for (const fn of afterCommit) await fn();
    };
  }
}
