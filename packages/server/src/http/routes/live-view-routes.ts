import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  Id,
  LiveModel,
  LiveMonitorReply,
  LiveNoteBody,
  LiveReassignBody,
  Message,
} from '@parlour/protocol';
import { Type } from 'typebox';
import { MANAGERS } from '../../principal.js';
import { requireUser } from '../access.js';
import type { Services } from '../services.js';

const ConversationParams = Type.Object({ conversationId: Id });

/**
 * The supervisors' live view: the model over HTTP (the socket pushes it: live.subscribe) and the
 * actions on a conversation, each refused (403) outside the supervisor's groups. Setting an agent's
 * status is PUT /api/agents/:userId/status, scoped the same way.
 */
export const liveViewRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (
  app,
  { services },
) => {
  const { liveView, liveActions } = services;

  app.get(
    '/api/live',
    {
      config: { access: MANAGERS },
      schema: {
        tags: ['live view'],
        summary: 'Queues and agents now, scoped to your groups (admins: all)',
        response: { 200: LiveModel },
      },
    },
    async (request) => liveView.snapshot(requireUser(request)),
  );
  app.post(
    '/api/live/conversations/:conversationId/monitor',
    {
      config: { access: MANAGERS },
      schema: {
        tags: ['live view'],
        summary:
          'Monitor a chat silently: nothing is written, the customer sees nothing; then subscribe to it on the socket',
        params: ConversationParams,
        response: { 200: LiveMonitorReply },
      },
    },
    async (request) => liveActions.monitor(requireUser(request), request.params.conversationId),
  );
  app.post(
    '/api/live/conversations/:conversationId/whisper',
    {
      config: { access: MANAGERS },
      schema: {
        tags: ['live view'],
        summary: 'Whisper to the agent: an internal note, never shown to the customer',
        params: ConversationParams,
        body: LiveNoteBody,
        response: { 201: Message },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await liveActions.whisper(
            requireUser(request),
            request.params.conversationId,
            request.body.body,
          ),
        ),
  );
  app.post(
    '/api/live/conversations/:conversationId/barge',
    {
      config: { access: MANAGERS },
      schema: {
        tags: ['live view'],
        summary: 'Barge in: a public message; in a live chat the customer sees you join first',
        params: ConversationParams,
        body: LiveNoteBody,
        response: { 201: Message },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await liveActions.barge(
            requireUser(request),
            request.params.conversationId,
            request.body.body,
          ),
        ),
  );
  app.post(
    '/api/live/conversations/:conversationId/reassign',
    {
      config: { access: MANAGERS },
      schema: {
        tags: ['live view'],
        summary: 'Reassign to an agent ({agentId}, offered to them) or a queue ({groupId})',
        params: ConversationParams,
        body: LiveReassignBody,
        response: { 200: Type.Object({ ok: Type.Literal(true) }) },
      },
    },
    async (request) => {
      await liveActions.reassign(requireUser(request), request.params.conversationId, request.body);
      return { ok: true as const };
    },
  );
};
