import { DomainError, validateFlow, type BotFlow } from '@parlour/core';
import type {
  BotFlow as BotFlowBody,
  BotArticle,
  BotFlowRecord,
  CreateBotArticleBody,
  SaveBotFlowBody,
  UpdateBotArticleBody,
} from '@parlour/protocol';
import {
  deleteBotArticle,
  getBotFlow,
  insertBotArticle,
  listBotArticles,
  listGroups,
  listSkills,
  saveBotFlow,
  updateBotArticle,
  type StoredBotArticle,
} from '@parlour/storage';
import type { ServiceContext } from '../context.js';

/** The admin's side of the bot: the flow (validated, versioned) and the articles it answers from. */
export class BotAdminService {
  /** Told after every save, so this process's runner sees the new flow at once. */
  changed: () => void = () => {};

  constructor(private readonly ctx: ServiceContext) {}

  async flow(): Promise<BotFlowRecord> {
    const stored = await getBotFlow(this.ctx.database.db);
    return stored
      ? {
          flow: stored.flow as unknown as BotFlowRecord['flow'],
          version: stored.version,
          updatedAt: stored.updatedAt.toISOString(),
        }
      : { flow: null, version: 0, updatedAt: null };
  }

  /** Checks the whole flow (references included) and saves it as the next version; invalid: nothing saved. */
  async saveFlow(
    userId: string,
    body: SaveBotFlowBody | BotFlowBody,
    expectedVersion?: number,
  ): Promise<BotFlowRecord> {
    const { database, clock } = this.ctx;
    const saved = await database.db.transaction().execute(async (trx) => {
      const [groups, skills] = await Promise.all([listGroups(trx), listSkills(trx)]);
      const flow: BotFlow = validateFlow(body, {
        groupIds: new Set(groups.map((g) => g.id)),
        skillIds: new Set(skills.map((s) => s.id)),
      });
      const stored = await saveBotFlow(trx, {
        flow,
        at: clock.now(),
        by: userId,
        ...(expectedVersion !== undefined ? { expectedVersion } : {}),
      });
      if (!stored)
        throw new DomainError(
          'conflict',
          `The flow changed since version ${expectedVersion}`,
          'expectedVersion',
        );
      return stored;
    });
    this.changed();
    return {
      flow: saved.flow as unknown as BotFlowRecord['flow'],
      version: saved.version,
      updatedAt: saved.updatedAt.toISOString(),
    };
  }

  async articles(): Promise<BotArticle[]> {
    return (await listBotArticles(this.ctx.database.db)).map(articleDto);
  }

  async createArticle(body: CreateBotArticleBody): Promise<BotArticle> {
    const { database, clock, newId } = this.ctx;
    const article = await insertBotArticle(database.db, {
      id: newId(),
      title: body.title.trim(),
      keywords: cleanKeywords(body.keywords ?? []),
      body: body.body,
      active: body.active ?? true,
      at: clock.now(),
    });
    return articleDto(article);
  }

  async updateArticle(id: string, body: UpdateBotArticleBody): Promise<BotArticle> {
    const { database, clock } = this.ctx;
    const article = await updateBotArticle(
      database.db,
      id,
      {
        ...(body.title !== undefined ? { title: body.title.trim() } : {}),
        ...(body.keywords !== undefined ? { keywords: cleanKeywords(body.keywords) } : {}),
        ...(body.body !== undefined ? { body: body.body } : {}),
        ...(body.active !== undefined ? { active: body.active } : {}),
      },
      clock.now(),
    );
    if (!article) throw noSuchArticle();
    return articleDto(article);
  }

  async deleteArticle(id: string): Promise<void> {
    if (!(await deleteBotArticle(this.ctx.database.db, id))) throw noSuchArticle();
  }
}

function cleanKeywords(keywords: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of keywords) {
    const k = raw.trim();
    if (k === '')
      throw new DomainError('validation/invalid', 'A keyword cannot be blank', 'keywords');
    if (!out.some((o) => o.toLowerCase() === k.toLowerCase())) out.push(k);
  }
  return out;
}

function noSuchArticle(): DomainError {
  return new DomainError('not-found', 'No such article', 'articleId');
}

function articleDto(a: StoredBotArticle): BotArticle {
  return {
    id: a.id,
    title: a.title,
    keywords: [...a.keywords],
    body: a.body,
    active: a.active,
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
  };
}
