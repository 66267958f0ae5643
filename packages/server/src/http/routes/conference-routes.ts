import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ConferenceInviteBody, Id, Participant } from '@parlour/protocol';
import { Type } from 'typebox';
import { STAFF } from '../../principal.js';
import { requireUser } from '../access.js';
import type { Services } from '../services.js';

const Params = Type.Object({ conversationId: Id });

/** Conference (seed 004): a second agent in a chat, invited by the agent who has it. */
export const conferenceRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (
  app,
  { services },
) => {
  const { conference } = services;

  app.post(
    '/api/conversations/:conversationId/conference',
    {
      config: { access: STAFF },
      schema: {
        tags: ['routing'],
        summary:
          'Invite a second agent into the chat (Conference requested); by the agent who has it or a supervisor',
        params: Params,
        body: ConferenceInviteBody,
        response: { 201: Participant },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await conference.invite(
            requireUser(request),
            request.params.conversationId,
            request.body.agentId,
          ),
        ),
  );
  app.post(
    '/api/conversations/:conversationId/conference/accept',
    {
      config: { access: STAFF },
      schema: {
        tags: ['routing'],
        summary:
          'The invited agent joins the chat (Conference); the customer sees that they joined',
        params: Params,
        response: { 200: Participant },
      },
    },
    async (request) => conference.accept(requireUser(request), request.params.conversationId),
  );
  app.post(
    '/api/conversations/:conversationId/conference/decline',
    {
      config: { access: STAFF },
      schema: {
        tags: ['routing'],
        summary: 'The invited agent declines the conference',
        params: Params,
        response: { 200: Participant },
      },
    },
    async (request) => conference.decline(requireUser(request), request.params.conversationId),
  );
  app.post(
    '/api/conversations/:conversationId/conference/end',
    {
      config: { access: STAFF },
      schema: {
        tags: ['routing'],
        summary:
          'End the conference (either agent, or a supervisor): the guest leaves, the chat stays with its agent',
        params: Params,
        response: { 200: Participant },
      },
    },
    async (request) => conference.end(requireUser(request), request.params.conversationId),
  );
  app.get(
    '/api/conversations/:conversationId/participants',
    {
      config: { access: STAFF },
      schema: {
        tags: ['routing'],
        summary: 'Agents invited into the chat besides its assignee, and their state',
        params: Params,
        response: { 200: Type.Array(Participant) },
      },
    },
    async (request) => conference.participants(request.params.conversationId),
  );
};
