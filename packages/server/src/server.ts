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
  const messages = new MessageWriter(ctx, { writeLanes: config.writeLanes });
  const services: Services = {
    auth: new AuthService(ctx, settings),
    conversations: new ConversationService(ctx, messages),
    directory: new DirectoryService(ctx),
    messages,
    settings,
    tickets: new TicketService(ctx),
  };
  const timers = new DurableTimers({
    database,
    clock,
    newId: ctx.newId,
    onError: (err: unknown) => logger.error({ err }, 'timer failed'),
  });
  await schedulePurgeOfExpiredLogins(timers, clock);
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
      await app.close();
      await messages.idle();
      if (!ports.bus) await bus.close();
      if (!ports.database) await database.close();
    },
  };
}
