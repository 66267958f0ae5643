import { Type, type Static } from 'typebox';
import { Id, Nullable, Timestamp } from './common.js';

const strict = { additionalProperties: false } as const;
const loose = { additionalProperties: true } as const;

/**
 * A workflow definition (seed 003): `{ trigger, steps: { <stepId>: step }, start }`. Only its
 * outline is a schema: the server's workflow validator checks the rest and names the step and the
 * field at fault (`steps.check.branches.0.next`), including what no schema can say (unreachable
 * steps, a loop without a Wait).
 *
 * - trigger: `{type: conversation_opened, source: contact|agent|api|any}` | `{type:
 *   conversation_closed}` | `{type: incoming_message}` | `{type: tag_added, tag}` | `{type: manual}`
 * - steps, each with an optional `next` step id: `assign_to {target: {agentId} | {groupId,
 *   strategy: round_robin|least_open, onlyOnline}}`, `wait {seconds}` (1 s to 30 days), `branch
 *   {branches: [{conditions: {all, any}, next}], otherwise?}` (no next), `comment {body}` (an
 *   internal note), `send_message {body}`, `update_ticket {actions}`, `add_tag {tag}`,
 *   `close_conversation {}` (sets the ticket Solved), `http_request {url, method: POST, body?}`.
 */
export const WorkflowDefinition = Type.Object(
  {
    trigger: Type.Object({ type: Type.String({ maxLength: 50 }) }, loose),
    steps: Type.Record(
      Type.String({ maxLength: 64 }),
      Type.Object({ type: Type.String({ maxLength: 50 }) }, loose),
    ),
    start: Type.String({ maxLength: 64 }),
  },
  strict,
);
export type WorkflowDefinition = Static<typeof WorkflowDefinition>;

const Name = Type.String({ minLength: 1, maxLength: 200 });

export const Workflow = Type.Object({
  id: Id,
  name: Type.String(),
  /** Inactive workflows start no new runs; runs under way go on. */
  active: Type.Boolean(),
  /** What the admin is editing; runs use published versions only. */
  draft: WorkflowDefinition,
  /** The version new runs start on; null until first published. */
  publishedVersion: Nullable(Type.Integer()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Workflow = Static<typeof Workflow>;

export const CreateWorkflowBody = Type.Object(
  { name: Name, active: Type.Optional(Type.Boolean()), definition: WorkflowDefinition },
  strict,
);
export type CreateWorkflowBody = Static<typeof CreateWorkflowBody>;

export const UpdateWorkflowBody = Type.Object(
  {
    name: Type.Optional(Name),
    active: Type.Optional(Type.Boolean()),
    definition: Type.Optional(WorkflowDefinition),
  },
  { ...strict, minProperties: 1 },
);
export type UpdateWorkflowBody = Static<typeof UpdateWorkflowBody>;

/** A published version: immutable; a run always finishes on the version it started on. */
export const WorkflowVersion = Type.Object({
  workflowId: Id,
  version: Type.Integer(),
  definition: WorkflowDefinition,
  publishedAt: Timestamp,
  publishedBy: Nullable(Id),
});
export type WorkflowVersion = Static<typeof WorkflowVersion>;

export const WorkflowRunState = Type.Union([
  Type.Literal('running'),
  Type.Literal('waiting'),
  Type.Literal('finished'),
  Type.Literal('failed'),
  Type.Literal('cancelled'),
]);

/** What one step did: done, waiting (until `detail.until`), branch (which one), skipped or failed (`detail.reason`). */
export const WorkflowRunStep = Type.Object({
  stepId: Type.String(),
  stepType: Type.String(),
  outcome: Type.Union([
    Type.Literal('done'),
    Type.Literal('waiting'),
    Type.Literal('branch'),
    Type.Literal('skipped'),
    Type.Literal('failed'),
  ]),
  detail: Type.Object({}, loose),
  at: Timestamp,
});
export type WorkflowRunStep = Static<typeof WorkflowRunStep>;

export const WorkflowRun = Type.Object({
  id: Id,
  workflowId: Id,
  workflowName: Type.String(),
  version: Type.Integer(),
  conversationId: Id,
  ticketId: Nullable(Id),
  /** The trigger that started it (manual for runs started by hand). */
  trigger: Type.String(),
  state: WorkflowRunState,
  /** The step it runs next, or the Wait it waits at; null once over. */
  currentStep: Nullable(Type.String()),
  startedBy: Nullable(Id),
  startedAt: Timestamp,
  updatedAt: Timestamp,
  finishedAt: Nullable(Timestamp),
  steps: Type.Array(WorkflowRunStep),
});
export type WorkflowRun = Static<typeof WorkflowRun>;
