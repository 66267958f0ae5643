import { openDatabase, type Database } from '@parlour/storage';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { createLogger } from './logging/create-logger.js';
import { createInProcessBus, createRedisBus, type Bus } from './bus/index.js';
import { systemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import { buildApp } from './http/app.js';
import type { Services } from './http/services.js';
import { newId } from './ids.js';
import { Gateway } from './realtime/gateway.js';
import { ReadStateService } from './services/activity/read-state-service.js';
import { BusinessHoursService } from './services/reports/business-hours-service.js';
import { ReportProjector } from './services/reports/report-projector.js';
import { ReportService } from './services/reports/report-service.js';
import { LiveViewActions } from './services/live-view/live-view-actions.js';
import { LiveViewHub } from './services/live-view/live-view-hub.js';
import { ObservedBus } from './services/live-view/live-signal.js';
import { ParlourMetrics } from './metrics/parlour-metrics.js';
import { WhereUsedService } from './services/where-used/where-used-service.js';
import { TypingService } from './services/activity/typing-service.js';
import { MemoryRateLimiter } from './rate-limit/memory-rate-limiter.js';
import type { RateLimiter } from './rate-limit/rate-limiter.js';
import { createRedisRateLimiter } from './rate-limit/redis-rate-limiter.js';
import { AuditService } from './services/audit/audit-service.js';
import { AuthService } from './services/auth-service.js';
import { AttachmentService } from './services/attachments/attachment-service.js';
import type { FileStorage } from './files/file-storage.js';
import { LocalFileStorage } from './files/local-file-storage.js';
import type { ServiceContext } from './services/context.js';
import { ConversationService } from './services/conversation-service.js';
import { DirectoryService } from './services/directory-service.js';
import { MessageWriter } from './services/message-writer.js';
import { SettingsService } from './services/settings-service.js';
import { ContentGuard } from './services/pci/content-guard.js';
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
import { ApiInboxService } from './services/api-channel/api-inbox-service.js';
import { ApiInbound } from './services/api-channel/api-inbound.js';
import { ApiOutbound } from './services/api-channel/api-outbound.js';
import { EmailInbound } from './services/email/email-inbound.js';
import { EmailSender } from './services/email/email-sender.js';
import type { Mailer } from './services/email/mailer.js';
import { createSmtpMailer } from './services/email/smtp-mailer.js';
import { createSmtpListener, type SmtpListener } from './services/email/smtp-listener.js';
import { WebhookService } from './services/outbound/webhook-service.js';
import { WorkflowRunner } from './services/workflows/workflow-runner.js';
import { WorkflowService } from './services/workflows/workflow-service.js';
import { PrivacyService } from './services/privacy/privacy-service.js';
import { BotAdminService } from './services/bot/bot-admin-service.js';
import { BotRunner } from './services/bot/bot-runner.js';
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
  /** Where attachments are kept (tests search it for data that must not be there). */
  readonly fileStorage: FileStorage;
  /** The built-in SMTP listener's port (SMTP_LISTEN_PORT), or null when it is off. */
  readonly smtpPort: number | null;
  close(): Promise<void>;
}

export interface ServerPorts {
  /** Injected in tests: an already open database (else opened from config). */
  readonly database?: Database;
  readonly bus?: Bus;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Attachments (else a local directory, ATTACHMENTS_DIR). */
  readonly fileStorage?: FileStorage;
  /** Where request, frame and login counts live (else Redis with REDIS_URL, or this process's memory). */
  readonly rateLimiter?: RateLimiter;
  /** The PCI benchmark's baseline only: messages skip the card-data scan. Never in production. */
  readonly unguardedMessagesForBenchmark?: boolean;
  /** Outgoing email (else SMTP with SMTP_HOST, or none: emails stay queued). */
  readonly mailer?: Mailer;
}

/** Wiring: every port gets its implementation here, once, and is passed down. */
export async function createServer(
  config: Config,
  ports: ServerPorts = {},
): Promise<ParlourServer> {
  const logger = ports.logger ?? createLogger({ level: config.logLevel });
  const database =
    ports.database ??
    (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }));
  const innerBus =
    ports.bus ??
    (config.redisUrl
      ? createRedisBus({
          url: config.redisUrl,
          onError: (err: unknown) => logger.warn({ err }, 'redis bus error'),
        })
      : createInProcessBus());
  // The live view and the metrics watch what the use cases publish (after commit).
  const bus = new ObservedBus(innerBus);
  const clock = ports.clock ?? systemClock;
  const metrics = new ParlourMetrics(database, clock);
  bus.observe((topic, payload) => metrics.published(topic, payload));
  const redisLimiter =
    !ports.rateLimiter && config.redisUrl
      ? createRedisRateLimiter({
          url: config.redisUrl,
          clock,
          onError: (err: unknown) => logger.warn({ err }, 'redis rate limiter error'),
        })
      : null;
  const rateLimiter = ports.rateLimiter ?? redisLimiter ?? new MemoryRateLimiter(clock);
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
  const guard = new ContentGuard(settings);
  const messages = new MessageWriter(ctx, {
    writeLanes: config.writeLanes,
    writes,
    guard: ports.unguardedMessagesForBenchmark ? null : guard,
  });
  const conversations = new ConversationService(ctx, messages, writes);
  const tickets = new TicketService(ctx, writes);
  tickets.guard = guard;
  conversations.guard = guard;
  const routing = new RoutingService(ctx, timers);
  new WaitingRules(ctx, timers, routing);
  const conference = new ConferenceService(ctx, () => routing.kick());
  // A chat's conference ends with its session.
  conversations.routing = conference.endingWithSessions(routing);
  writes.routing = conference.endingWithSessions(routing);
  routing.rules = writes;
  const outbox = new EmailOutbox(ctx, { replyDomain: config.email.replyDomain });
  messages.outbox = outbox;
  const csat = new CsatService(ctx, settings, outbox, config.publicUrl);
  const webhooks = new WebhookService(ctx, timers, settings);
  const workflows = new WorkflowService(ctx, timers);
  new WorkflowRunner(ctx, timers, writes, webhooks);
  rulePorts.workflows = workflows;
  workflows.changed = () => rulesCache.changed();
  conversations.wrapUp = recordWrapUp;
  // The conversation bot answers customers before the handoff (only once an admin saved a flow).
  const botAdmin = new BotAdminService(ctx);
  const botRunner = new BotRunner(ctx, timers, conversations, writes, guard);
  botAdmin.changed = () => botRunner.flowChanged();
  messages.bot = botRunner;
  conversations.bot = botRunner;
  rulePorts.csat = csat;
  rulePorts.webhooks = webhooks;
  rulePorts.email = outbox;
  // The API channel: staff messages on its conversations go to the inbox's webhook.
  const apiOutbound = new ApiOutbound(ctx, timers);
  apiOutbound.messages = messages;
  messages.outbound = apiOutbound;
  rulePorts.apiChannel = apiOutbound;
  const apiInbound = new ApiInbound(ctx, { conversations, messages, guard });
  // Stable across restarts of the same listener, so a restarted process can clear what it held.
  const processId = `${hostname()}:${config.port === 0 ? randomUUID() : config.port}`;
  // In memory, login failures keep their own bounded stores (a request flood cannot evict them).
  const auth = new AuthService(ctx, settings, ports.rateLimiter ?? redisLimiter ?? undefined);
  auth.guard = guard;
  const fileStorage = ports.fileStorage ?? new LocalFileStorage(config.attachmentsDir);
  const attachments = new AttachmentService(ctx, settings, fileStorage);
  const mailer = ports.mailer ?? (config.email.smtp ? createSmtpMailer(config.email.smtp) : null);
  const emailSender = new EmailSender(ctx, mailer, { from: config.email.from });
  const emailInbound = new EmailInbound(
    ctx,
    { conversations, messages, attachments, guard, settings },
    {
      replyDomain: config.email.replyDomain,
      maxBytes: config.email.maxInboundBytes,
      inboundSecret: config.email.inboundSecret,
    },
  );
  const agentStatus = new AgentStatusService(ctx, timers, routing, processId);
  const liveView = new LiveViewHub(ctx, bus);
  await liveView.start();
  const services: Services = {
    auth,
    attachments,
    conversations,
    directory: new DirectoryService(ctx),
    messages,
    settings,
    tickets,
    routing,
    agentStatus,
    routingAdmin: new RoutingAdminService(ctx, () => routing.kick()),
    conference,
    rules: rulesAdmin,
    conversationStyles: new ConversationStyles(ctx, rulesAdmin),
    csat,
    outbox,
    emailInbound,
    emailSender,
    webhooks,
    apiInboxes: new ApiInboxService(ctx, config.publicUrl),
    apiInbound,
    apiOutbound,
    workflows,
    privacy: new PrivacyService(
      ctx,
      {
        kickRouting: () => routing.kick(),
        forgetEndUser: (endUserId) => auth.forgetEndUser(endUserId),
      },
      fileStorage,
    ),
    macros: new MacroService(ctx, writes),
    responses: new ResponseService(ctx),
    wrapUps: new WrapUpService(ctx),
    guard,
    audit: new AuditService(ctx),
    bot: botAdmin,
    typing: new TypingService(ctx),
    reads: new ReadStateService(ctx),
    reports: new ReportService(ctx, settings, new ReportProjector(ctx)),
    businessHours: new BusinessHoursService(ctx),
    liveView,
    liveActions: new LiveViewActions(ctx, { agentStatus, routing, messages }),
    metrics,
    whereUsed: new WhereUsedService(ctx),
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
    frameLimit: { per10s: config.rateLimits.wsFramesPer10s, clock },
    clock,
    liveView,
    onDelivered: (entry) => metrics.delivered(entry),
  });
  metrics.attach({
    openSockets: () => gateway.connectionCount,
    liveViewers: () => liveView.viewerCount,
  });
  const app = await buildApp({
    services,
    logger,
    bodyLimit: config.bodyLimitBytes,
    secureCookies: config.secureCookies,
    publicUrl: config.publicUrl,
    rateLimits: {
      limiter: rateLimiter,
      tokenPerMinute: config.rateLimits.tokenPerMinute,
      ipPerMinute: config.rateLimits.ipPerMinute,
    },
    realtime: (instance) => gateway.register(instance),
  });
  await app.ready();
  let smtpListener: SmtpListener | null = null;
  let smtpPort: number | null = null;
  if (config.email.listenPort !== null) {
    smtpListener = createSmtpListener(emailInbound, {
      host: config.email.listenHost,
      port: config.email.listenPort,
      maxBytes: config.email.maxInboundBytes,
      logger,
      name: config.email.replyDomain,
    });
    smtpPort = await smtpListener.listen();
  }
  let closed = false;
  return {
    app,
    services,
    database,
    bus,
    timers,
    gateway,
    logger,
    fileStorage,
    smtpPort,
    async close() {
      if (closed) return;
      closed = true;
      await smtpListener?.close();
      await emailSender.stop();
      await timers.stop();
      await rulesCache.stop();
      await webhooks.stop();
      await apiOutbound.stop();
      await routing.stop();
      await liveView.stop();
      await app.close();
      await messages.idle();
      await services.audit.idle();
      await redisLimiter?.close();
      if (!ports.bus) await bus.close();
      if (!ports.database) await database.close();
    },
  };
}
