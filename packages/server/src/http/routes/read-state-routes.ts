import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { UnreadCounts } from '@parlour/protocol';
import { STAFF } from '../../principal.js';
import { requireUser } from '../access.js';
import type { Services } from '../services.js';

/** Read state over HTTP: agents' unread counts (reads themselves are socket frames). */
export const readStateRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (
  app,
  { services },
) => {
  app.get(
    '/api/agents/me/unread',
    {
      config: { access: STAFF },
      schema: {
        tags: ['realtime'],
        summary:
          'Unread messages (from others, after your read seq) in the chats assigned to you and your conferences',
        response: { 200: UnreadCounts },
      },
    },
    async (request) => services.reads.unread(requireUser(request).id),
  );
};
