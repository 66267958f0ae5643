import { join } from 'node:path';

/**
 * The one typed configuration, read from the environment at start-up and validated there.
 * The storage driver follows DATABASE_URL's scheme; without it Parlour runs on embedded PGlite.
 */
export interface Config {
  readonly host: string;
  readonly port: number;
  /** The public URL users open (origin of the server's own pages, printed at start). */
  readonly publicUrl: string;
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  /** Where attachments are stored (never served statically). */
  readonly attachmentsDir: string;
  readonly redisUrl: string | undefined;
  readonly logLevel: string;
  readonly bodyLimitBytes: number;
  readonly heartbeatMs: number;
  /**
   * Message batches written in parallel on PostgreSQL. One is fastest on a small machine (measured
   * with `npm run bench -- message-path`); raise it when the database has cores to spare.
   */
  readonly writeLanes: number;
  /** Create the demo workspace on an empty database. */
  readonly seedDemo: boolean;
  /** With the demo workspace, also its conversation bot flow and articles (PARLOUR_DEMO_BOT). */
  readonly seedDemoBot: boolean;
  readonly secureCookies: boolean;
  /** Requests and socket frames allowed per window (0 turns that limit off). */
  readonly rateLimits: RateLimits;
  /** The email channel: SMTP out, the SMTP listener and the relay endpoint in. */
  readonly email: EmailConfig;
}

export interface EmailConfig {
  /** Outgoing SMTP; null (no SMTP_HOST): emails stay queued in the outbox. */
  readonly smtp: {
    readonly host: string;
    readonly port: number;
    /** TLS from the first byte (port 465); else STARTTLS when offered (required with SMTP_STARTTLS=true). */
    readonly secure: boolean;
    readonly requireStartTls: boolean;
    readonly user: string | undefined;
    /** Secret. */
    readonly password: string | undefined;
  } | null;
  /** The From of every email, e.g. "Parlour Support <support@example.com>". */
  readonly from: string;
  /** Replies go to reply+<token>@this domain (it must deliver to the listener or the relay). */
  readonly replyDomain: string;
  /** The built-in SMTP listener's port; null: off. */
  readonly listenPort: number | null;
  readonly listenHost: string;
  /** Largest inbound email, raw (SMTP SIZE and the relay endpoint). */
  readonly maxInboundBytes: number;
  /** Secret: the relay endpoint's shared secret (header X-Parlour-Email-Secret); unset: admin or API token only. */
  readonly inboundSecret: string | undefined;
}

export interface RateLimits {
  /** Per token per minute on /api/*: the end user of a widget token, or the staff token. */
  readonly tokenPerMinute: number;
  /** Per client IP per minute on /api/*. */
  readonly ipPerMinute: number;
  /** Per WebSocket connection per 10 seconds (socket frames are never counted per IP). */
  readonly wsFramesPer10s: number;
}

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const host = env.HOST ?? '127.0.0.1';
  const port = int(env, 'PORT', 8080, 0, 65_535);
  const displayHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const publicUrl = (env.PUBLIC_URL ?? `http://${displayHost}:${port}`).replace(/\/$/, '');
  if (!/^https?:\/\/[^/]+$/.test(publicUrl))
    throw new ConfigError('PUBLIC_URL must look like https://support.example.com');
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError(
      'DATABASE_URL must start with postgres:// (leave it unset for the embedded database)',
    );
  }
  const redisUrl = env.REDIS_URL || undefined;
  if (redisUrl && !/^rediss?:\/\//.test(redisUrl))
    throw new ConfigError('REDIS_URL must start with redis:// or rediss://');
  return {
    host,
    port,
    publicUrl,
    databaseUrl,
    dataDir: env.DATA_DIR ?? './data',
    attachmentsDir: env.ATTACHMENTS_DIR || join(env.DATA_DIR ?? './data', 'attachments'),
    redisUrl,
    logLevel: env.LOG_LEVEL ?? 'info',
    bodyLimitBytes: int(env, 'BODY_LIMIT_BYTES', 1024 * 1024, 1024, 50 * 1024 * 1024),
    heartbeatMs: int(env, 'HEARTBEAT_MS', 25_000, 1_000, 600_000),
    writeLanes: int(env, 'WRITE_LANES', 1, 1, 32),
    seedDemo: (env.PARLOUR_DEMO ?? 'true') !== 'false',
    seedDemoBot: (env.PARLOUR_DEMO_BOT ?? 'true') !== 'false',
    secureCookies: publicUrl.startsWith('https://'),
    rateLimits: {
      tokenPerMinute: int(env, 'RATE_LIMIT_TOKEN_PER_MIN', 600, 0, 10_000_000),
      ipPerMinute: int(env, 'RATE_LIMIT_IP_PER_MIN', 1200, 0, 10_000_000),
      wsFramesPer10s: int(env, 'RATE_LIMIT_WS_FRAMES_PER_10S', 300, 0, 10_000_000),
    },
    email: loadEmailConfig(env, publicUrl),
  };
}

function loadEmailConfig(env: Record<string, string | undefined>, publicUrl: string): EmailConfig {
  const host = env.SMTP_HOST || undefined;
  const secure = bool(env, 'SMTP_SECURE', false);
  const replyDomain = (env.EMAIL_REPLY_DOMAIN || new URL(publicUrl).hostname).toLowerCase();
  if (!/^[a-z0-9.-]+$/.test(replyDomain))
    throw new ConfigError('EMAIL_REPLY_DOMAIN must be a domain name such as support.example.com');
  const listen = env.SMTP_LISTEN_PORT;
  return {
    smtp: host
      ? {
          host,
          port: int(env, 'SMTP_PORT', secure ? 465 : 587, 1, 65_535),
          secure,
          requireStartTls: bool(env, 'SMTP_STARTTLS', false),
          user: env.SMTP_USER || undefined,
          password: env.SMTP_PASSWORD || undefined,
        }
      : null,
    from: env.EMAIL_FROM || `Parlour <support@${replyDomain}>`,
    replyDomain,
    listenPort:
      listen === undefined || listen === '' ? null : int(env, 'SMTP_LISTEN_PORT', 0, 0, 65_535),
    listenHost: env.SMTP_LISTEN_HOST || '127.0.0.1',
    maxInboundBytes: int(env, 'EMAIL_MAX_BYTES', 25 * 1024 * 1024, 1024, 100 * 1024 * 1024),
    inboundSecret: env.EMAIL_INBOUND_SECRET || undefined,
  };
}

function bool(env: Record<string, string | undefined>, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw new ConfigError(`${name} must be true or false (got "${raw}")`);
}

function int(
  env: Record<string, string | undefined>,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
  }
  return value;
}
