import type { WorkflowDefinition, WorkflowTriggerType } from '@parlour/core';
import { sql, type Selectable } from 'kysely';
import type { Db } from '../database.js';
import type {
  WorkflowRunState,
  WorkflowRunsTable,
  WorkflowRunStepsTable,
  WorkflowStepOutcome,
  WorkflowsTable,
} from '../schema.js';

export type { WorkflowRunState, WorkflowStepOutcome };

export interface StoredWorkflow {
  readonly id: string;
  readonly name: string;
  readonly active: boolean;
  readonly draft: WorkflowDefinition;
  /** The version new runs start on; null until the first publish. */
  readonly publishedVersion: number | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface StoredWorkflowVersion {
  readonly workflowId: string;
  readonly version: number;
  readonly definition: WorkflowDefinition;
  readonly publishedAt: Date;
  readonly publishedBy: string | null;
}

export interface StoredWorkflowRun {
  readonly id: string;
  readonly workflowId: string;
  readonly version: number;
  readonly conversationId: string;
  readonly ticketId: string | null;
  readonly triggerType: string;
  readonly state: WorkflowRunState;
  /** The step to run next (a Wait while waiting); null once the run is over. */
  readonly currentStep: string | null;
  readonly context: Record<string, unknown>;
  readonly startedBy: string | null;
  readonly startedAt: Date;
  readonly updatedAt: Date;
  readonly finishedAt: Date | null;
}

export interface StoredRunStep {
  readonly id: number;
  readonly runId: string;
  readonly stepId: string;
  readonly stepType: string;
  readonly outcome: WorkflowStepOutcome;
  readonly detail: Record<string, unknown>;
  readonly at: Date;
}

export type NewRunStep = Omit<StoredRunStep, 'id'>;

// --- workflows and versions -----------------------------------------------------------------

export async function insertWorkflow(
  db: Db,
  w: { id: string; name: string; active: boolean; draft: WorkflowDefinition; at: Date },
): Promise<void> {
  await db
    .insertInto('workflows')
    .values({
      id: w.id,
      name: w.name,
      active: w.active,
      draft: JSON.stringify(w.draft),
      published_version: null,
      trigger_type: null,
      created_at: w.at,
      updated_at: w.at,
    })
    .execute();
}

/** False when there is no such workflow. */
export async function updateWorkflow(
  db: Db,
  id: string,
  patch: { name?: string; active?: boolean; draft?: WorkflowDefinition },
  at: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('workflows')
    .set({
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.active !== undefined ? { active: patch.active } : {}),
      ...(patch.draft !== undefined ? { draft: JSON.stringify(patch.draft) } : {}),
      updated_at: at,
    })
    .where('id', '=', id)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** With `lock`, the row is held until the caller's transaction ends (one publish at a time). */
export async function getWorkflow(
  db: Db,
  id: string,
  options: { lock?: boolean } = {},
): Promise<StoredWorkflow | null> {
  let query = db.selectFrom('workflows').selectAll().where('id', '=', id);
  if (options.lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row ? toWorkflow(row) : null;
}

export async function listWorkflows(db: Db): Promise<StoredWorkflow[]> {
  const rows = await db
    .selectFrom('workflows')
    .selectAll()
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toWorkflow);
}

export async function deleteWorkflow(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom('workflows').where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Stores a new immutable version and makes it the one new runs start on. */
export async function publishWorkflowVersion(db: Db, v: StoredWorkflowVersion): Promise<void> {
  await db
    .insertInto('workflow_versions')
    .values({
      workflow_id: v.workflowId,
      version: v.version,
      definition: JSON.stringify(v.definition),
      published_at: v.publishedAt,
      published_by: v.publishedBy,
    })
    .execute();
  await db
    .updateTable('workflows')
    .set({
      published_version: v.version,
      trigger_type: v.definition.trigger.type,
      updated_at: v.publishedAt,
    })
    .where('id', '=', v.workflowId)
    .execute();
}

export async function latestWorkflowVersion(db: Db, workflowId: string): Promise<number> {
  const row = await db
    .selectFrom('workflow_versions')
    .select((eb) => eb.fn.max('version').as('max'))
    .where('workflow_id', '=', workflowId)
    .executeTakeFirst();
  return Number(row?.max ?? 0);
}

export async function listWorkflowVersions(
  db: Db,
  workflowId: string,
): Promise<StoredWorkflowVersion[]> {
  const rows = await db
    .selectFrom('workflow_versions')
    .selectAll()
    .where('workflow_id', '=', workflowId)
    .orderBy('version', 'desc')
    .execute();
  return rows.map(toVersion);
}

export async function getWorkflowVersion(
  db: Db,
  workflowId: string,
  version: number,
): Promise<StoredWorkflowVersion | null> {
  const row = await db
    .selectFrom('workflow_versions')
    .selectAll()
    .where('workflow_id', '=', workflowId)
    .where('version', '=', version)
    .executeTakeFirst();
  return row ? toVersion(row) : null;
}

export interface PublishedWorkflow {
  readonly workflowId: string;
  readonly name: string;
  readonly version: number;
  readonly definition: WorkflowDefinition;
}

/** Active workflows whose published version starts on this kind of event, oldest first. */
export async function publishedWorkflowsFor(
  db: Db,
  triggerType: WorkflowTriggerType,
): Promise<PublishedWorkflow[]> {
  const rows = await db
    .selectFrom('workflows as w')
    .innerJoin('workflow_versions as v', (join) =>
      join.onRef('v.workflow_id', '=', 'w.id').onRef('v.version', '=', 'w.published_version'),
    )
    .select(['w.id', 'w.name', 'v.version', 'v.definition'])
    .where('w.trigger_type', '=', triggerType)
    .where('w.active', '=', true)
    .where('w.published_version', 'is not', null)
    .orderBy('w.created_at')
    .orderBy('w.id')
    .execute();
  return rows.map((r) => ({
    workflowId: r.id,
    name: r.name,
    version: r.version,
    definition: r.definition as WorkflowDefinition,
  }));
}

// --- runs ---------------------------------------------------------------------------------

export async function insertWorkflowRun(db: Db, run: StoredWorkflowRun): Promise<void> {
  await db
    .insertInto('workflow_runs')
    .values({
      id: run.id,
      workflow_id: run.workflowId,
      version: run.version,
      conversation_id: run.conversationId,
      ticket_id: run.ticketId,
      trigger_type: run.triggerType,
      state: run.state,
      current_step: run.currentStep,
      context: JSON.stringify(run.context),
      started_by: run.startedBy,
      started_at: run.startedAt,
      updated_at: run.updatedAt,
      finished_at: run.finishedAt,
    })
    .execute();
}

/** With `lock`, the run is held until the caller's transaction ends (one step at a time). */
export async function getWorkflowRun(
  db: Db,
  id: string,
  options: { lock?: boolean } = {},
): Promise<StoredWorkflowRun | null> {
  let query = db.selectFrom('workflow_runs').selectAll().where('id', '=', id);
  if (options.lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row ? toRun(row) : null;
}

export async function updateWorkflowRun(
  db: Db,
  id: string,
  change: {
    state: WorkflowRunState;
    currentStep: string | null;
    ticketId?: string | null;
    at: Date;
  },
): Promise<void> {
  const over =
    change.state === 'finished' || change.state === 'failed' || change.state === 'cancelled';
  await db
    .updateTable('workflow_runs')
    .set({
      state: change.state,
      current_step: change.currentStep,
      ...(change.ticketId !== undefined ? { ticket_id: change.ticketId } : {}),
      updated_at: change.at,
      ...(over ? { finished_at: change.at } : {}),
    })
    .where('id', '=', id)
    .execute();
}

/** Whether a workflow already has a run for this ticket that started on this kind of event. */
export async function hasWorkflowRun(
  db: Db,
  workflowId: string,
  ticketId: string,
  triggerType: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('workflow_runs')
    .select('id')
    .where('workflow_id', '=', workflowId)
    .where('ticket_id', '=', ticketId)
    .where('trigger_type', '=', triggerType)
    .executeTakeFirst();
  return row !== undefined;
}

export async function listRunsOfConversation(
  db: Db,
  conversationId: string,
): Promise<StoredWorkflowRun[]> {
  const rows = await db
    .selectFrom('workflow_runs')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .orderBy('started_at')
    .orderBy('id')
    .execute();
  return rows.map(toRun);
}

/** Newest first. */
export async function listRunsOfWorkflow(
  db: Db,
  workflowId: string,
  limit: number,
): Promise<StoredWorkflowRun[]> {
  const rows = await db
    .selectFrom('workflow_runs')
    .selectAll()
    .where('workflow_id', '=', workflowId)
    .orderBy('started_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toRun);
}

/** Runs not over yet (running or waiting) of a workflow. */
export async function unfinishedRunIds(db: Db, workflowId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('workflow_runs')
    .select('id')
    .where('workflow_id', '=', workflowId)
    .where('state', 'in', ['running', 'waiting'])
    .execute();
  return rows.map((r) => r.id);
}

export async function insertRunSteps(db: Db, steps: readonly NewRunStep[]): Promise<void> {
  if (steps.length === 0) return;
  await db
    .insertInto('workflow_run_steps')
    .values(
      steps.map((s) => ({
        run_id: s.runId,
        step_id: s.stepId,
        step_type: s.stepType,
        outcome: s.outcome,
        detail: JSON.stringify(s.detail),
        at: s.at,
      })),
    )
    .execute();
}

/** Each run's steps in the order they ran. */
export async function listRunSteps(
  db: Db,
  runIds: readonly string[],
): Promise<Map<string, StoredRunStep[]>> {
  const out = new Map<string, StoredRunStep[]>(runIds.map((id) => [id, []]));
  if (runIds.length === 0) return out;
  const rows = await db
    .selectFrom('workflow_run_steps')
    .selectAll()
    .where('run_id', '=', sql<string>`ANY(${[...runIds]}::uuid[])`)
    .orderBy('id')
    .execute();
  for (const row of rows) out.get(row.run_id)?.push(toStep(row));
  return out;
}

// --- round robin --------------------------------------------------------------------------

/**
 * The agent an Assign to step gave its last conversation to, with the cursor row locked until the
 * caller's transaction ends, so two runs of one step never pick the same next agent.
 */
export async function lockRoundRobinCursor(
  db: Db,
  workflowId: string,
  stepId: string,
): Promise<string | null> {
  await db
    .insertInto('workflow_cursors')
    .values({ workflow_id: workflowId, step_id: stepId, last_agent_id: null })
    .onConflict((oc) => oc.columns(['workflow_id', 'step_id']).doNothing())
    .execute();
  const row = await db
    .selectFrom('workflow_cursors')
    .select('last_agent_id')
    .where('workflow_id', '=', workflowId)
    .where('step_id', '=', stepId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  return row.last_agent_id;
}

export async function moveRoundRobinCursor(
  db: Db,
  workflowId: string,
  stepId: string,
  agentId: string,
): Promise<void> {
  await db
    .updateTable('workflow_cursors')
    .set({ last_agent_id: agentId })
    .where('workflow_id', '=', workflowId)
    .where('step_id', '=', stepId)
    .execute();
}

// --- rows ---------------------------------------------------------------------------------

function toWorkflow(row: Selectable<WorkflowsTable>): StoredWorkflow {
  return {
    id: row.id,
    name: row.name,
    active: row.active,
    draft: row.draft as WorkflowDefinition,
    publishedVersion: row.published_version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toVersion(row: {
  workflow_id: string;
  version: number;
  definition: unknown;
  published_at: Date;
  published_by: string | null;
}): StoredWorkflowVersion {
  return {
    workflowId: row.workflow_id,
    version: row.version,
    definition: row.definition as WorkflowDefinition,
    publishedAt: row.published_at,
    publishedBy: row.published_by,
  };
}

function toRun(row: Selectable<WorkflowRunsTable>): StoredWorkflowRun {
  return {
    id: row.id,
    workflowId: row.workflow_id,
    version: row.version,
    conversationId: row.conversation_id,
    ticketId: row.ticket_id,
    triggerType: row.trigger_type,
    state: row.state,
    currentStep: row.current_step,
    context: row.context,
    startedBy: row.started_by,
    startedAt: row.started_at,
    updatedAt: row.updated_at,
    finishedAt: row.finished_at,
  };
}

function toStep(row: Selectable<WorkflowRunStepsTable>): StoredRunStep {
  return {
    id: Number(row.id),
    runId: row.run_id,
    stepId: row.step_id,
    stepType: row.step_type,
    outcome: row.outcome,
    detail: row.detail,
    at: row.at,
  };
}
