import {
  DomainError,
  chooseAssignee,
  ticketPatchOf,
  type ActionStep,
  type Actor,
  type AssignTarget,
  type TicketPatch,
} from '@parlour/core';
import {
  agentLoads,
  getGroup,
  getUser,
  listAgentStates,
  lockRoundRobinCursor,
  membersOfGroups,
  moveRoundRobinCursor,
  onlineUserIds,
  type Db,
  type StoredConversationState,
  type StoredTicket,
  type WorkflowStepOutcome,
} from '@parlour/storage';
import { sql } from 'kysely';
import { ticketDto } from '../dto.js';
import type { FeedSignal } from '../feed-publisher.js';
import type { WebhookService } from '../outbound/webhook-service.js';
import { replyChannel, type TicketWrites } from '../rules/ticket-writes.js';

export interface StepResult {
  readonly outcome: Extract<WorkflowStepOutcome, 'done' | 'skipped' | 'failed'>;
  readonly detail: Record<string, unknown>;
}

/** Everything one step needs: the locked conversation, who acts, and where effects go. */
export interface StepContext {
  readonly trx: Db;
  readonly state: StoredConversationState & { ticket: StoredTicket };
  readonly workflow: { id: string; name: string; version: number };
  readonly runId: string;
  readonly stepId: string;
  readonly actor: Actor;
  readonly at: Date;
  /** Feed signals to publish and callbacks to run after commit. */
  readonly signals: FeedSignal[];
  readonly afterCommit: (() => Promise<void>)[];
}

/**
 * Performs one action step of a run through the same ticket writes as everyone else (so triggers
 * and routing see the change). A refusal (a DomainError: the agent is gone, nobody qualifies, a
 * ticket that cannot be Solved without an assignee…) is the step's failure, recorded with its
 * reason, and rolled back to just before the step; the run goes on.
 */
export async function performStep(
  writes: TicketWrites,
  webhooks: Pick<WebhookService, 'enqueue'> | null,
  ctx: StepContext,
  step: ActionStep,
): Promise<StepResult> {
  await sql`savepoint workflow_step`.execute(ctx.trx);
  try {
    const result = await perform(writes, webhooks, ctx, step);
    await sql`release savepoint workflow_step`.execute(ctx.trx);
    return result;
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    await sql`rollback to savepoint workflow_step`.execute(ctx.trx);
    await sql`release savepoint workflow_step`.execute(ctx.trx);
    return failed(error.message);
  }
}

async function perform(
  writes: TicketWrites,
  webhooks: Pick<WebhookService, 'enqueue'> | null,
  ctx: StepContext,
  step: ActionStep,
): Promise<StepResult> {
  const ticket = ctx.state.ticket;
  switch (step.type) {
    case 'assign_to':
      return assign(writes, ctx, step.target);
    case 'comment':
      await post(writes, ctx, 'internal', step.body);
      return done({});
    case 'send_message': {
      const { conversation, session, requesterEmail } = ctx.state;
      const channel = replyChannel(conversation, session, 'public');
      if (channel === 'email' && !requesterEmail) {
        return failed(
          'The messaging session has ended and the requester has no known email address',
        );
      }
      await post(writes, ctx, 'public', step.body);
      return done({ channel });
    }
    case 'update_ticket':
      return change(writes, ctx, ticketPatchOf(step.actions), 'nothing to change');
    case 'add_tag':
      if (ticket.tags.includes(step.tag)) return skipped(`the ticket already has "${step.tag}"`);
      return change(writes, ctx, { addTags: [step.tag] }, 'nothing to change');
    case 'close_conversation':
      if (ticket.status === 'solved' || ticket.status === 'closed')
        return skipped(`the ticket is already ${ticket.status}`);
      return change(writes, ctx, { status: 'solved' }, 'nothing to change');
    case 'http_request': {
      if (!webhooks) return failed('HTTP requests are not available on this server');
      const deliveryId = await webhooks.enqueue(ctx.trx, {
        ticketId: ticket.id,
        url: step.url,
        payload: {
          event: 'workflow.step',
          workflow: ctx.workflow,
          runId: ctx.runId,
          stepId: ctx.stepId,
          ...(step.body !== undefined ? { body: step.body } : {}),
          ticket: ticketDto(ticket),
          at: ctx.at.toISOString(),
        },
        ruleType: 'workflow',
        ruleId: ctx.workflow.id,
        ruleName: ctx.workflow.name,
        at: ctx.at,
      });
      return done({ url: step.url, deliveryId });
    }
  }
}

/**
 * Assign to: a named agent directly (moving the ticket to one of their teams when its team does
 * not have them), or a member of a team chosen by round robin or least open, online or not.
 */
async function assign(
  writes: TicketWrites,
  ctx: StepContext,
  target: AssignTarget,
): Promise<StepResult> {
  const { trx, state } = ctx;
  const ticket = state.ticket;
  if ('agentId' in target) {
    const agent = await getUser(trx, target.agentId);
    if (!agent || !agent.active) return failed('The agent no longer exists or is deactivated');
    if (ticket.assigneeId === agent.id) return skipped('the conversation is already with them');
    const groupId =
      ticket.groupId === null || agent.groupIds.includes(ticket.groupId)
        ? ticket.groupId
        : (agent.groupIds[0] ?? null);
    await writes
      .change(trx, {
        conversationId: state.conversation.id,
        patch: { assigneeId: agent.id, ...(groupId !== ticket.groupId ? { groupId } : {}) },
        actor: ctx.actor,
        at: ctx.at,
      })
      .then((r) => collect(ctx, r));
    return done({ agentId: agent.id, groupId });
  }
  if (!(await getGroup(trx, target.groupId))) return failed('The team no longer exists');
  const members = [...(await membersOfGroups(trx, [target.groupId])).keys()];
  const [states, online, loads, cursor] = await Promise.all([
    listAgentStates(trx, members),
    onlineUserIds(trx, members),
    target.strategy === 'least_open' ? agentLoads(trx, members) : Promise.resolve(null),
    lockRoundRobinCursor(trx, ctx.workflow.id, ctx.stepId),
  ]);
  const statusOf = new Map(states.map((s) => [s.userId, s.status]));
  const choice = chooseAssignee(
    members.map((id) => ({
      id,
      connected: online.has(id),
      status: statusOf.get(id) ?? 'offline',
      openCount: loads?.get(id)?.open ?? 0,
    })),
    {
      strategy: target.strategy,
      onlyOnline: target.onlyOnline,
      exclude: ticket.assigneeId,
      cursor,
    },
  );
  if (choice.agentId === null) return failed(`Nobody in the team qualifies: ${choice.reason}`);
  await moveRoundRobinCursor(trx, ctx.workflow.id, ctx.stepId, choice.agentId);
  await writes
    .change(trx, {
      conversationId: state.conversation.id,
      patch: { assigneeId: choice.agentId, groupId: target.groupId },
      actor: ctx.actor,
      at: ctx.at,
    })
    .then((r) => collect(ctx, r));
  return done({
    agentId: choice.agentId,
    groupId: target.groupId,
    strategy: target.strategy,
    onlyOnline: target.onlyOnline,
    candidates: choice.candidates,
  });
}

async function change(
  writes: TicketWrites,
  ctx: StepContext,
  patch: TicketPatch,
  unchanged: string,
): Promise<StepResult> {
  const before = ctx.state.ticket;
  const result = await writes.change(ctx.trx, {
    conversationId: ctx.state.conversation.id,
    patch,
    actor: ctx.actor,
    at: ctx.at,
  });
  collect(ctx, result);
  if (result.ticket.version === before.version) return skipped(unchanged);
  return done({ patch });
}

async function post(
  writes: TicketWrites,
  ctx: StepContext,
  kind: 'public' | 'internal',
  body: string,
): Promise<void> {
  const result = await writes.post(ctx.trx, {
    conversationId: ctx.state.conversation.id,
    kind,
    body,
    actor: ctx.actor,
    at: ctx.at,
    // Like a trigger's own messages, a workflow's do not run the triggers again.
    runRules: false,
  });
  collect(ctx, result);
}

function collect(
  ctx: StepContext,
  result: { signals: FeedSignal[]; afterCommit: () => Promise<void> },
): void {
  ctx.signals.push(...result.signals);
  ctx.afterCommit.push(result.afterCommit);
}

function done(detail: Record<string, unknown>): StepResult {
  return { outcome: 'done', detail };
}

function skipped(reason: string): StepResult {
  return { outcome: 'skipped', detail: { reason } };
}

function failed(reason: string): StepResult {
  return { outcome: 'failed', detail: { reason } };
}
