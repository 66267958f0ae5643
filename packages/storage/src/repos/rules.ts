import type { Automation, ConditionSet, RuleAction, Trigger } from '@parlour/core';
import { sql, type Selectable } from 'kysely';
import type { Db } from '../database.js';
import type { AutomationsTable, TriggersTable } from '../schema.js';

/** Triggers in evaluation order (position, then id). */
export async function listTriggers(db: Db): Promise<Trigger[]> {
  const rows = await db
    .selectFrom('triggers')
    .selectAll()
    .orderBy('position')
    .orderBy('id')
    .execute();
  return rows.map(toTrigger);
}

export async function getTrigger(db: Db, id: string): Promise<Trigger | null> {
  const row = await db.selectFrom('triggers').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toTrigger(row) : null;
}

export async function saveTrigger(db: Db, trigger: Trigger, at: Date): Promise<void> {
  const values = {
    name: trigger.name,
    category: trigger.category,
    scope: trigger.scope,
    active: trigger.active,
    position: trigger.position,
    conditions: JSON.stringify(trigger.conditions),
    actions: JSON.stringify(trigger.actions),
    preset: trigger.preset,
    updated_at: at,
  };
  await db
    .insertInto('triggers')
    .values({ id: trigger.id, ...values, created_at: at })
    .onConflict((oc) => oc.column('id').doUpdateSet(values))
    .execute();
}

export async function deleteTrigger(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom('triggers').where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Renumbers positions 1..n in the given order (ids not listed keep their relative order after them). */
export async function reorderRules(
  db: Db,
  table: 'triggers' | 'automations',
  orderedIds: readonly string[],
  at: Date,
): Promise<void> {
  const rows = await db.selectFrom(table).select('id').orderBy('position').orderBy('id').execute();
  const rest = rows.map((r) => r.id).filter((id) => !orderedIds.includes(id));
  const order = [...orderedIds, ...rest];
  for (const [index, id] of order.entries()) {
    await db
      .updateTable(table)
      .set({ position: index + 1, updated_at: at })
      .where('id', '=', id)
      .execute();
  }
}

export async function nextRulePosition(db: Db, table: 'triggers' | 'automations'): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.max('position').as('max'))
    .executeTakeFirst();
  return Number(row?.max ?? 0) + 1;
}

export async function listAutomations(db: Db): Promise<Automation[]> {
  const rows = await db
    .selectFrom('automations')
    .selectAll()
    .orderBy('position')
    .orderBy('id')
    .execute();
  return rows.map(toAutomation);
}

export async function getAutomation(db: Db, id: string): Promise<Automation | null> {
  const row = await db
    .selectFrom('automations')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toAutomation(row) : null;
}

export async function saveAutomation(db: Db, automation: Automation, at: Date): Promise<void> {
  const values = {
    name: automation.name,
    active: automation.active,
    position: automation.position,
    conditions: JSON.stringify(automation.conditions),
    actions: JSON.stringify(automation.actions),
    once_per_ticket: automation.oncePerTicket,
    preset: automation.preset,
    updated_at: at,
  };
  await db
    .insertInto('automations')
    .values({ id: automation.id, ...values, created_at: at })
    .onConflict((oc) => oc.column('id').doUpdateSet(values))
    .execute();
}

export async function deleteAutomation(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom('automations').where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Which "once per ticket" automations already fired on each ticket. */
export async function firedAutomations(
  db: Db,
  ticketIds: readonly string[],
): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  if (ticketIds.length === 0) return out;
  const rows = await db
    .selectFrom('automation_firings')
    .select(['ticket_id', 'automation_id'])
    .where('ticket_id', 'in', [...ticketIds])
    .execute();
  for (const row of rows) {
    const set = out.get(row.ticket_id) ?? new Set<string>();
    set.add(row.automation_id);
    out.set(row.ticket_id, set);
  }
  return out;
}

export async function recordAutomationFiring(
  db: Db,
  ticketId: string,
  automationId: string,
  at: Date,
): Promise<void> {
  await db
    .insertInto('automation_firings')
    .values({ ticket_id: ticketId, automation_id: automationId, fired_at: at })
    .onConflict((oc) => oc.columns(['ticket_id', 'automation_id']).doNothing())
    .execute();
}

/** What time-based rules and skill conditions read beyond the ticket itself. */
export interface TicketRuleExtras {
  readonly skills: readonly string[];
  readonly statusChangedAt: Date | null;
  readonly lastAgentReplyAt: Date | null;
  readonly lastCustomerMessageAt: Date | null;
}

export async function loadTicketRuleExtras(
  db: Db,
  ticketIds: readonly string[],
): Promise<Map<string, TicketRuleExtras>> {
  const out = new Map<string, TicketRuleExtras>();
  if (ticketIds.length === 0) return out;
  const rows = await db
    .selectFrom('tickets')
    .select([
      'id',
      'required_skills',
      'status_changed_at',
      'last_agent_reply_at',
      'last_customer_message_at',
    ])
    .where('id', 'in', [...ticketIds])
    .execute();
  for (const row of rows) {
    out.set(row.id, {
      skills: row.required_skills,
      statusChangedAt: row.status_changed_at,
      lastAgentReplyAt: row.last_agent_reply_at,
      lastCustomerMessageAt: row.last_customer_message_at,
    });
  }
  return out;
}

export async function setRequiredSkills(
  db: Db,
  ticketId: string,
  skills: readonly string[],
): Promise<void> {
  await db
    .updateTable('tickets')
    .set({ required_skills: sql<string[]>`${[...skills]}::uuid[]` })
    .where('id', '=', ticketId)
    .execute();
}

/**
 * Records who wrote last on each ticket: the assigned side's public replies (the first one also
 * answers seed 003's "reassign when unanswered") and the customer's messages.
 */
export async function markReplies(
  db: Db,
  at: Date,
  agentReplied: readonly string[],
  customerWrote: readonly string[],
): Promise<void> {
  if (agentReplied.length === 0 && customerWrote.length === 0) return;
  const agents = [...agentReplied];
  const customers = [...customerWrote];
  await sql`
    UPDATE tickets SET
      first_reply_at = CASE WHEN id = ANY(${agents}::uuid[]) AND first_reply_at IS NULL
                            THEN ${at}::timestamptz ELSE first_reply_at END,
      last_agent_reply_at = CASE WHEN id = ANY(${agents}::uuid[]) THEN ${at}::timestamptz
                                 ELSE last_agent_reply_at END,
      last_customer_message_at = CASE WHEN id = ANY(${customers}::uuid[]) THEN ${at}::timestamptz
                                      ELSE last_customer_message_at END
     WHERE id = ANY(${[...agents, ...customers]}::uuid[])`.execute(db);
}

function toTrigger(row: Selectable<TriggersTable>): Trigger {
  return {
    id: row.id,
    name: row.name,
    category: row.category,
    scope: row.scope,
    active: row.active,
    position: row.position,
    conditions: row.conditions as ConditionSet,
    actions: row.actions as RuleAction[],
    preset: row.preset,
  };
}

function toAutomation(row: Selectable<AutomationsTable>): Automation {
  return {
    id: row.id,
    name: row.name,
    active: row.active,
    position: row.position,
    conditions: row.conditions as ConditionSet,
    actions: row.actions as RuleAction[],
    oncePerTicket: row.once_per_ticket,
    preset: row.preset,
  };
}

/** A page of tickets that are not Closed, in id order (for recomputing automation timers). */
export async function openTicketsPage(
  db: Db,
  after: string | null,
  limit: number,
): Promise<{ id: string; conversationId: string }[]> {
  let query = db
    .selectFrom('tickets')
    .select(['id', 'conversation_id'])
    .where('status', '<>', 'closed')
    .orderBy('id')
    .limit(limit);
  if (after) query = query.where('id', '>', after);
  return (await query.execute()).map((r) => ({ id: r.id, conversationId: r.conversation_id }));
}

/** The trigger types of workflows that are active and published. */
export async function activeWorkflowTriggerTypes(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('workflows')
    .select('trigger_type')
    .distinct()
    .where('active', '=', true)
    .where('published_version', 'is not', null)
    .execute();
  return rows.flatMap((r) => (r.trigger_type === null ? [] : [r.trigger_type]));
}
