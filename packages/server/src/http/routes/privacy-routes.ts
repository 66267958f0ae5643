import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  EndUserExport,
  EndUserParams,
  EndUserSearchQuery,
  EndUserSummary,
  ErasureSummary,
} from '@parlour/protocol';
import { Type } from 'typebox';
import { ADMINS, MANAGERS } from '../../principal.js';
import type { Services } from '../services.js';

/** GDPR requests about an end user: find, export (access), erase. */
export const privacyRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (
  app,
  { services },
) => {
  app.get(
    '/api/end-users',
    {
      config: { access: MANAGERS },
      schema: {
        tags: ['privacy'],
        summary: 'Find end users (customers) by email or external id',
        querystring: EndUserSearchQuery,
        response: { 200: Type.Array(EndUserSummary) },
      },
    },
    async (request) => services.privacy.find(request.query),
  );
  app.get(
    '/api/end-users/:endUserId/export',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['privacy'],
        summary: 'Everything kept about an end user, as one JSON document (GDPR access)',
        description:
          'Profile, conversations (what the person saw), tickets they requested with their history, wrap-ups, satisfaction answers and webhook deliveries, emails sent to them, and attachments. Staff internal notes about the person are personal data too: they are included, apart, in `internalNotes`. Served as a download (Content-Disposition).',
        params: EndUserParams,
        response: { 200: EndUserExport },
      },
    },
    async (request, reply) => {
      const document = await services.privacy.export(request.params.endUserId);
      return reply
        .header(
          'content-disposition',
          `attachment; filename="end-user-${request.params.endUserId}.json"`,
        )
        .send(document);
    },
  );
  app.delete(
    '/api/end-users/:endUserId',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['privacy'],
        summary: 'Erase an end user and everything of theirs (GDPR erasure)',
        description:
          'Deletes, in one transaction, their profile, conversations, messages (internal notes included), tickets with their history, satisfaction answers, emails, webhook deliveries, workflow runs and timers; then their attachment files. Works during a live chat too (the chat simply disappears). Returns the rows deleted per table.',
        params: EndUserParams,
        response: { 200: ErasureSummary },
      },
    },
    async (request) => services.privacy.erase(request.params.endUserId),
  );
};
