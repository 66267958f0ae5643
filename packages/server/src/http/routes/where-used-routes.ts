import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { WhereUsedQuery, WhereUsedResult } from '@parlour/protocol';
import { MANAGERS } from '../../principal.js';
import { requireUser } from '../access.js';
import type { Services } from '../services.js';

/** Where a group, an agent, a tag or a rule field is used (admins and supervisors). */
export const whereUsedRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (
  app,
  { services },
) => {
  app.get(
    '/api/where-used',
    {
      config: { access: MANAGERS },
      schema: {
        tags: ['rules'],
        summary:
          'Every trigger, automation, workflow (draft and published), macro and bot flow handoff that refers to a group, agent, tag or field, and where inside',
        querystring: WhereUsedQuery,
        response: { 200: WhereUsedResult },
      },
    },
    async (request) => services.whereUsed.find(request.query, requireUser(request).id),
  );
};
