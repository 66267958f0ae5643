import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DomainError } from '@parlour/core';
import {
  ApiDelivery,
  ApiDeliveryQuery,
  ApiInboundMessageBody,
  ApiInboundResult,
  ApiInbox,
  ApiInboxWithSecret,
  CreateApiInboxBody,
  Id,
  Message,
  SendApiTemplateBody,
  UpdateApiInboxBody,
} from '@parlour/protocol';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { ADMINS, STAFF } from '../../principal.js';
import type { AuthenticatedInbound } from '../../services/api-channel/api-inbound.js';
import { messageDto } from '../../services/dto.js';
import { requirePrincipal } from '../access.js';
import type { Services } from '../services.js';

const InboxParams = Type.Object({ inboxId: Id });
const header = (request: FastifyRequest, name: string) => {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
};

/**
 * The API channel's edge: admins manage inboxes and see deliveries; integrations POST signed
 * inbound messages; agents send templates outside the reply window.
 */
export const apiChannelRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (
  app,
  { services },
) => {
  const { apiInboxes, apiInbound, apiOutbound } = services;
  // The signature covers the body's bytes exactly as sent: keep them (this plugin only).
  const rawBodies = new WeakMap<FastifyRequest, string>();
  const authenticated = new WeakMap<FastifyRequest, AuthenticatedInbound>();
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string;
    rawBodies.set(request, text);
    try {
      done(null, text === '' ? undefined : JSON.parse(text));
    } catch {
      done(new DomainError('validation/invalid', 'The body is not valid JSON', 'body'), undefined);
    }
  });

  app.post(
    '/api/channels/api/:inboxId/messages',
    {
      // Authenticated by the inbox's HMAC signature (checked before the body is validated).
      config: { access: 'public', pci: 'self' },
      schema: {
        tags: ['api-channel'],
        summary:
          'An integration delivers an inbound message: signed (X-Parlour-Timestamp, X-Parlour-Signature: v1=HMAC-SHA256(secret, "<timestamp>.<body>")) with an Idempotency-Key',
        params: InboxParams,
        body: ApiInboundMessageBody,
        response: { 200: ApiInboundResult, 201: ApiInboundResult },
      },
      preValidation: async (request) => {
        const { inboxId } = request.params as { inboxId: string };
        authenticated.set(
          request,
          await apiInbound.authenticate(
            inboxId,
            {
              timestamp: header(request, 'x-parlour-timestamp'),
              signature: header(request, 'x-parlour-signature'),
              idempotencyKey: header(request, 'idempotency-key'),
            },
            rawBodies.get(request) ?? '',
          ),
        );
      },
    },
    async (request, reply) => {
      const auth = authenticated.get(request);
      if (!auth) throw new DomainError('api-channel/bad-signature', 'Unsigned request');
      const result = await apiInbound.receive(auth, request.body);
      return reply.code(result.duplicate ? 200 : 201).send(result);
    },
  );

  app.get(
    '/api/channels/api/inboxes',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['api-channel'],
        summary: 'API-channel inboxes (never their secrets)',
        response: { 200: Type.Array(ApiInbox) },
      },
    },
    async () => apiInboxes.list(),
  );
  app.post(
    '/api/channels/api/inboxes',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['api-channel'],
        summary: 'Create an inbox: its signing secret is in this answer only',
        body: CreateApiInboxBody,
        response: { 201: ApiInboxWithSecret },
      },
    },
    async (request, reply) => reply.code(201).send(await apiInboxes.create(request.body)),
  );
  app.get(
    '/api/channels/api/inboxes/:inboxId',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['api-channel'],
        summary: 'One inbox (without its secret)',
        params: InboxParams,
        response: { 200: ApiInbox },
      },
    },
    async (request) => apiInboxes.get(request.params.inboxId),
  );
  app.patch(
    '/api/channels/api/inboxes/:inboxId',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['api-channel'],
        summary: "Change an inbox's name, webhook URL, default group, reply window or templates",
        params: InboxParams,
        body: UpdateApiInboxBody,
        response: { 200: ApiInbox },
      },
    },
    async (request) => apiInboxes.update(request.params.inboxId, request.body),
  );
  app.delete(
    '/api/channels/api/inboxes/:inboxId',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['api-channel'],
        summary: 'Delete an inbox (its conversations and tickets stay)',
        params: InboxParams,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await apiInboxes.remove(request.params.inboxId);
      return reply.code(204).send(null);
    },
  );
  app.post(
    '/api/channels/api/inboxes/:inboxId/rotate-secret',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['api-channel'],
        summary: 'A new signing secret, shown this once; the old one stops working at once',
        params: InboxParams,
        response: { 200: ApiInboxWithSecret },
      },
    },
    async (request) => apiInboxes.rotateSecret(request.params.inboxId),
  );
  app.get(
    '/api/channels/api/inboxes/:inboxId/deliveries',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['api-channel'],
        summary: "The inbox's outbound deliveries, newest first: pending, delivered or failed",
        params: InboxParams,
        querystring: ApiDeliveryQuery,
        response: { 200: Type.Array(ApiDelivery) },
      },
    },
    async (request) => apiOutbound.list(request.params.inboxId, request.query),
  );
  app.post(
    '/api/channels/api/inboxes/:inboxId/deliveries/:deliveryId/retry',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['api-channel'],
        summary: 'Give a failed (dead-lettered) delivery a fresh round of tries',
        params: Type.Object({ inboxId: Id, deliveryId: Id }),
        response: { 200: ApiDelivery },
      },
    },
    async (request) => apiOutbound.retry(request.params.inboxId, request.params.deliveryId),
  );
  app.post(
    '/api/conversations/:conversationId/templates',
    {
      config: { access: STAFF },
      schema: {
        tags: ['api-channel'],
        summary:
          "Send one of the API inbox's templates (by name, with its parameters): allowed outside the reply window",
        params: Type.Object({ conversationId: Id }),
        body: SendApiTemplateBody,
        response: { 201: Type.Object({ message: Message }) },
      },
    },
    async (request, reply) => {
      const message = await apiOutbound.sendTemplate(
        requirePrincipal(request),
        request.params.conversationId,
        request.body,
      );
      return reply.code(201).send({ message: messageDto(message) });
    },
  );
};
