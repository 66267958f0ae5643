import {
  advanceRun,
  type Actor,
  type BranchDecision,
  type RunPosition,
  type TicketUpdate,
  type UpdateComment,
} from '@parlour/core';
import {
  getWorkflow,
  getWorkflowRun,
  getWorkflowVersion,
  insertRunSteps,
  insertTicketEvents,
  loadConversationState,
  loadTicketRuleExtras,
  updateWorkflowRun,
  type Db,
  type NewRunStep,
  type StoredConversationState,
  type StoredTicket,
  type StoredWorkflowRun,
} from '@parlour/storage';
import type { DurableTimers, TimerRecord } from '../../timers/durable-timers.js';
import type { ServiceContext } from '../context.js';
import { publishFeed, type FeedSignal } from '../feed-publisher.js';
import { factsOf } from '../rules/rule-facts.js';
import type { WebhookService } from '../outbound/webhook-service.js';
import type { TicketWrites } from '../rules/ticket-writes.js';
import { WORKFLOW_TIMER, workflowTimerKey } from './workflow-timer.js';
import { performStep } from './workflow-steps.js';

/** Action steps one timer firing performs at most before it hands over to a new firing. */
const STEPS_PER_FIRING = 50;

type LoadedState = StoredConversationState & { ticket: StoredTicket };

/**
 * Runs workflow runs, one durable timer per run (`workflow:<runId>`): a firing locks the
 * conversation, then the run, and performs its steps one after another, recording each step's
 * outcome, until a Wait (the timer is scheduled again for when the Wait ends, so waits survive
 * restarts) or the end. Everything happens in the timer's transaction; feed signals are published
 * after it commits.
 *
 * - A run always finishes on the version it started on (versions are immutable).
 * - A run whose ticket has been Closed stops (cancelled) before its next action step, unless it
 *   started because the conversation closed.
 * - A step that fails is recorded with its reason (and as a `rule.action_failed` ticket event);
 *   the run goes on with the step after it.
 */
export class WorkflowRunner {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly timers: DurableTimers,
    private readonly writes: TicketWrites,
    private readonly webhooks: Pick<WebhookService, 'enqueue'> | null,
  ) {
    timers.on(WORKFLOW_TIMER, (timer, trx) => this.fire(timer, trx));
  }

  private async fire(timer: TimerRecord, trx: Db) {
    const runId = String(timer.payload.runId);
    const peek = await getWorkflowRun(trx, runId);
    if (!peek || !underWay(peek)) return;
    // Lock order as everywhere: the conversation first, then the run.
    const locked = await loadConversationState(trx, peek.conversationId, { lock: true });
    const run = await getWorkflowRun(trx, runId, { lock: true });
    if (!run || !underWay(run)) return;
    const at = this.ctx.clock.now();
    const [workflow, version] = await Promise.all([
      getWorkflow(trx, run.workflowId),
      getWorkflowVersion(trx, run.workflowId, run.version),
    ]);
    if (!workflow || !version) return;
    const actor: Actor = { type: 'system', reason: `workflow: ${workflow.name}` };
    const definition = version.definition;
    const signals: FeedSignal[] = [];
    const afterCommit: (() => Promise<void>)[] = [];
    const records: NewRunStep[] = [];
    const record = (
      stepId: string,
      stepType: string,
      r: Omit<NewRunStep, 'runId' | 'stepId' | 'stepType' | 'at'>,
    ) => records.push({ runId, stepId, stepType, at, ...r });
    const end = async (state: 'finished' | 'failed' | 'cancelled') =>
      updateWorkflowRun(trx, runId, { state, currentStep: null, at });

    let state = withTicket(locked);
    let position: RunPosition = {
      stepId: run.currentStep,
      waitOver: run.state === 'waiting',
    };
    if (position.waitOver && run.currentStep !== null) {
      record(run.currentStep, 'wait', {
        outcome: 'done',
        detail: { waitedSeconds: Math.round((at.getTime() - run.updatedAt.getTime()) / 1000) },
      });
    }
    let facts: TicketUpdate | undefined;
    for (let performed = 0; ;) {
      if (!state) {
        record(position.stepId ?? '', 'run', {
          outcome: 'failed',
          detail: { reason: 'the conversation has no ticket' },
        });
        await end('failed');
        break;
      }
      const advance = advanceRun(definition, position, facts, at);
      for (const decision of advance.branches)
        record(decision.stepId, 'branch', branchRecord(decision));
      const move = advance.move;
      if (move.type === 'needs_facts') {
        facts = await this.facts(trx, state, run, at);
        position = { stepId: move.stepId };
        continue;
      }
      if (move.type === 'finish') {
        await end('finished');
        break;
      }
      if (move.type === 'wait') {
        record(move.stepId, 'wait', {
          outcome: 'waiting',
          detail: { seconds: move.seconds, until: move.until.toISOString() },
        });
        await updateWorkflowRun(trx, runId, { state: 'waiting', currentStep: move.stepId, at });
        await this.timers.schedule(
          move.until,
          WORKFLOW_TIMER,
          { runId },
          { key: workflowTimerKey(runId), db: trx },
        );
        break;
      }
      if (state.ticket.status === 'closed' && run.triggerType !== 'conversation_closed') {
        record(move.stepId, move.step.type, {
          outcome: 'skipped',
          detail: { reason: 'the ticket is closed: the run stops' },
        });
        await end('cancelled');
        break;
      }
      if (performed >= STEPS_PER_FIRING) {
        await updateWorkflowRun(trx, runId, { state: 'running', currentStep: move.stepId, at });
        await this.timers.schedule(
          at,
          WORKFLOW_TIMER,
          { runId },
          { key: workflowTimerKey(runId), db: trx },
        );
        break;
      }
      const result = await performStep(
        this.writes,
        this.webhooks,
        {
          trx,
          state,
          workflow: { id: workflow.id, name: workflow.name, version: run.version },
          runId,
          stepId: move.stepId,
          actor,
          at,
          signals,
          afterCommit,
        },
        move.step,
      );
      record(move.stepId, move.step.type, result);
      if (result.outcome === 'failed') {
        await insertTicketEvents(trx, state.ticket.id, [
          {
            type: 'rule.action_failed',
            ruleType: 'workflow',
            ruleId: workflow.id,
            name: workflow.name,
            action: `${move.step.type} (${move.stepId})`,
            reason: String(result.detail.reason),
            actor,
            at,
          },
        ]);
      }
      performed++;
      state = withTicket(await loadConversationState(trx, run.conversationId));
      facts = undefined;
      position = { stepId: move.next };
    }
    await insertRunSteps(trx, records);
    return async () => {
      await publishFeed(this.ctx.bus, signals);
      for (const callback of afterCommit) await callback();
    };
  }

  /** The ticket as a Branch sees it now (the run's starting message, if any, as the comment). */
  private async facts(
    trx: Db,
    state: LoadedState,
    run: StoredWorkflowRun,
    at: Date,
  ): Promise<TicketUpdate> {
    const extras = (await loadTicketRuleExtras(trx, [state.ticket.id])).get(state.ticket.id);
    const now = factsOf(state.ticket, state.session, state.requesterEmail, extras);
    const comment = (run.context.comment as UpdateComment | undefined) ?? null;
    return { before: now, after: now, comment, at };
  }
}

function underWay(run: StoredWorkflowRun): boolean {
  return run.state === 'running' || run.state === 'waiting';
}

function withTicket(state: StoredConversationState | null): LoadedState | null {
  return state && state.ticket ? (state as LoadedState) : null;
}

function branchRecord(
  decision: BranchDecision,
): Omit<NewRunStep, 'runId' | 'stepId' | 'stepType' | 'at'> {
  return {
    outcome: 'branch',
    detail: {
      taken: decision.taken,
      next: decision.next,
      checked: decision.checked.map((c, index) => ({
        branch: index,
        matched: c.matched,
        conditions: c.conditions.map((x) => ({
          field: x.condition.field,
          operator: x.condition.operator,
          ...(x.condition.value !== undefined ? { value: x.condition.value } : {}),
          holds: x.holds,
          seen: x.detail,
        })),
      })),
    },
  };
}
