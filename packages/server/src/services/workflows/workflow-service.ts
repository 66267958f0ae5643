import {
  DomainError,
  stepSuccessors,
  triggerMatches,
  validateWorkflowDefinition,
  type Actor,
  type UpdateComment,
  type WorkflowDefinition,
  type WorkflowEvent,
} from '@parlour/core';
import type {
  CreateWorkflowBody,
  UpdateWorkflowBody,
  Workflow,
  WorkflowRun,
  WorkflowVersion,
} from '@parlour/protocol';
import {
  deleteWorkflow,
  getGroup,
  getUser,
  getWorkflow,
  getWorkflowRun,
  getWorkflowVersion,
  hasWorkflowRun,
  insertTicketEvents,
  insertWorkflow,
  insertWorkflowRun,
  insertRunSteps,
  latestWorkflowVersion,
  listRunSteps,
  listRunsOfConversation,
  listRunsOfWorkflow,
  listWorkflowVersions,
  listWorkflows,
  loadConversationState,
  publishWorkflowVersion,
  publishedWorkflowsFor,
  unfinishedRunIds,
  updateWorkflow,
  updateWorkflowRun,
  type Db,
  type PublishedWorkflow,
  type StoredWorkflowRun,
} from '@parlour/storage';
import type { DurableTimers } from '../../timers/durable-timers.js';
import type { ServiceContext } from '../context.js';
import { runDto, versionDto, workflowDto } from './workflow-dto.js';
import { WORKFLOW_TIMER, workflowTimerKey } from './workflow-timer.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const RUNS_PAGE = 200;

export interface WorkflowStartInput {
  readonly event: WorkflowEvent;
  readonly conversationId: string;
  readonly ticketId: string;
  readonly at: Date;
  /** The message that came with the event (a customer's message), for branch conditions on it. */
  readonly comment?: UpdateComment | null;
}

/**
 * Workflows (seed 003): admins edit a draft (checked whenever it is saved) and publish it as a new
 * immutable version. Conversation events start runs of the published version of every active
 * workflow whose trigger matches; a run finishes on the version it started on. Runs go step by
 * step on a durable timer (WorkflowRunner), so a Wait survives restarts.
 */
export class WorkflowService {
  /** Told after every change that can start or stop workflows (the rules cache listens). */
  changed: () => Promise<void> = async () => {};

  constructor(
    private readonly ctx: ServiceContext,
    private readonly timers: DurableTimers,
  ) {}

  // --- admin ------------------------------------------------------------------------------

  async list(): Promise<Workflow[]> {
    return (await listWorkflows(this.ctx.database.db)).map(workflowDto);
  }

  async get(id: string): Promise<Workflow> {
    const workflow = await getWorkflow(this.ctx.database.db, id);
    if (!workflow) throw notFound();
    return workflowDto(workflow);
  }

  async create(body: CreateWorkflowBody): Promise<Workflow> {
    const db = this.ctx.database.db;
    const definition = validateWorkflowDefinition(body.definition);
    await checkReferences(db, definition);
    const id = this.ctx.newId();
    await insertWorkflow(db, {
      id,
      name: body.name.trim(),
      active: body.active ?? true,
      draft: definition,
      at: this.ctx.clock.now(),
    });
    await this.changed();
    return this.get(id);
  }

  /** Saves the draft (and name, active); published versions and runs under way are untouched. */
  async update(id: string, body: UpdateWorkflowBody): Promise<Workflow> {
    const db = this.ctx.database.db;
    const definition =
      body.definition === undefined ? undefined : validateWorkflowDefinition(body.definition);
    if (definition) await checkReferences(db, definition);
    const found = await updateWorkflow(
      db,
      id,
      {
        ...(body.name !== undefined ? { name: body.name.trim() } : {}),
        ...(body.active !== undefined ? { active: body.active } : {}),
        ...(definition ? { draft: definition } : {}),
      },
      this.ctx.clock.now(),
    );
    if (!found) throw notFound();
    await this.changed();
    return this.get(id);
  }

  /** Deletes a workflow with its versions and runs; runs under way stop. */
  async remove(id: string): Promise<void> {
    await this.ctx.database.db.transaction().execute(async (trx) => {
      if (!(await getWorkflow(trx, id, { lock: true }))) throw notFound();
      for (const runId of await unfinishedRunIds(trx, id))
        await this.timers.cancel({ key: workflowTimerKey(runId) }, trx);
      await deleteWorkflow(trx, id);
    });
    await this.changed();
  }

  /** Copies the draft into a new immutable version, which new runs start on from now. */
  async publish(userId: string, id: string): Promise<WorkflowVersion> {
    const published = await this.ctx.database.db.transaction().execute(async (trx) => {
      const workflow = await getWorkflow(trx, id, { lock: true });
      if (!workflow) throw notFound();
      // Agents and teams may have gone since the draft was saved.
      const definition = validateWorkflowDefinition(workflow.draft);
      await checkReferences(trx, definition);
      const version = {
        workflowId: id,
        version: (await latestWorkflowVersion(trx, id)) + 1,
        definition,
        publishedAt: this.ctx.clock.now(),
        publishedBy: userId,
      };
      await publishWorkflowVersion(trx, version);
      return versionDto(version);
    });
    await this.changed();
    return published;
  }

  async versions(id: string): Promise<WorkflowVersion[]> {
    const db = this.ctx.database.db;
    if (!(await getWorkflow(db, id))) throw notFound();
    return (await listWorkflowVersions(db, id)).map(versionDto);
  }

  // --- runs -------------------------------------------------------------------------------

  /**
   * Called by the rule pipeline inside the transaction that changed the conversation (which holds
   * its lock): starts a run of every active published workflow whose trigger matches. A
   * "conversation opened" workflow runs once per ticket. The run's steps start on a timer due now,
   * after this transaction commits.
   */
  async start(trx: Db, input: WorkflowStartInput): Promise<string[]> {
    const started: string[] = [];
    for (const workflow of await publishedWorkflowsFor(trx, input.event.type)) {
      if (!triggerMatches(workflow.definition.trigger, input.event)) continue;
      if (
        input.event.type === 'conversation_opened' &&
        (await hasWorkflowRun(trx, workflow.workflowId, input.ticketId, 'conversation_opened'))
      )
        continue;
      started.push(
        await this.createRun(trx, workflow, {
          conversationId: input.conversationId,
          ticketId: input.ticketId,
          triggerType: input.event.type,
          startedBy: null,
          comment: input.comment ?? null,
          at: input.at,
        }),
      );
    }
    return started;
  }

  /** A staff member starts a manual workflow on a conversation's ticket. */
  async startManually(
    userId: string,
    conversationId: string,
    workflowId: string,
  ): Promise<WorkflowRun> {
    const runId = await this.ctx.database.db.transaction().execute(async (trx) => {
      const state = await loadConversationState(trx, conversationId, { lock: true });
      if (!state)
        throw new DomainError('conversation/not-found', 'No such conversation', 'conversationId');
      const workflow = await getWorkflow(trx, workflowId);
      if (!workflow) throw notFound();
      if (!state.ticket) {
        throw new DomainError(
          'validation/invalid',
          'This conversation has no ticket yet: workflows run on tickets',
          'conversationId',
        );
      }
      if (state.ticket.status === 'closed') {
        throw new DomainError('ticket/closed', 'This ticket is closed', 'conversationId');
      }
      if (!workflow.active || workflow.publishedVersion === null) {
        throw new DomainError(
          'validation/invalid',
          'Only an active, published workflow can be started',
          'workflowId',
        );
      }
      const version = await getWorkflowVersion(trx, workflowId, workflow.publishedVersion);
      if (!version) throw notFound();
      if (version.definition.trigger.type !== 'manual') {
        throw new DomainError(
          'validation/invalid',
          `This workflow starts on "${version.definition.trigger.type}"; only manual workflows are started by hand`,
          'workflowId',
        );
      }
      return this.createRun(
        trx,
        {
          workflowId,
          name: workflow.name,
          version: version.version,
          definition: version.definition,
        },
        {
          conversationId,
          ticketId: state.ticket.id,
          triggerType: 'manual',
          startedBy: userId,
          comment: null,
          at: this.ctx.clock.now(),
        },
      );
    });
    return this.run(runId);
  }

  /** Stops a run under way: its next step never runs. */
  async cancel(userId: string, runId: string): Promise<WorkflowRun> {
    await this.ctx.database.db.transaction().execute(async (trx) => {
      const peek = await getWorkflowRun(trx, runId);
      if (!peek) throw runNotFound();
      await loadConversationState(trx, peek.conversationId, { lock: true });
      const run = await getWorkflowRun(trx, runId, { lock: true });
      if (!run) throw runNotFound();
      if (run.state !== 'running' && run.state !== 'waiting') {
        throw new DomainError('conflict', `This run is already ${run.state}`, 'runId');
      }
      const at = this.ctx.clock.now();
      await this.timers.cancel({ key: workflowTimerKey(runId) }, trx);
      await insertRunSteps(trx, [
        {
          runId,
          stepId: run.currentStep ?? '',
          stepType: 'cancel',
          outcome: 'skipped',
          detail: { reason: 'cancelled by a staff member', userId },
          at,
        },
      ]);
      await updateWorkflowRun(trx, runId, { state: 'cancelled', currentStep: null, at });
    });
    return this.run(runId);
  }

  async run(runId: string): Promise<WorkflowRun> {
    const db = this.ctx.database.db;
    const run = await getWorkflowRun(db, runId);
    if (!run) throw runNotFound();
    return (await this.withSteps(db, [run]))[0]!;
  }

  /** Every run on a conversation, oldest first, with each step's outcome. */
  async runsOfConversation(conversationId: string): Promise<WorkflowRun[]> {
    const db = this.ctx.database.db;
    const exists = await db
      .selectFrom('conversations')
      .select('id')
      .where('id', '=', conversationId)
      .executeTakeFirst();
    if (!exists)
      throw new DomainError('conversation/not-found', 'No such conversation', 'conversationId');
    return this.withSteps(db, await listRunsOfConversation(db, conversationId));
  }

  /** A workflow's latest runs, newest first. */
  async runsOfWorkflow(workflowId: string): Promise<WorkflowRun[]> {
    const db = this.ctx.database.db;
    if (!(await getWorkflow(db, workflowId))) throw notFound();
    return this.withSteps(db, await listRunsOfWorkflow(db, workflowId, RUNS_PAGE));
  }

  private async withSteps(db: Db, runs: readonly StoredWorkflowRun[]): Promise<WorkflowRun[]> {
    const steps = await listRunSteps(
      db,
      runs.map((r) => r.id),
    );
    const names = new Map((await listWorkflows(db)).map((w) => [w.id, w.name]));
    return runs.map((r) => runDto(r, names.get(r.workflowId) ?? '', steps.get(r.id) ?? []));
  }

  private async createRun(
    trx: Db,
    workflow: PublishedWorkflow,
    input: {
      conversationId: string;
      ticketId: string;
      triggerType: string;
      startedBy: string | null;
      comment: UpdateComment | null;
      at: Date;
    },
  ): Promise<string> {
    const id = this.ctx.newId();
    const { at } = input;
    await insertWorkflowRun(trx, {
      id,
      workflowId: workflow.workflowId,
      version: workflow.version,
      conversationId: input.conversationId,
      ticketId: input.ticketId,
      triggerType: input.triggerType,
      state: 'running',
      currentStep: workflow.definition.start,
      context: input.comment ? { comment: input.comment } : {},
      startedBy: input.startedBy,
      startedAt: at,
      updatedAt: at,
      finishedAt: null,
    });
    const actor: Actor = input.startedBy
      ? { type: 'system', reason: `workflow: ${workflow.name} (started by hand)` }
      : { type: 'system', reason: `workflow: ${workflow.name}` };
    await insertTicketEvents(trx, input.ticketId, [
      {
        type: 'rule.fired',
        ruleType: 'workflow',
        ruleId: workflow.workflowId,
        name: workflow.name,
        actions: stepTypesInOrder(workflow.definition),
        actor,
        at,
      },
    ]);
    await this.timers.schedule(
      at,
      WORKFLOW_TIMER,
      { runId: id },
      { key: workflowTimerKey(id), db: trx },
    );
    return id;
  }
}

/** The step types a reader meets from the start, breadth first (the history's summary of a run). */
function stepTypesInOrder(definition: WorkflowDefinition): string[] {
  const seen = new Set([definition.start]);
  const order = [definition.start];
  for (let i = 0; i < order.length; i++) {
    for (const edge of stepSuccessors(definition.steps[order[i]!]!)) {
      if (!seen.has(edge.to)) {
        seen.add(edge.to);
        order.push(edge.to);
      }
    }
  }
  return order.map((id) => definition.steps[id]!.type);
}

/**
 * The agents and teams a definition names must exist (and agents be active) when it is saved and
 * when it is published; a step naming one that has gone since fails when it runs.
 */
async function checkReferences(db: Db, definition: WorkflowDefinition): Promise<void> {
  for (const [stepId, step] of Object.entries(definition.steps)) {
    const refs: { kind: 'agent' | 'team'; id: string; field: string }[] = [];
    if (step.type === 'assign_to') {
      if ('agentId' in step.target)
        refs.push({ kind: 'agent', id: step.target.agentId, field: 'target.agentId' });
      else refs.push({ kind: 'team', id: step.target.groupId, field: 'target.groupId' });
    }
    if (step.type === 'update_ticket') {
      step.actions.forEach((action, i) => {
        if (action.type === 'set_assignee' && action.value !== null)
          refs.push({ kind: 'agent', id: action.value, field: `actions.${i}.value` });
        if (action.type === 'set_group' && action.value !== null)
          refs.push({ kind: 'team', id: action.value, field: `actions.${i}.value` });
      });
    }
    for (const ref of refs) {
      const exists = !UUID.test(ref.id)
        ? false
        : ref.kind === 'agent'
          ? (await getUser(db, ref.id))?.active === true
          : (await getGroup(db, ref.id)) !== null;
      if (!exists) {
        throw new DomainError(
          'validation/invalid',
          `Step "${stepId}": ${ref.kind === 'agent' ? 'no active agent' : 'no team'} has the id "${ref.id}"`,
          `steps.${stepId}.${ref.field}`,
        );
      }
    }
  }
}

function notFound(): DomainError {
  return new DomainError('not-found', 'No such workflow', 'workflowId');
}

function runNotFound(): DomainError {
  return new DomainError('not-found', 'No such workflow run', 'runId');
}
