import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DomainError } from '@parlour/core';
import {
  AttachmentIds,
  Conversation,
  EndSessionBody,
  FeedEntry,
  HandoffBody,
  Id,
  Message,
  PostMessageBody,
  StartConversationBody,
  Ticket,
} from '@parlour/protocol';
import { Type } from 'typebox';
import { actorOf, ALL_ACCESS } from '../../principal.js';
import { requireEndUser, requirePrincipal } from '../access.js';
import type { Services } from '../services.js';
import { messageDto } from '../../services/dto.js';

const Params = Type.Object({ conversationId: Id });
const Posted = Type.Object({ message: Message, duplicate: Type.Boolean() });
const WidgetPosted = Type.Object({
  conversationId: Id,
  started: Type.Boolean(),
  message: Message,
  duplicate: Type.Boolean(),
});

export const conversationRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (
  app,
  { services },
) => {
  app.post(
    '/api/conversations',
    {
      config: { access: ['end_user'], pci: 'self' },
      schema: {
        tags: ['conversations'],
        summary:
          'An end user starts a messaging conversation (and its session), optionally with a first message',
        body: StartConversationBody,
        response: {
          201: Type.Object({
            conversation: Conversation,
            message: Type.Union([Message, Type.Null()]),
          }),
        },
      },
    },
    async (request, reply) => {
      const endUser = requireEndUser(request);
      const { body, clientMessageId } = request.body;
      const result = await services.conversations.start(
        endUser.id,
        body !== undefined ? { body, clientMessageId: clientMessageId ?? null } : undefined,
      );
      return reply.code(201).send({
        conversation: result.conversation,
        message: result.message ? messageDto(result.message) : null,
      });
    },
  );

  app.get(
    '/api/conversations',
    {
      config: { access: ['end_user'] },
      schema: {
        tags: ['conversations'],
        summary: "The end user's own conversations, newest first",
        response: { 200: Type.Array(Conversation) },
      },
    },
    async (request) => services.conversations.listMine(requireEndUser(request).id),
  );

  app.post(
    '/api/widget/messages',
    {
      config: { access: ['end_user'], pci: 'self' },
      schema: {
        tags: ['widget'],
        summary: 'Write to "my conversation": the open one whose session is active, or a new one',
        body: Type.Object(
          {
            body: Type.String({ maxLength: 10_000 }),
            clientMessageId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
            attachmentIds: Type.Optional(AttachmentIds),
          },
          { additionalProperties: false },
        ),
        response: { 201: WidgetPosted, 200: WidgetPosted },
      },
    },
    async (request, reply) => {
      const endUser = requireEndUser(request);
      const r = await services.conversations.postFromWidget(
        endUser.id,
        request.body.body,
        request.body.clientMessageId ?? null,
        request.body.attachmentIds,
      );
      return reply.code(r.duplicate ? 200 : 201).send({
        conversationId: r.conversationId,
        started: r.started,
        message: request.body.attachmentIds?.length
          ? await services.attachments.messageDto(r.message)
          : messageDto(r.message),
        duplicate: r.duplicate,
      });
    },
  );

  app.get(
    '/api/conversations/:conversationId',
    {
      config: { access: ALL_ACCESS },
      schema: {
        tags: ['conversations'],
        summary: 'One conversation with its session',
        params: Params,
        response: { 200: Conversation },
      },
    },
    async (request) =>
      services.conversations.get(requirePrincipal(request), request.params.conversationId),
  );

  app.get(
    '/api/conversations/:conversationId/events',
    {
      config: { access: ALL_ACCESS },
      schema: {
        tags: ['conversations'],
        summary:
          'The conversation feed after a sequence number (what a reconnecting client missed)',
        params: Params,
        querystring: Type.Object(
          {
            after: Type.Integer({ minimum: 0, default: 0 }),
            limit: Type.Integer({ minimum: 1, maximum: 500, default: 500 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(FeedEntry) },
      },
    },
    async (request) =>
      services.conversations.feed(
        requirePrincipal(request),
        request.params.conversationId,
        request.query.after,
        request.query.limit,
      ),
  );

  app.post(
    '/api/conversations/:conversationId/messages',
    {
      config: { access: ALL_ACCESS, pci: 'self' },
      schema: {
        tags: ['conversations'],
        summary:
          'Post a public reply or (staff) an internal note; a repeated clientMessageId is stored once',
        params: Params,
        body: PostMessageBody,
        response: { 201: Posted, 200: Posted },
      },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      const posted = await services.messages.post({
        actor: actorOf(principal),
        conversationId: request.params.conversationId,
        kind: request.body.kind ?? 'public',
        channel: request.body.channel,
        body: request.body.body,
        clientMessageId: request.body.clientMessageId ?? null,
        attachmentIds: request.body.attachmentIds,
      });
      const message = request.body.attachmentIds?.length
        ? await services.attachments.messageDto(posted.message)
        : messageDto(posted.message);
      return reply
        .code(posted.duplicate ? 200 : 201)
        .send({ message, duplicate: posted.duplicate });
    },
  );

  app.post(
    '/api/conversations/:conversationId/handoff',
    {
      config: { access: ALL_ACCESS, pci: 'self' },
      schema: {
        tags: ['conversations'],
        summary: 'Hand the conversation to people: its ticket is created, New, in the chosen group',
        params: Params,
        body: HandoffBody,
        response: { 201: Ticket },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await services.conversations.handOff(
            requirePrincipal(request),
            request.params.conversationId,
            request.body,
          ),
        ),
  );

  app.post(
    '/api/conversations/:conversationId/end-session',
    {
      config: { access: ALL_ACCESS },
      schema: {
        tags: ['conversations'],
        summary: 'End the messaging session: an agent ends it (if allowed) or the customer leaves',
        params: Params,
        body: EndSessionBody,
        response: { 200: Conversation },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      if (
        principal.kind === 'user' &&
        request.body.reason === 'ended_by_agent' &&
        !(await services.settings.current()).agentsMayEndSessions
      ) {
        throw new DomainError(
          'auth/forbidden',
          'An admin has not allowed agents to end sessions',
          'reason',
        );
      }
      if (request.body.wrapUpReasonIds && principal.kind !== 'user') {
        throw new DomainError(
          'auth/forbidden',
          'Only staff record wrap-up reasons',
          'wrapUpReasonIds',
        );
      }
      return services.conversations.endSession(
        principal,
        request.params.conversationId,
        request.body.reason,
        request.body.wrapUpReasonIds,
      );
    },
  );
};
