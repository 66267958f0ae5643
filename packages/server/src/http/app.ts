import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import websocket from '@fastify/websocket';
import { registerAjvFormats, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { PROTOCOL_VERSION } from '@parlour/protocol';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
} from 'fastify';
import type { Logger } from 'pino';
import { accessHook } from './access.js';
import { staticRoutes } from './routes/static-routes.js';
import { auditHook } from './audit-hook.js';
import { contentGuardHook } from './content-guard-hook.js';
import { toErrorReply } from './error-mapping.js';
import { ipRateLimitHook, tokenRateLimitHook, type HttpRateLimits } from './rate-limit-hook.js';
import { auditRoutes } from './routes/audit-routes.js';
import { attachmentRoutes } from './routes/attachment-routes.js';
import { authRoutes } from './routes/auth-routes.js';
import { conferenceRoutes } from './routes/conference-routes.js';
import { conversationRoutes } from './routes/conversation-routes.js';
import { directoryRoutes } from './routes/directory-routes.js';
import { settingsRoutes } from './routes/settings-routes.js';
import { systemRoutes } from './routes/system-routes.js';
import { routingRoutes } from './routes/routing-routes.js';
import { ticketRoutes } from './routes/ticket-routes.js';
import { rulesRoutes } from './routes/rules-routes.js';
import { agentToolsRoutes } from './routes/agent-tools-routes.js';
import { outboundRoutes } from './routes/outbound-routes.js';
import { emailRoutes } from './routes/email-routes.js';
import { apiChannelRoutes } from './routes/api-channel-routes.js';
import { workflowRoutes } from './routes/workflow-routes.js';
import { privacyRoutes } from './routes/privacy-routes.js';
import { botRoutes } from './routes/bot-routes.js';
import { readStateRoutes } from './routes/read-state-routes.js';
import { reportRoutes } from './routes/report-routes.js';
import { liveViewRoutes } from './routes/live-view-routes.js';
import { metricsRoutes } from './routes/metrics-routes.js';
import { whereUsedRoutes } from './routes/where-used-routes.js';
import { securityHeadersHook } from './security-headers.js';
import type { Services } from './services.js';
import { validatorCompiler } from './validator.js';

export interface AppOptions {
  readonly services: Services;
  readonly logger: Logger;
  readonly bodyLimit: number;
  readonly secureCookies: boolean;
  /** The public URL (https turns on HSTS; pages may connect to its socket). */
  readonly publicUrl?: string;
  /** Requests per minute per token and per IP on /api/* (none without). */
  readonly rateLimits?: HttpRateLimits;
  /** Registers the WebSocket gateway (it needs the same Fastify instance and its hooks). */
  readonly realtime?: (app: FastifyInstance) => Promise<void>;
}

registerAjvFormats();

export interface RouteEntry {
  readonly method: string;
  readonly url: string;
  readonly access: 'public' | readonly string[] | undefined;
  /** The route asks to be in the audit log whatever the audit rule says. */
  readonly audit: boolean;
  readonly websocket: boolean;
}

const ROUTES = new WeakMap<object, RouteEntry[]>();

/** Every route the app registered, with its declared access (the permission-matrix test reads it). */
export function registeredRoutes(app: FastifyInstance): readonly RouteEntry[] {
  return ROUTES.get(app) ?? [];
}

/** Builds the HTTP (and WebSocket) edge: parse, authorize by the route's declared access, call a use case. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    bodyLimit: options.bodyLimit,
    trustProxy: false,
    // Per-request logs would dominate at contact-center volumes; errors are logged by the error handler.
    logController: new LogController({ disableRequestLogging: true }),
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    // A malformed URL or an overlong path parameter is refused before routing: same error shape.
    frameworkErrors: (error, _request, reply) => {
      const mapped = toErrorReply(error);
      void (reply as FastifyReply).code(mapped.status).send(mapped.body);
    },
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  // The API speaks JSON only: a text/plain body is refused as an unsupported type (415), not parsed.
  app.removeContentTypeParser('text/plain');

  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Parlour API',
        version: String(PROTOCOL_VERSION),
        description:
          'Omnichannel customer messaging. Staff authenticate with a bearer token (login or API token) or the session cookie; end users with a widget token. Errors are {"error":{"code","message","field"}}.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          cookie: { type: 'apiKey', in: 'cookie', name: 'parlour_session' },
        },
      },
      security: [{ bearer: [] }, { cookie: [] }],
    },
  });
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });

  const routes: RouteEntry[] = [];
  ROUTES.set(app, routes);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue;
      routes.push({
        method,
        url: route.url,
        access: route.config?.access,
        audit: route.config?.audit === true,
        websocket: Boolean((route as { websocket?: boolean }).websocket),
      });
    }
  });

  app.decorateRequest('principal', null);
  if (options.rateLimits) app.addHook('onRequest', ipRateLimitHook(options.rateLimits));
  app.addHook('onRequest', accessHook(options.services.auth));
  if (options.rateLimits) app.addHook('onRequest', tokenRateLimitHook(options.rateLimits));
  app.addHook(
    'onSend',
    securityHeadersHook({
      ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
      allowedOrigins: async () => (await options.services.settings.current()).allowedOrigins,
    }),
  );
  app.addHook('onResponse', auditHook(options.services.audit));
  app.addHook('preValidation', contentGuardHook(options.services.guard));
  app.setErrorHandler((error, request, reply) => {
    const mapped = toErrorReply(error);
    if (mapped.status >= 500) request.log.error({ err: error, url: request.url }, 'request failed');
    if (mapped.retryAfterSeconds !== undefined)
      void reply.header('retry-after', String(mapped.retryAfterSeconds));
    return reply.code(mapped.status).send(mapped.body);
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({
      error: {
        code: 'route/not-found',
        message: `No route ${request.method} ${request.url.split('?')[0]}`,
      },
    }),
  );

  const services = options.services;
  await app.register(systemRoutes);
  await app.register(authRoutes, { services, secureCookies: options.secureCookies });
  await app.register(directoryRoutes, { services });
  await app.register(conversationRoutes, { services });
  await app.register(ticketRoutes, { services });
  await app.register(settingsRoutes, { services });
  await app.register(routingRoutes, { services });
  await app.register(conferenceRoutes, { services });
  await app.register(rulesRoutes, { services });
  await app.register(agentToolsRoutes, { services });
  await app.register(outboundRoutes, { services });
  await app.register(emailRoutes, { services });
  await app.register(apiChannelRoutes, { services });
  await app.register(workflowRoutes, { services });
  await app.register(attachmentRoutes, { services });
  await app.register(auditRoutes, { services });
  await app.register(privacyRoutes, { services });
  await app.register(botRoutes, { services });
  await app.register(readStateRoutes, { services });
  await app.register(reportRoutes, { services });
  await app.register(liveViewRoutes, { services });
  await app.register(metricsRoutes, { services });
  await app.register(whereUsedRoutes, { services });
  await app.register(staticRoutes);
  if (options.realtime) await options.realtime(app);
  return app;
}
