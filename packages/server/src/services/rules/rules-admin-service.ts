import {
  DomainError,
  FIELD_CATALOG,
  RULE_FIELDS,
  explainTriggerRun,
  updateTicket,
  validateAutomationDefinition,
  validateTriggerDefinition,
  type Automation,
  type Condition,
  type RuleAction,
  type TicketPatch,
  type Trigger,
} from '@parlour/core';
import type { AutomationBody, DryRunBody, DryRunResult, TriggerBody } from '@parlour/protocol';
import {
  deleteAutomation,
  deleteTrigger,
  getAutomation,
  getTicket,
  getTrigger,
  listAutomations,
  listGroups,
  listSkills,
  listTriggers,
  loadConversationState,
  loadTicketRuleExtras,
  nextRulePosition,
  reorderRules,
  saveAutomation,
  saveTrigger,
  getUser,
  type Db,
} from '@parlour/storage';
import type { DurableTimers } from '../../timers/durable-timers.js';
import type { ServiceContext } from '../context.js';
import { factsOf } from './rule-facts.js';
import type { RulesCache } from './rules-cache.js';

export const RESCAN_TIMER = 'automation.rescan';

/**
 * Admins manage triggers and automations here. Every save is validated by the core (field,
 * operator and value; nullifying conditions of automations) and every id a rule names must exist.
 * A saved change reaches every process at once (RulesCache), and a changed automation set makes
 * every open ticket's automation timer move (a background rescan in pages, on the durable timers).
 */
export class RulesAdminService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly cache: RulesCache,
    private readonly timers: DurableTimers,
  ) {}

  fields() {
    return RULE_FIELDS.map((field) => ({
      field,
      operators: [...FIELD_CATALOG[field].operators],
      value: FIELD_CATALOG[field].value,
      usage: [...FIELD_CATALOG[field].usage],
    }));
  }

  listTriggers(): Promise<Trigger[]> {
    return listTriggers(this.ctx.database.db);
  }

  async getTrigger(id: string): Promise<Trigger> {
    const found = await getTrigger(this.ctx.database.db, id);
    if (!found) throw new DomainError('not-found', 'No such trigger', 'triggerId');
    return found;
  }

  async createTrigger(body: TriggerBody, preset: string | null = null): Promise<Trigger> {
    const definition = validateTriggerDefinition(body);
    const db = this.ctx.database.db;
    await this.checkReferences(
      db,
      definition.conditions.all.concat(definition.conditions.any),
      definition.actions,
    );
    const trigger: Trigger = {
      id: this.ctx.newId(),
      ...definition,
      position: await nextRulePosition(db, 'triggers'),
      preset,
    };
    await saveTrigger(db, trigger, this.ctx.clock.now());
    await this.cache.changed();
    return trigger;
  }

  async updateTrigger(id: string, body: TriggerBody): Promise<Trigger> {
    const current = await this.getTrigger(id);
    const definition = validateTriggerDefinition(body);
    const db = this.ctx.database.db;
    await this.checkReferences(
      db,
      definition.conditions.all.concat(definition.conditions.any),
      definition.actions,
    );
    const trigger: Trigger = { ...current, ...definition };
    await saveTrigger(db, trigger, this.ctx.clock.now());
    await this.cache.changed();
    return trigger;
  }

  async deleteTrigger(id: string): Promise<void> {
    if (!(await deleteTrigger(this.ctx.database.db, id)))
      throw new DomainError('not-found', 'No such trigger', 'triggerId');
    await this.cache.changed();
  }

  async reorderTriggers(ids: readonly string[]): Promise<Trigger[]> {
    await this.reorder('triggers', ids);
    return this.listTriggers();
  }

  listAutomations(): Promise<Automation[]> {
    return listAutomations(this.ctx.database.db);
  }

  async getAutomation(id: string): Promise<Automation> {
    const found = await getAutomation(this.ctx.database.db, id);
    if (!found) throw new DomainError('not-found', 'No such automation', 'automationId');
    return found;
  }

  async createAutomation(body: AutomationBody, preset: string | null = null): Promise<Automation> {
    const definition = validateAutomationDefinition(body);
    const db = this.ctx.database.db;
    await this.checkReferences(
      db,
      definition.conditions.all.concat(definition.conditions.any),
      definition.actions,
    );
    const automation: Automation = {
      id: this.ctx.newId(),
      ...definition,
      position: await nextRulePosition(db, 'automations'),
      preset,
    };
    await saveAutomation(db, automation, this.ctx.clock.now());
    await this.automationsChanged();
    return automation;
  }

  async updateAutomation(id: string, body: AutomationBody): Promise<Automation> {
    const current = await this.getAutomation(id);
    const definition = validateAutomationDefinition(body);
    const db = this.ctx.database.db;
    await this.checkReferences(
      db,
      definition.conditions.all.concat(definition.conditions.any),
      definition.actions,
    );
    const automation: Automation = { ...current, ...definition };
    await saveAutomation(db, automation, this.ctx.clock.now());
    await this.automationsChanged();
    return automation;
  }

  async deleteAutomation(id: string): Promise<void> {
    if (!(await deleteAutomation(this.ctx.database.db, id)))
      throw new DomainError('not-found', 'No such automation', 'automationId');
    await this.automationsChanged();
  }

  async reorderAutomations(ids: readonly string[]): Promise<Automation[]> {
    await this.reorder('automations', ids);
    await this.automationsChanged();
    return this.listAutomations();
  }

  /** Saves a rule a preset owns (used by conversation styles): no new position when it exists. */
  async savePresetRule(
    rule: { kind: 'trigger'; value: Trigger } | { kind: 'automation'; value: Automation },
  ) {
    const at = this.ctx.clock.now();
    if (rule.kind === 'trigger') await saveTrigger(this.ctx.database.db, rule.value, at);
    else await saveAutomation(this.ctx.database.db, rule.value, at);
  }

  async nextPosition(kind: 'triggers' | 'automations'): Promise<number> {
    return nextRulePosition(this.ctx.database.db, kind);
  }

  /** After automations change, every open ticket's timer is recomputed in the background. */
  async automationsChanged(): Promise<void> {
    await this.cache.changed();
    await this.timers.schedule(
      this.ctx.clock.now(),
      RESCAN_TIMER,
      { after: null },
      { key: 'automation-rescan' },
    );
  }

  /**
   * A dry run: which triggers would fire on this change to this ticket, in which order, and why
   * each other one would not. Nothing is written.
   */
  async dryRun(body: DryRunBody): Promise<DryRunResult> {
    const db = this.ctx.database.db;
    const ticket = await getTicket(db, body.ticketId);
    if (!ticket) throw new DomainError('ticket/not-found', 'No such ticket', 'ticketId');
    const state = await loadConversationState(db, ticket.conversationId);
    if (!state?.ticket) throw new DomainError('ticket/not-found', 'No such ticket', 'ticketId');
    const extras = (await loadTicketRuleExtras(db, [ticket.id])).get(ticket.id);
    const at = this.ctx.clock.now();
    const { comment, ...patch } = body.change;
    const change = updateTicket(
      state.ticket,
      patch as TicketPatch,
      { type: 'system', reason: 'dry run' },
      at,
    );
    const before = factsOf(state.ticket, state.session, state.requesterEmail, extras);
    const after = factsOf(change.ticket, state.session, state.requesterEmail, extras);
    const explained = explainTriggerRun(await listTriggers(db), {
      before,
      after,
      comment: comment ? { kind: comment.kind, text: comment.text, authorType: 'user' } : null,
      at,
    });
    // One line per trigger, in evaluation order: fired (in which pass), or its final outcome.
    const final = new Map<string, (typeof explained)[number]>();
    for (const e of explained) {
      const seen = final.get(e.triggerId);
      if (!seen || (seen.outcome !== 'fired' && e.outcome !== 'already_fired'))
        final.set(e.triggerId, e);
    }
    return {
      triggers: [...final.values()].map((e) => ({
        triggerId: e.triggerId,
        name: e.name,
        outcome: e.outcome,
        ...(e.pass !== undefined ? { pass: e.pass } : {}),
        detail: e.conditions
          ? e.conditions.map(
              (c) =>
                `${c.holds ? 'holds' : 'fails'}: ${c.condition.field} ${c.condition.operator}${
                  c.condition.value !== undefined ? ` ${JSON.stringify(c.condition.value)}` : ''
                } (${c.detail})`,
            )
          : e.outcome === 'inactive'
            ? ['the trigger is inactive']
            : e.outcome === 'skipped_session_ended'
              ? ['a messaging trigger: the ticket has no active messaging session']
              : [],
      })),
    };
  }

  private async reorder(table: 'triggers' | 'automations', ids: readonly string[]) {
    const db = this.ctx.database.db;
    const known = new Set(
      (table === 'triggers' ? await listTriggers(db) : await listAutomations(db)).map((r) => r.id),
    );
    if (new Set(ids).size !== ids.length)
      throw new DomainError('validation/invalid', 'An id appears twice in the order', 'ids');
    const unknown = ids.find((id) => !known.has(id));
    if (unknown)
      throw new DomainError(
        'not-found',
        `No such ${table === 'triggers' ? 'trigger' : 'automation'}: ${unknown}`,
        'ids',
      );
    await db.transaction().execute((trx) => reorderRules(trx, table, ids, this.ctx.clock.now()));
    await this.cache.changed();
  }

  /** Every group, user and skill a rule names must exist (and users must be active). */
  private async checkReferences(
    db: Db,
    conditions: readonly Condition[],
    actions: readonly RuleAction[],
  ): Promise<void> {
    const groups: { id: string; field: string }[] = [];
    const users: { id: string; field: string }[] = [];
    const skills: { id: string; field: string }[] = [];
    conditions.forEach((c) => {
      const values = Array.isArray(c.value)
        ? (c.value as string[])
        : typeof c.value === 'string'
          ? [c.value]
          : [];
      for (const v of values) {
        if (c.field === 'group') groups.push({ id: v, field: 'conditions' });
        if (c.field === 'assignee') users.push({ id: v, field: 'conditions' });
        if (c.field === 'skills') skills.push({ id: v, field: 'conditions' });
      }
    });
    actions.forEach((a, i) => {
      if (a.type === 'set_group' && a.value)
        groups.push({ id: a.value, field: `actions.${i}.value` });
      if (a.type === 'set_assignee' && a.value)
        users.push({ id: a.value, field: `actions.${i}.value` });
      if (a.type === 'set_skills')
        for (const s of a.value) skills.push({ id: s, field: `actions.${i}.value` });
    });
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
    for (const ref of [...groups, ...users, ...skills]) {
      if (!uuid.test(ref.id))
        throw new DomainError('validation/invalid', `"${ref.id}" is not an id`, ref.field);
    }
    if (groups.length > 0) {
      const found = new Set(
        (
          await listGroups(
            db,
            groups.map((g) => g.id),
          )
        ).map((g) => g.id),
      );
      const missing = groups.find((g) => !found.has(g.id));
      if (missing)
        throw new DomainError('not-found', `No such group: ${missing.id}`, missing.field);
    }
    for (const u of users) {
      const user = await getUser(db, u.id);
      if (!user?.active)
        throw new DomainError('not-found', `No such active user: ${u.id}`, u.field);
    }
    if (skills.length > 0) {
      const found = new Set(
        (
          await listSkills(
            db,
            skills.map((s) => s.id),
          )
        ).map((s) => s.id),
      );
      const missing = skills.find((s) => !found.has(s.id));
      if (missing)
        throw new DomainError('not-found', `No such skill: ${missing.id}`, missing.field);
    }
  }
}
