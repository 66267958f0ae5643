import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Id, Nullable, Timestamp } from '@parlour/protocol';
import { Type } from 'typebox';
import { ADMINS } from '../../principal.js';
import type { Services } from '../services.js';

const AuditLogQuery = Type.Object(
  {
    actorId: Type.Optional(Id),
    action: Type.Optional(
      Type.String({ maxLength: 300, description: 'A route, e.g. "PATCH /api/settings"' }),
    ),
    since: Type.Optional(Timestamp),
    until: Type.Optional(Timestamp),
    cursor: Type.Optional(
      Type.String({ maxLength: 20, description: 'nextCursor of the page before' }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);

const AuditEntry = Type.Object({
  id: Type.String(),
  at: Timestamp,
  actor: Type.Object({
    type: Type.Union([Type.Literal('user'), Type.Literal('end_user')]),
    id: Id,
    role: Nullable(Type.String()),
  }),
  action: Type.String(),
  resource: Nullable(Type.String()),
  changes: Type.Unknown({
    description: 'The request body; secrets are "[secret]", card data masked',
  }),
  ip: Nullable(Type.String()),
  userAgent: Nullable(Type.String()),
  status: Type.Integer({ description: '403: an attempt that was refused' }),
});

const AuditPage = Type.Object({
  entries: Type.Array(AuditEntry),
  nextCursor: Nullable(Type.String()),
});

/** The audit log of admin and configuration changes (append-only), for admins. */
export const auditRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (
  app,
  { services },
) => {
  app.get(
    '/api/audit-log',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['audit'],
        summary:
          'Who changed what, when and from where (and refused attempts), newest first; filter by actor, action, time',
        querystring: AuditLogQuery,
        response: { 200: AuditPage },
      },
    },
    async (request) => services.audit.list(request.query),
  );
};
