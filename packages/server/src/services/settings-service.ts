import { randomBytes } from 'node:crypto';
import type {
  PciMask,
  PciMode,
  Settings,
  UnscannableAttachments,
  UpdateSettingsBody,
  WidgetConfig,
} from '@parlour/protocol';
import { DomainError, isValidTimeZone } from '@parlour/core';
import {
  getGroup,
  initSetting,
  listGroups,
  readSetting,
  writeSetting,
  type Db,
} from '@parlour/storage';
import type { ServiceContext } from './context.js';
import { widgetColorProblem } from './widget-color.js';

export interface WorkspaceSettings {
  readonly requireVerifiedIdentity: boolean;
  /** Shared with the company's backend to sign end-user identity JWTs. Never sent back out. */
  readonly endUserJwtSecret: string | null;
  readonly allowedOrigins: readonly string[];
  readonly agentsMayEndSessions: boolean;
  /** How many days a CSAT survey stays answerable. */
  readonly csatExpiryDays: number;
  /** PCI DSS (seed 004): card data in a message is masked (redact) or the message refused (drop). */
  readonly pciMode: PciMode;
  readonly pciMask: PciMask;
  readonly pciDetectIban: boolean;
  readonly pciDetectSsn: boolean;
  /** Largest attachment accepted, in bytes. */
  readonly attachmentMaxBytes: number;
  /** Attachments that cannot be scanned for card data (images, archives…): accepted or refused. */
  readonly unscannableAttachments: UnscannableAttachments;
  /** The group new email tickets go to; null: the first group by name (see emailGroup). */
  readonly emailGroupId: string | null;
  /** IANA time zone reports use unless a report names another. */
  readonly reportTimeZone: string;
  /** The widget's accent colour (#rrggbb). */
  readonly widgetColor: string;
  /** Shown in the widget above an empty chat; '' for none. */
  readonly widgetGreeting: string;
}

const DEFAULTS: WorkspaceSettings = {
  requireVerifiedIdentity: false,
  endUserJwtSecret: null,
  allowedOrigins: [],
  agentsMayEndSessions: true,
  csatExpiryDays: 7,
  pciMode: 'redact',
  pciMask: 'last4',
  pciDetectIban: false,
  pciDetectSsn: false,
  attachmentMaxBytes: 10 * 1024 * 1024,
  unscannableAttachments: 'allow',
  emailGroupId: null,
  reportTimeZone: 'UTC',
  widgetColor: '#1f3a8a',
  widgetGreeting: 'Hi! Ask us anything, we are happy to help.',
};

const CACHE_MS = 2_000;

/**
 * Workspace settings live in the database so every process agrees; each process caches them for a
 * moment (a change reaches other processes within two seconds).
 */
export class SettingsService {
  private cached: { value: WorkspaceSettings; until: number } | null = null;

  constructor(private readonly ctx: ServiceContext) {}

  /** With `db` (a transaction), read through it and skip the cache: PGlite has one connection. */
  async current(db?: Db): Promise<WorkspaceSettings> {
    if (db)
      return { ...DEFAULTS, ...(await readSetting<Partial<WorkspaceSettings>>(db, 'workspace')) };
    const now = Date.now();
    if (this.cached && this.cached.until > now) return this.cached.value;
    const stored = await readSetting<Partial<WorkspaceSettings>>(this.ctx.database.db, 'workspace');
    const value = { ...DEFAULTS, ...stored };
    this.cached = { value, until: now + CACHE_MS };
    return value;
  }

  async update(patch: UpdateSettingsBody): Promise<Settings> {
    if (patch.emailGroupId && !(await getGroup(this.ctx.database.db, patch.emailGroupId)))
      throw new DomainError('not-found', 'No such group for new email tickets', 'emailGroupId');
    if (patch.reportTimeZone !== undefined && !isValidTimeZone(patch.reportTimeZone))
      throw new DomainError('validation/invalid', 'Unknown time zone', 'reportTimeZone');
    const colorProblem = patch.widgetColor ? widgetColorProblem(patch.widgetColor) : null;
    if (colorProblem) throw new DomainError('validation/invalid', colorProblem, 'widgetColor');
    const next: WorkspaceSettings = { ...(await this.current()), ...patch } as WorkspaceSettings;
    await writeSetting(this.ctx.database.db, 'workspace', next, this.ctx.clock.now());
    this.cached = null;
    return publicSettings(next);
  }

  /**
   * The group a new email ticket is routed to: the one set by an admin, or (none set, or that
   * group since deleted) the first group by name; null when there are no groups.
   */
  async emailGroup(db: Db): Promise<string | null> {
    const { emailGroupId } = await this.current(db);
    if (emailGroupId && (await getGroup(db, emailGroupId))) return emailGroupId;
    return (await listGroups(db))[0]?.id ?? null;
  }

  async view(): Promise<Settings> {
    return publicSettings(await this.current());
  }

  /** What the widget shows before a visitor has a token: its colour and greeting. */
  async widgetConfig(): Promise<WidgetConfig> {
    const s = await this.current();
    return { color: s.widgetColor, greeting: s.widgetGreeting };
  }

  /** The secret that signs widget tokens: made once, shared by every process through the database. */
  async serverSecret(): Promise<string> {
    return initSetting(
      this.ctx.database.db,
      'server_secret',
      randomBytes(32).toString('hex'),
      this.ctx.clock.now(),
    );
  }

  /** The key that signs outgoing webhooks (X-Parlour-Signature): made once, like serverSecret. */
  async webhookSecret(): Promise<string> {
    return initSetting(
      this.ctx.database.db,
      'webhook_secret',
      randomBytes(32).toString('hex'),
      this.ctx.clock.now(),
    );
  }
}

export function publicSettings(s: WorkspaceSettings): Settings {
  return {
    requireVerifiedIdentity: s.requireVerifiedIdentity,
    endUserJwtSecretSet: s.endUserJwtSecret !== null,
    allowedOrigins: [...s.allowedOrigins],
    agentsMayEndSessions: s.agentsMayEndSessions,
    csatExpiryDays: s.csatExpiryDays,
    pciMode: s.pciMode,
    pciMask: s.pciMask,
    pciDetectIban: s.pciDetectIban,
    pciDetectSsn: s.pciDetectSsn,
    attachmentMaxBytes: s.attachmentMaxBytes,
    unscannableAttachments: s.unscannableAttachments,
    emailGroupId: s.emailGroupId,
    reportTimeZone: s.reportTimeZone,
    widgetColor: s.widgetColor,
    widgetGreeting: s.widgetGreeting,
  };
}
