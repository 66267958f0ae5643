import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  ApiTokenInfo,
  CreateApiTokenBody,
  CreatedApiToken,
  Id,
  LoginBody,
  LoginReply,
  User,
  WidgetSessionBody,
  WidgetSessionReply,
} from '@parlour/protocol';
import { Type } from 'typebox';
import { ADMINS, STAFF } from '../../principal.js';
import { SESSION_COOKIE, requireUser, tokenOf } from '../access.js';
import type { Services } from '../services.js';

export const authRoutes: FastifyPluginAsyncTypebox<{
  services: Services;
  secureCookies: boolean;
}> = async (app, { services, secureCookies }) => {
  app.post(
    '/api/auth/login',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Log in as staff: a session cookie and a bearer token',
        body: LoginBody,
        response: { 200: LoginReply },
      },
    },
    async (request, reply) => {
      const result = await services.auth.login(
        request.ip,
        request.body.email,
        request.body.password,
      );
      void reply.setCookie(SESSION_COOKIE, result.token, {
        httpOnly: true,
        sameSite: 'strict',
        secure: secureCookies,
        path: '/',
        expires: new Date(result.expiresAt),
      });
      return result;
    },
  );

  app.post(
    '/api/auth/logout',
    {
      config: { access: STAFF },
      schema: { tags: ['auth'], summary: 'End this login session', response: { 204: Type.Null() } },
    },
    async (request, reply) => {
      const token = tokenOf(request);
      if (token?.startsWith('pls_')) await services.auth.logout(token);
      void reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/me',
    {
      config: { access: STAFF },
      schema: { tags: ['auth'], summary: 'The logged-in staff member', response: { 200: User } },
    },
    async (request) => services.directory.getUser(requireUser(request).id),
  );

  app.get(
    '/api/api-tokens',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['auth'],
        summary: 'Long-lived API tokens (without their secret)',
        response: { 200: Type.Array(ApiTokenInfo) },
      },
    },
    async () => services.auth.listApiTokens(),
  );

  app.post(
    '/api/api-tokens',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['auth'],
        summary: 'Create an API token acting as you; the token is shown once',
        body: CreateApiTokenBody,
        response: { 201: CreatedApiToken },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await services.auth.createApiToken(requireUser(request), request.body.name)),
  );

  app.delete(
    '/api/api-tokens/:tokenId',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['auth'],
        summary: 'Revoke an API token',
        params: Type.Object({ tokenId: Id }),
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await services.auth.revokeApiToken(request.params.tokenId);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/widget/session',
    {
      config: { access: 'public' },
      schema: {
        tags: ['widget'],
        summary:
          'A widget visitor gets a token: anonymous, the same visitor again, or verified by the company JWT',
        body: WidgetSessionBody,
        response: { 200: WidgetSessionReply },
      },
    },
    async (request) => services.auth.widgetSession(request.body),
  );
};
