import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  AgentPresence,
  CapacityBody,
  CreateNamedBody,
  GroupRouting,
  GroupRoutingBody,
  Id,
  NamedItem,
  Offer,
  QueueEntry,
  RoutingSettings,
  RoutingSettingsBody,
  SetStatusBody,
  TransferBody,
} from '@parlour/protocol';
import { Type } from 'typebox';
import { ADMINS, MANAGERS, STAFF, actorOf } from '../../principal.js';
import { requireUser } from '../access.js';
import type { Services } from '../services.js';

const UserParams = Type.Object({ userId: Id });
const Done = Type.Object({ ok: Type.Literal(true) });
const StatusReply = Type.Object({ status: Type.String() });
const IdleReason = Type.Object({ id: Id, name: Type.String(), active: Type.Boolean() });
const SkillIdsBody = Type.Object(
  { skillIds: Type.Array(Id, { maxItems: 200 }) },
  { additionalProperties: false },
);

export const routingRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (
  app,
  { services },
) => {
  const { routing, agentStatus, routingAdmin } = services;

  app.get(
    '/api/agents',
    {
      config: { access: STAFF },
      schema: {
        tags: ['routing'],
        summary: 'Staff with status, presence, capacity and load (the transfer list)',
        response: { 200: Type.Array(AgentPresence) },
      },
    },
    async () => routingAdmin.agents(),
  );
  app.put(
    '/api/agents/me/status',
    {
      config: { access: STAFF },
      schema: {
        tags: ['routing'],
        summary: 'Set your status: available, idle (with a reason) or offline',
        body: SetStatusBody,
        response: { 200: StatusReply },
      },
    },
    async (request) =>
      agentStatus.set(
        requireUser(request).id,
        request.body.status,
        request.body.idleReasonId ?? null,
      ),
  );
  app.put(
    '/api/agents/:userId/status',
    {
      config: { access: MANAGERS },
      schema: {
        tags: ['routing'],
        summary: "Set an agent's status (supervisors)",
        params: UserParams,
        body: SetStatusBody,
        response: { 200: StatusReply },
      },
    },
    // A supervisor manages only agents who share one of their groups (403 otherwise).
    async (request) =>
      services.liveActions.setStatus(
        requireUser(request),
        request.params.userId,
        request.body.status,
        request.body.idleReasonId ?? null,
      ),
  );
  app.get(
    '/api/agents/:userId/status-events',
    {
      config: { access: MANAGERS },
      schema: {
        tags: ['routing'],
        summary: "An agent's status changes, newest first",
        params: UserParams,
        response: {
          200: Type.Array(
            Type.Object({
              id: Type.String(),
              from: Type.String(),
              to: Type.String(),
              idleReasonId: Type.Union([Id, Type.Null()]),
              cause: Type.String(),
              at: Type.String(),
            }),
          ),
        },
      },
    },
    async (request) => routingAdmin.statusEvents(request.params.userId),
  );
  app.put(
    '/api/agents/:userId/capacity',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['routing'],
        summary: "An agent's capacity per channel (null: the default)",
        params: UserParams,
        body: CapacityBody,
        response: { 200: Done },
      },
    },
    async (request) => {
      await routingAdmin.setCapacity(request.params.userId, request.body);
      return { ok: true as const };
    },
  );
  app.put(
    '/api/agents/:userId/skills',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['routing'],
        summary: "An agent's skills",
        params: UserParams,
        body: SkillIdsBody,
        response: { 200: Done },
      },
    },
    async (request) => {
      await routingAdmin.setSkills(request.params.userId, request.body.skillIds);
      return { ok: true as const };
    },
  );
  app.get(
    '/api/agents/me/offers',
    {
      config: { access: STAFF },
      schema: {
        tags: ['routing'],
        summary: 'Your pending offers',
        response: { 200: Type.Array(Offer) },
      },
    },
    async (request) => routing.pendingFor(requireUser(request).id),
  );
  app.post(
    '/api/offers/:offerId/accept',
    {
      config: { access: STAFF },
      schema: {
        tags: ['routing'],
        summary: 'Accept an offer: the ticket becomes yours and Open',
        params: Type.Object({ offerId: Id }),
        response: { 200: Done },
      },
    },
    async (request) => {
      await routing.accept(requireUser(request).id, request.params.offerId);
      return { ok: true as const };
    },
  );
  app.post(
    '/api/offers/:offerId/decline',
    {
      config: { access: STAFF },
      schema: {
        tags: ['routing'],
        summary: 'Decline an offer: it goes to the next agent',
        params: Type.Object({ offerId: Id }),
        response: { 200: Done },
      },
    },
    async (request) => {
      await routing.decline(requireUser(request).id, request.params.offerId);
      return { ok: true as const };
    },
  );
  app.get(
    '/api/routing/queue',
    {
      config: { access: STAFF },
      schema: {
        tags: ['routing'],
        summary: 'The live queue: each waiting ticket, its wait, and why it still waits',
        response: { 200: Type.Array(QueueEntry) },
      },
    },
    async () => routing.liveQueue(),
  );
  app.get(
    '/api/routing/settings',
    {
      config: { access: STAFF },
      schema: {
        tags: ['routing'],
        summary: 'Default capacities and presence grace',
        response: { 200: RoutingSettings },
      },
    },
    async () => routingAdmin.settings(),
  );
  app.patch(
    '/api/routing/settings',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['routing'],
        summary: 'Change default capacities or presence grace',
        body: RoutingSettingsBody,
        response: { 200: RoutingSettings },
      },
    },
    async (request) => routingAdmin.updateSettings(request.body),
  );
  app.get(
    '/api/groups/:groupId/routing',
    {
      config: { access: STAFF },
      schema: {
        tags: ['routing'],
        summary: "A queue's routing settings",
        params: Type.Object({ groupId: Id }),
        response: { 200: GroupRouting },
      },
    },
    async (request) => routingAdmin.groupRouting(request.params.groupId),
  );
  app.patch(
    '/api/groups/:groupId/routing',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['routing'],
        summary:
          'Strategy, offer timeout, auto-accept, reassign-after, skill relaxation, overflow, only-online',
        params: Type.Object({ groupId: Id }),
        body: GroupRoutingBody,
        response: { 200: GroupRouting },
      },
    },
    async (request) => routingAdmin.updateGroupRouting(request.params.groupId, request.body),
  );
  app.get(
    '/api/skills',
    {
      config: { access: STAFF },
      schema: { tags: ['routing'], summary: 'Skills', response: { 200: Type.Array(NamedItem) } },
    },
    async () => routingAdmin.skills(),
  );
  app.post(
    '/api/skills',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['routing'],
        summary: 'Create a skill',
        body: CreateNamedBody,
        response: { 201: NamedItem },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await routingAdmin.createSkill(request.body.name)),
  );
  app.patch(
    '/api/skills/:skillId',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['routing'],
        summary: 'Rename a skill',
        params: Type.Object({ skillId: Id }),
        body: CreateNamedBody,
        response: { 200: NamedItem },
      },
    },
    async (request) => routingAdmin.renameSkill(request.params.skillId, request.body.name),
  );
  app.delete(
    '/api/skills/:skillId',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['routing'],
        summary:
          'Delete a skill (agents lose it); refused while a waiting ticket, rule, workflow or the bot flow needs it',
        params: Type.Object({ skillId: Id }),
        response: { 200: Done },
      },
    },
    async (request) => {
      await routingAdmin.deleteSkill(request.params.skillId);
      return { ok: true as const };
    },
  );
  app.get(
    '/api/idle-reasons',
    {
      config: { access: STAFF },
      schema: {
        tags: ['routing'],
        summary: 'Reasons agents give for Idle',
        response: { 200: Type.Array(IdleReason) },
      },
    },
    async () => routingAdmin.idleReasons(),
  );
  app.post(
    '/api/idle-reasons',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['routing'],
        summary: 'Create an idle reason',
        body: CreateNamedBody,
        response: { 201: IdleReason },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await routingAdmin.createIdleReason(request.body.name)),
  );
  app.patch(
    '/api/idle-reasons/:idleReasonId',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['routing'],
        summary: 'Rename or retire an idle reason',
        params: Type.Object({ idleReasonId: Id }),
        body: Type.Object(
          {
            name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
            active: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: IdleReason },
      },
    },
    async (request) => routingAdmin.updateIdleReason(request.params.idleReasonId, request.body),
  );
  app.put(
    '/api/tickets/:ticketId/required-skills',
    {
      config: { access: STAFF },
      schema: {
        tags: ['routing'],
        summary: 'Skills an agent needs to be offered this ticket',
        params: Type.Object({ ticketId: Id }),
        body: SkillIdsBody,
        response: { 200: Done },
      },
    },
    async (request) => {
      await routing.setRequiredSkills(request.params.ticketId, request.body.skillIds);
      return { ok: true as const };
    },
  );
  app.post(
    '/api/tickets/:ticketId/transfer',
    {
      config: { access: STAFF },
      schema: {
        tags: ['routing'],
        summary:
          'Transfer to a queue ({groupId}) or to an agent ({agentId}; refused when they are Offline)',
        params: Type.Object({ ticketId: Id }),
        body: TransferBody,
        response: { 200: Done },
      },
    },
    async (request) => {
      await routing.transfer(actorOf(requireUser(request)), request.params.ticketId, request.body);
      return { ok: true as const };
    },
  );
};
