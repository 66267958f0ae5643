import { timingSafeEqual, createHash } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DomainError } from '@parlour/core';
import { DeadEmail, Id, InboundEmailOutcome } from '@parlour/protocol';
import { Type } from 'typebox';
import { ADMINS } from '../../principal.js';
import type { Services } from '../services.js';

const SECRET_HEADER = 'x-parlour-email-secret';

function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** The email channel's edge: raw MIME from relays, and the outbox's dead emails for admins. */
export const emailRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (
  app,
  { services },
) => {
  const { emailInbound, emailSender } = services;
  const { inboundSecret, maxBytes: maxInboundBytes } = emailInbound.options;
  // Raw MIME, as the relay received it (scoped to this plugin: the rest of the API speaks JSON).
  app.addContentTypeParser(
    'message/rfc822',
    { parseAs: 'buffer', bodyLimit: maxInboundBytes },
    (_request, body, done) => done(null, body),
  );

  app.post(
    '/api/email/inbound',
    {
      // Authenticated inside: the relay's shared secret (X-Parlour-Email-Secret), or an admin token.
      config: { access: 'public', pci: 'self' },
      bodyLimit: maxInboundBytes,
      schema: {
        tags: ['email'],
        summary:
          'Hand Parlour one email as raw MIME (Content-Type: message/rfc822), with the X-Parlour-Email-Secret header or an admin token',
        response: { 200: InboundEmailOutcome },
      },
    },
    async (request) => {
      if (!Buffer.isBuffer(request.body))
        throw new DomainError(
          'email/malformed',
          'Send the email as raw MIME with Content-Type: message/rfc822',
          'content-type',
        );
      const secret = request.headers[SECRET_HEADER];
      const bySecret =
        inboundSecret !== undefined &&
        typeof secret === 'string' &&
        sameSecret(secret, inboundSecret);
      if (!bySecret) {
        const p = request.principal;
        if (!p && typeof secret !== 'string')
          throw new DomainError('auth/unauthenticated', 'Send the relay secret or an admin token');
        if (!p || p.kind !== 'user' || p.role !== 'admin')
          throw new DomainError('auth/forbidden', 'This needs the relay secret or an admin token');
      }
      return emailInbound.receive(request.body, { recipients: [] });
    },
  );

  app.get(
    '/api/email/dead',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['email'],
        summary: 'Outgoing emails the sender gave up on (after every retry, or refused for good)',
        response: { 200: Type.Array(DeadEmail) },
      },
    },
    async () =>
      (await emailSender.listDead()).map((e) => ({
        id: e.id,
        ticketId: e.ticketId,
        to: e.to,
        subject: e.subject,
        kind: e.kind,
        attempts: e.attempts,
        lastError: e.lastError,
        createdAt: e.createdAt.toISOString(),
      })),
  );
  app.post(
    '/api/email/dead/:emailId/retry',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['email'],
        summary: 'Queue a dead email again with a fresh round of tries',
        params: Type.Object({ emailId: Id }),
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await emailSender.retry(request.params.emailId);
      return reply.code(204).send(null);
    },
  );
};
