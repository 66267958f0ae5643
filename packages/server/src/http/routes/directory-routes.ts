import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  CreateGroupBody,
  CreateUserBody,
  Group,
  Id,
  Role,
  UpdateGroupBody,
  UpdateUserBody,
  User,
} from '@parlour/protocol';
import { Type } from 'typebox';
import { ADMINS, STAFF } from '../../principal.js';
import { requireUser } from '../access.js';
import type { Services } from '../services.js';

export const directoryRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (
  app,
  { services },
) => {
  const UserParams = Type.Object({ userId: Id });
  const GroupParams = Type.Object({ groupId: Id });

  app.get(
    '/api/users',
    {
      config: { access: STAFF },
      schema: {
        tags: ['directory'],
        summary: 'Staff members (agents, supervisors, admins)',
        querystring: Type.Object(
          { role: Type.Optional(Role), groupId: Type.Optional(Id) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(User) },
      },
    },
    async (request) =>
      services.directory.listUsers({
        ...(request.query.role ? { role: request.query.role } : {}),
        ...(request.query.groupId ? { groupId: request.query.groupId } : {}),
      }),
  );
  app.post(
    '/api/users',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['directory'],
        summary: 'Create a staff member',
        body: CreateUserBody,
        response: { 201: User },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await services.directory.createUser(request.body)),
  );
  app.get(
    '/api/users/:userId',
    {
      config: { access: STAFF },
      schema: {
        tags: ['directory'],
        summary: 'One staff member',
        params: UserParams,
        response: { 200: User },
      },
    },
    async (request) => services.directory.getUser(request.params.userId),
  );
  app.patch(
    '/api/users/:userId',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['directory'],
        summary: 'Change role, name, email, password or deactivate',
        params: UserParams,
        body: UpdateUserBody,
        response: { 200: User },
      },
    },
    async (request) =>
      services.directory.updateUser(request.params.userId, request.body, requireUser(request).id),
  );

  app.get(
    '/api/groups',
    {
      config: { access: STAFF },
      schema: {
        tags: ['directory'],
        summary: 'Groups (queues, teams) with their members',
        response: { 200: Type.Array(Group) },
      },
    },
    async () => services.directory.listGroups(),
  );
  app.post(
    '/api/groups',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['directory'],
        summary: 'Create a group',
        body: CreateGroupBody,
        response: { 201: Group },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await services.directory.createGroup(request.body)),
  );
  app.get(
    '/api/groups/:groupId',
    {
      config: { access: STAFF },
      schema: {
        tags: ['directory'],
        summary: 'One group',
        params: GroupParams,
        response: { 200: Group },
      },
    },
    async (request) => services.directory.getGroup(request.params.groupId),
  );
  app.patch(
    '/api/groups/:groupId',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['directory'],
        summary: 'Rename a group or set its members',
        params: GroupParams,
        body: UpdateGroupBody,
        response: { 200: Group },
      },
    },
    async (request) => services.directory.updateGroup(request.params.groupId, request.body),
  );
};
