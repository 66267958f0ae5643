import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';

export const systemRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/healthz',
    {
      config: { access: 'public' },
      schema: {
        tags: ['system'],
        summary: 'Liveness',
        response: { 200: Type.Object({ ok: Type.Boolean() }) },
      },
    },
    async () => ({ ok: true }),
  );
  app.get(
    '/api/openapi.json',
    {
      config: { access: 'public' },
      schema: { tags: ['system'], summary: 'This API, as OpenAPI 3' },
    },
    async () => app.swagger(),
  );
};
