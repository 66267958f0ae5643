import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  CreateWorkflowBody,
  Id,
  UpdateWorkflowBody,
  Workflow,
  WorkflowRun,
  WorkflowVersion,
} from '@parlour/protocol';
import { Type } from 'typebox';
import { ADMINS, MANAGERS, STAFF } from '../../principal.js';
import { requireUser } from '../access.js';
import type { Services } from '../services.js';

const WorkflowParams = Type.Object({ workflowId: Id });
const ConversationParams = Type.Object({ conversationId: Id });
const StartParams = Type.Object({ conversationId: Id, workflowId: Id });
const RunParams = Type.Object({ runId: Id });

/** Workflows (seed 003): admins edit and publish; staff see and start runs on conversations. */
export const workflowRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (
  app,
  { services },
) => {
  const { workflows } = services;

  app.get(
    '/api/workflows',
    {
      config: { access: MANAGERS },
      schema: {
        tags: ['workflows'],
        summary: 'Every workflow with its draft and published version',
        response: { 200: Type.Array(Workflow) },
      },
    },
    async () => workflows.list(),
  );
  app.post(
    '/api/workflows',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['workflows'],
        summary:
          'Create a workflow (its definition is the draft; publish it to start runs). A definition with unreachable steps, a loop without a Wait or a next naming no step is refused, naming the step',
        body: CreateWorkflowBody,
        response: { 201: Workflow },
      },
    },
    async (request, reply) => reply.code(201).send(await workflows.create(request.body)),
  );
  app.get(
    '/api/workflows/:workflowId',
    {
      config: { access: MANAGERS },
      schema: {
        tags: ['workflows'],
        summary: 'A workflow with its draft',
        params: WorkflowParams,
        response: { 200: Workflow },
      },
    },
    async (request) => workflows.get(request.params.workflowId),
  );
  app.patch(
    '/api/workflows/:workflowId',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['workflows'],
        summary: 'Save the draft, rename, or switch a workflow on or off (published versions stay)',
        params: WorkflowParams,
        body: UpdateWorkflowBody,
        response: { 200: Workflow },
      },
    },
    async (request) => workflows.update(request.params.workflowId, request.body),
  );
  app.delete(
    '/api/workflows/:workflowId',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['workflows'],
        summary: 'Delete a workflow with its versions and runs (runs under way stop)',
        params: WorkflowParams,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await workflows.remove(request.params.workflowId);
      return reply.code(204).send(null);
    },
  );
  app.post(
    '/api/workflows/:workflowId/publish',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['workflows'],
        summary:
          'Publish the draft as a new version: new runs start on it; runs under way finish on theirs',
        params: WorkflowParams,
        response: { 201: WorkflowVersion },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await workflows.publish(requireUser(request).id, request.params.workflowId)),
  );
  app.get(
    '/api/workflows/:workflowId/versions',
    {
      config: { access: MANAGERS },
      schema: {
        tags: ['workflows'],
        summary: "A workflow's published versions, newest first",
        params: WorkflowParams,
        response: { 200: Type.Array(WorkflowVersion) },
      },
    },
    async (request) => workflows.versions(request.params.workflowId),
  );
  app.get(
    '/api/workflows/:workflowId/runs',
    {
      config: { access: MANAGERS },
      schema: {
        tags: ['workflows'],
        summary: "A workflow's latest runs (newest first) with each step's outcome",
        params: WorkflowParams,
        response: { 200: Type.Array(WorkflowRun) },
      },
    },
    async (request) => workflows.runsOfWorkflow(request.params.workflowId),
  );
  app.get(
    '/api/conversations/:conversationId/workflow-runs',
    {
      config: { access: STAFF },
      schema: {
        tags: ['workflows'],
        summary: "The workflow runs of a conversation (oldest first) with each step's outcome",
        params: ConversationParams,
        response: { 200: Type.Array(WorkflowRun) },
      },
    },
    async (request) => workflows.runsOfConversation(request.params.conversationId),
  );
  app.post(
    '/api/conversations/:conversationId/workflows/:workflowId/runs',
    {
      config: { access: STAFF },
      schema: {
        tags: ['workflows'],
        summary: "Start a manual workflow on the conversation's ticket (its steps run at once)",
        params: StartParams,
        response: { 201: WorkflowRun },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await workflows.startManually(
            requireUser(request).id,
            request.params.conversationId,
            request.params.workflowId,
          ),
        ),
  );
  app.post(
    '/api/workflow-runs/:runId/cancel',
    {
      config: { access: MANAGERS },
      schema: {
        tags: ['workflows'],
        summary: 'Stop a run under way: its next step never runs',
        params: RunParams,
        response: { 200: WorkflowRun },
      },
    },
    async (request) => workflows.cancel(requireUser(request).id, request.params.runId),
  );
};
