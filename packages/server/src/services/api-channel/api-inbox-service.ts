import { randomBytes } from 'node:crypto';
import { DomainError } from '@parlour/core';
import type {
  ApiInbox,
  ApiInboxWithSecret,
  ApiTemplate,
  CreateApiInboxBody,
  UpdateApiInboxBody,
} from '@parlour/protocol';
import {
  deleteApiInbox,
  getApiInbox,
  getGroup,
  insertApiInbox,
  listApiInboxes,
  updateApiInbox,
  type Db,
  type StoredApiInbox,
} from '@parlour/storage';
import type { ServiceContext } from '../context.js';
import { webhookUrlProblem } from '../outbound/webhook-service.js';

/** A new signing secret: 32 random bytes, hex, prefixed so it is recognisable in a vault. */
function newSecret(): string {
  return `pls_${randomBytes(32).toString('hex')}`;
}

/** Admins' use cases of API-channel inboxes: create, list, update, rotate the secret, delete. */
export class ApiInboxService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly publicUrl: string,
  ) {}

  async create(input: CreateApiInboxBody): Promise<ApiInboxWithSecret> {
    const at = this.ctx.clock.now();
    const db = this.ctx.database.db;
    assertWebhookUrl(input.webhookUrl);
    assertTemplates(input.templates ?? []);
    if (input.defaultGroupId) await assertGroup(db, input.defaultGroupId);
    const secret = newSecret();
    const inbox = await insertApiInbox(db, {
      id: this.ctx.newId(),
      name: input.name.trim(),
      webhookUrl: input.webhookUrl,
      secret,
      defaultGroupId: input.defaultGroupId ?? null,
      replyWindowHours: input.replyWindowHours ?? null,
      templates: input.templates ?? [],
      createdAt: at,
    });
    return { inbox: this.dto(inbox), secret };
  }

  async list(): Promise<ApiInbox[]> {
    return (await listApiInboxes(this.ctx.database.db)).map((i) => this.dto(i));
  }

  async get(inboxId: string): Promise<ApiInbox> {
    return this.dto(await this.load(this.ctx.database.db, inboxId));
  }

  async update(inboxId: string, input: UpdateApiInboxBody): Promise<ApiInbox> {
    if (input.webhookUrl !== undefined) assertWebhookUrl(input.webhookUrl);
    if (input.templates !== undefined) assertTemplates(input.templates);
    return this.ctx.database.db.transaction().execute(async (trx) => {
      const inbox = await this.load(trx, inboxId, true);
      if (input.defaultGroupId) await assertGroup(trx, input.defaultGroupId);
      const next: StoredApiInbox = {
        ...inbox,
        ...(input.name !== undefined ? { name: input.name.trim() } : {}),
        ...(input.webhookUrl !== undefined ? { webhookUrl: input.webhookUrl } : {}),
        ...(input.defaultGroupId !== undefined ? { defaultGroupId: input.defaultGroupId } : {}),
        ...(input.replyWindowHours !== undefined
          ? { replyWindowHours: input.replyWindowHours }
          : {}),
        ...(input.templates !== undefined ? { templates: input.templates } : {}),
        updatedAt: this.ctx.clock.now(),
      };
      await updateApiInbox(trx, next);
      return this.dto(next);
    });
  }

  /** A new secret, shown this once; the old one stops working at once. */
  async rotateSecret(inboxId: string): Promise<ApiInboxWithSecret> {
    return this.ctx.database.db.transaction().execute(async (trx) => {
      const inbox = await this.load(trx, inboxId, true);
      const next = { ...inbox, secret: newSecret(), updatedAt: this.ctx.clock.now() };
      await updateApiInbox(trx, next);
      return { inbox: this.dto(next), secret: next.secret };
    });
  }

  /** Its contacts, receipts and deliveries go with it; its conversations and tickets stay. */
  async remove(inboxId: string): Promise<void> {
    if (!(await deleteApiInbox(this.ctx.database.db, inboxId))) throw notFound();
  }

  private async load(db: Db, inboxId: string, lock = false): Promise<StoredApiInbox> {
    const inbox = await getApiInbox(db, inboxId, { lock });
    if (!inbox) throw notFound();
    return inbox;
  }

  private dto(inbox: StoredApiInbox): ApiInbox {
    return {
      id: inbox.id,
      name: inbox.name,
      webhookUrl: inbox.webhookUrl,
      defaultGroupId: inbox.defaultGroupId,
      replyWindowHours: inbox.replyWindowHours,
      templates: inbox.templates.map((t) => ({ name: t.name, body: t.body })),
      inboundUrl: `${this.publicUrl}/api/channels/api/${inbox.id}/messages`,
      createdAt: inbox.createdAt.toISOString(),
      updatedAt: inbox.updatedAt.toISOString(),
    };
  }
}

export function inboxNotFound(): DomainError {
  return new DomainError('api-channel/inbox-not-found', 'No such API-channel inbox', 'inboxId');
}
const notFound = inboxNotFound;

function assertWebhookUrl(url: string): void {
  const problem = webhookUrlProblem(url);
  if (problem) throw new DomainError('validation/invalid', problem, 'webhookUrl');
}

function assertTemplates(templates: readonly ApiTemplate[]): void {
  const seen = new Set<string>();
  templates.forEach((t, i) => {
    if (seen.has(t.name))
      throw new DomainError(
        'validation/invalid',
        `Two templates are named "${t.name}"`,
        `templates.${i}.name`,
      );
    seen.add(t.name);
  });
}

async function assertGroup(db: Db, groupId: string): Promise<void> {
  if (!(await getGroup(db, groupId)))
    throw new DomainError('not-found', 'No such group', 'defaultGroupId');
}
