import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { PROMETHEUS_CONTENT_TYPE } from '../../metrics/registry.js';
import { ADMINS } from '../../principal.js';
import type { Services } from '../services.js';

/**
 * Prometheus metrics, text format 0.0.4. Admins only: a scraper authenticates with an admin's API
 * token as a bearer token (Prometheus `authorization: { credentials: <token> }`), like any client.
 */
export const metricsRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (
  app,
  { services },
) => {
  app.get(
    '/metrics',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['system'],
        summary:
          'Prometheus metrics: sockets, queue lengths, offers, routed, message delivery latency, timer lag, database pool',
        response: { 200: Type.String() },
      },
    },
    async (_request, reply) =>
      reply.type(PROMETHEUS_CONTENT_TYPE).send(await services.metrics.expose()),
  );
};
