import { openDatabase, type Database } from '@parlour/storage';
import type { FastifyInstance } from 'fastify';
import pino, { type Logger } from 'pino';
import { createInProcessBus, createRedisBus, type Bus } from './bus/index.js';
import { systemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import { buildApp } from './http/app.js';
import type { Services } from './http/services.js';
import { newId } from './ids.js';
import { Gateway } from './realtime/gateway.js';
import { AuthService } from './services/auth-service.js';
import type { ServiceContext } from './services/context.js';
import { ConversationService } from './services/conversation-service.js';
import { DirectoryService } from './services/directory-service.js';
import { MessageWriter } from './services/message-writer.js';
import { SettingsService } from './services/settings-service.js';
import { TicketService } from './services/ticket-service.js';
import { schedulePurgeOfExpiredLogins } from './services/purge-expired-logins.js';
import { DurableTimers } from './timers/durable-timers.js';
import { AgentStatusService } from './services/routing/agent-status-service.js';
import { ConferenceService } from './services/routing/conference-service.js';
import { RoutingAdminService } from './services/routing/routing-admin-service.js';
import { RoutingService } from './services/routing/routing-service.js';
import { WaitingRules } from './services/routing/waiting-rules.js';
import { ensureDefaultMacros } from './services/agent-tools/default-macros.js';
import { MacroService } from './services/agent-tools/macro-service.js';
import { ResponseService } from './services/agent-tools/response-service.js';
import { WrapUpService, recordWrapUp } from './services/agent-tools/wrap-up-service.js';
import { AutomationRunner } from './services/rules/automation-runner.js';
import type { RulePorts } from './services/rules/rule-ports.js';
import { RulesCache } from './services/rules/rules-cache.js';
import { ConversationStyles } from './services/rules/conversation-styles.js';
import { RulesAdminService } from './services/rules/rules-admin-service.js';
import { TicketWrites } from './services/rules/ticket-writes.js';
import { CsatService } from './services/outbound/csat-service.js';
import { EmailOutbox } from './services/outbound/email-outbox.js';
import { WebhookService } from './services/outbound/webhook-service.js';
import { WorkflowRunner } from './services/workflows/workflow-runner.js';
import { WorkflowService } from './services/workflows/workflow-service.js';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

export interface ParlourServer {
  readonly app: FastifyInstance;
  readonly services: Services;
  readonly database: Database;
  readonly bus: Bus;
  readonly timers: DurableTimers;
  readonly gateway: Gateway;
  readonly logger: Logger;
  close(): Promise<void>;
}

export interface ServerPorts {
  /** Injected in tests: an already open database (else opened from config). */
  readonly database?: Database;
  readonly bus?: Bus;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

/** Wiring: every port gets its implementation here, once, and is passed down. */
export async function createServer(
  config: Config,
  ports: ServerPorts = {},
): Promise<ParlourServer> {
  const logger = ports.logger ?? pino({ level: config.logLevel });
  const database =
    ports.database ??
    (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }));
  const bus =
    ports.bus ??
    (config.redisUrl
      ? createRedisBus({
          url: config.redisUrl,
          onError: (err: unknown) => logger.warn({ err }, 'redis bus error'),
        })
      : createInProcessBus());
  const clock = ports.clock ?? systemClock;
  const ctx: ServiceContext = {
    database,
    bus,
    clock,
    newId: () => newId(clock.now().getTime()),
    logger,
  };
  const settings = new SettingsService(ctx);
  const timers = new DurableTimers({
    database,
    clock,
    newId: ctx.newId,
    onError: (err: unknown) => logger.error({ err }, 'timer failed'),
  });
  const rulesCache = new RulesCache(bus);
  await rulesCache.start();
  const rulePorts: RulePorts = { csat: null, webhooks: null, email: null, workflows: null };
  const writes = new TicketWrites(ctx, rulesCache, timers, rulePorts);
  new AutomationRunner(ctx, rulesCache, writes, timers);
  const rulesAdmin = new RulesAdminService(ctx, rulesCache, timers);
  const messages = new MessageWriter(ctx, { writeLanes: config.writeLanes, writes });
  const conversations = new ConversationService(ctx, messages, writes);
  const tickets = new TicketService(ctx, writes);
  const routing = new RoutingService(ctx, timers);
  new WaitingRules(ctx, timers, routing);
  const conference = new ConferenceService(ctx, () => routing.kick());
  // A chat's conference ends with its session.
  conversations.routing = conference.endingWithSessions(routing);
  writes.routing = conference.endingWithSessions(routing);
  routing.rules = writes;
  const outbox = new EmailOutbox(ctx);
  const csat = new CsatService(ctx, settings, outbox, config.publicUrl);
  const webhooks = new WebhookService(ctx, timers, settings);
  const workflows = new WorkflowService(ctx, timers);
  new WorkflowRunner(ctx, timers, writes, webhooks);
  rulePorts.workflows = workflows;
  workflows.changed = () => rulesCache.changed();
  conversations.wrapUp = recordWrapUp;
  rulePorts.csat = csat;
  rulePorts.webhooks = webhooks;
  rulePorts.email = outbox;
  // Stable across restarts of the same listener, so a restarted process can clear what it held.
  const processId = `${hostname()}:${config.port === 0 ? randomUUID() : config.port}`;
  const services: Services = {
    auth: new AuthService(ctx, settings),
    conversations,
    directory: new DirectoryService(ctx),
    messages,
    settings,
    tickets,
    routing,
    agentStatus: new AgentStatusService(ctx, timers, routing, processId),
    routingAdmin: new RoutingAdminService(ctx, () => routing.kick()),
    conference,
    rules: rulesAdmin,
    conversationStyles: new ConversationStyles(ctx, rulesAdmin),
    csat,
    outbox,
    webhooks,
    workflows,
    macros: new MacroService(ctx, writes),
    responses: new ResponseService(ctx),
    wrapUps: new WrapUpService(ctx),
  };
  await schedulePurgeOfExpiredLogins(timers, clock);
  await ensureDefaultMacros(ctx);
  const gateway = new Gateway({
    services,
    bus,
    database,
    logger,
    heartbeatMs: config.heartbeatMs,
    ownOrigins: [config.publicUrl],
  });
  const app = await buildApp({
    services,
    logger,
    bodyLimit: config.bodyLimitBytes,
    secureCookies: config.secureCookies,
    realtime: (instance) => gateway.register(instance),
  });
  await app.ready();
  let closed = false;
  return {
    app,
    services,
    database,
    bus,
    timers,
    gateway,
    logger,
    async close() {
      if (closed) return;
      closed = true;
      await timers.stop();
      await rulesCache.stop();
      await webhooks.stop();
      await routing.stop();
      await app.close();
      await messages.idle();
      if (!ports.bus) await bus.close();
      if (!ports.database) await database.close();
    },
  };
}
