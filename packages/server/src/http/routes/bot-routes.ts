import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  BotArticle,
  BotFlowRecord,
  CreateBotArticleBody,
  Id,
  SaveBotFlowBody,
  UpdateBotArticleBody,
} from '@parlour/protocol';
import { Type } from 'typebox';
import { ADMINS, MANAGERS, STAFF } from '../../principal.js';
import { requireUser } from '../access.js';
import type { Services } from '../services.js';

const ArticleParams = Type.Object({ articleId: Id });
const SaveFlowQuery = Type.Object(
  { expectedVersion: Type.Optional(Type.Integer({ minimum: 0 })) },
  { additionalProperties: false },
);

/** The conversation bot: its flow (admins edit, supervisors read) and the articles it answers from. */
export const botRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (
  app,
  { services },
) => {
  const { bot } = services;

  app.get(
    '/api/bot/flow',
    {
      config: { access: MANAGERS },
      schema: {
        tags: ['bot'],
        summary: 'The bot flow and its version (flow null: no bot yet)',
        response: { 200: BotFlowRecord },
      },
    },
    async () => bot.flow(),
  );
  app.put(
    '/api/bot/flow',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['bot'],
        summary:
          'Save the bot flow as the next version (checked whole: nodes, buttons, groups, skills)',
        querystring: SaveFlowQuery,
        body: SaveBotFlowBody,
        response: { 200: BotFlowRecord },
      },
    },
    async (request) =>
      bot.saveFlow(requireUser(request).id, request.body, request.query.expectedVersion),
  );
  app.get(
    '/api/bot/articles',
    {
      config: { access: STAFF },
      schema: {
        tags: ['bot'],
        summary: 'The articles the bot answers from',
        response: { 200: Type.Array(BotArticle) },
      },
    },
    async () => bot.articles(),
  );
  app.post(
    '/api/bot/articles',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['bot'],
        summary: 'Add an article',
        body: CreateBotArticleBody,
        response: { 201: BotArticle },
      },
    },
    async (request, reply) => reply.code(201).send(await bot.createArticle(request.body)),
  );
  app.patch(
    '/api/bot/articles/:articleId',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['bot'],
        summary: 'Change an article',
        params: ArticleParams,
        body: UpdateBotArticleBody,
        response: { 200: BotArticle },
      },
    },
    async (request) => bot.updateArticle(request.params.articleId, request.body),
  );
  app.delete(
    '/api/bot/articles/:articleId',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['bot'],
        summary: 'Delete an article',
        params: ArticleParams,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await bot.deleteArticle(request.params.articleId);
      return reply.code(204).send(null);
    },
  );
};
