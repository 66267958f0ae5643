import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  CsatAnswerBody,
  CsatSurveyView,
  CsatTokenParams,
  Id,
  TicketSatisfaction,
  WebhookDelivery,
  WebhookDeliveryQuery,
  WebhookSigningSecret,
  WidgetCsatAnswerBody,
} from '@parlour/protocol';
import { Type } from 'typebox';
import { ADMINS, MANAGERS, STAFF } from '../../principal.js';
import {
  CSAT_PAGE_HEADERS,
  CSAT_PAGE_HTML,
  CSAT_PAGE_SCRIPT,
  CSAT_PAGE_SCRIPT_PATH,
} from '../../services/outbound/csat-page.js';
import { requireEndUser } from '../access.js';
import type { Services } from '../services.js';

const Text = (mime: string) => ({ content: { [mime]: { schema: Type.String() } } });

/** CSAT answers (by link or in the widget), a ticket's satisfaction, webhook outcomes. */
export const outboundRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (
  app,
  { services },
) => {
  const { csat, webhooks } = services;

  app.get(
    '/api/csat/:token',
    {
      config: { access: 'public' },
      schema: {
        tags: ['csat'],
        summary: 'A survey by the token of its link: question, ticket number, answered or expired',
        params: CsatTokenParams,
        response: { 200: CsatSurveyView },
      },
    },
    async (request) => csat.view(request.params.token),
  );
  app.post(
    '/api/csat/:token',
    {
      config: { access: 'public' },
      schema: {
        tags: ['csat'],
        summary: 'Answer a survey through its link (once per ticket; 410 once expired)',
        params: CsatTokenParams,
        body: CsatAnswerBody,
        response: { 200: CsatSurveyView },
      },
    },
    async (request) => csat.answerByToken(request.params.token, request.body),
  );
  app.post(
    '/api/conversations/:conversationId/csat',
    {
      config: { access: ['end_user'] },
      schema: {
        tags: ['csat'],
        summary: 'Answer the survey the widget showed (csat.requested) in your conversation',
        params: Type.Object({ conversationId: Id }),
        body: WidgetCsatAnswerBody,
        response: { 200: CsatSurveyView },
      },
    },
    async (request) =>
      csat.answerInWidget(requireEndUser(request), request.params.conversationId, request.body),
  );
  app.get(
    '/api/tickets/:ticketId/csat',
    {
      config: { access: STAFF },
      schema: {
        tags: ['csat'],
        summary: "The ticket's satisfaction rating and the surveys it was sent",
        params: Type.Object({ ticketId: Id }),
        response: { 200: TicketSatisfaction },
      },
    },
    async (request) => csat.ofTicket(request.params.ticketId),
  );
  app.get(
    '/csat/:token',
    {
      config: { access: 'public' },
      schema: {
        tags: ['csat'],
        summary: 'The page an emailed survey link opens (HTML)',
        params: CsatTokenParams,
        response: { 200: Text('text/html') },
      },
    },
    async (_request, reply) =>
      reply.headers(CSAT_PAGE_HEADERS).type('text/html; charset=utf-8').send(CSAT_PAGE_HTML),
  );
  app.get(
    CSAT_PAGE_SCRIPT_PATH,
    {
      config: { access: 'public' },
      schema: {
        tags: ['csat'],
        summary: "The survey page's script",
        response: { 200: Text('text/javascript') },
      },
    },
    async (_request, reply) =>
      reply
        .headers({ 'x-content-type-options': 'nosniff', 'cache-control': 'public, max-age=300' })
        .type('text/javascript; charset=utf-8')
        .send(CSAT_PAGE_SCRIPT),
  );

  app.get(
    '/api/webhook-deliveries',
    {
      config: { access: MANAGERS },
      schema: {
        tags: ['webhooks'],
        summary: 'Webhook deliveries of rules, newest first: pending, delivered or failed',
        querystring: WebhookDeliveryQuery,
        response: { 200: Type.Array(WebhookDelivery) },
      },
    },
    async (request) => webhooks.list(request.query),
  );
  app.post(
    '/api/webhook-deliveries/:deliveryId/retry',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['webhooks'],
        summary: 'Give a failed (dead-lettered) delivery a fresh round of tries',
        params: Type.Object({ deliveryId: Id }),
        response: { 200: WebhookDelivery },
      },
    },
    async (request) => webhooks.retry(request.params.deliveryId),
  );
  app.get(
    '/api/settings/webhook-secret',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['webhooks'],
        summary:
          'The key of X-Parlour-Signature: v1=HMAC-SHA256(secret, "<X-Parlour-Timestamp>.<body>") in hex',
        response: { 200: WebhookSigningSecret },
      },
    },
    async () => ({ secret: await webhooks.signingSecret() }),
  );
};
