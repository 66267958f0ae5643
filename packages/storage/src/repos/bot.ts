import type { Db } from '../database.js';

export interface StoredBotFlow {
  /** The flow as the admin saved it (validated by the core before it is stored). */
  readonly flow: Record<string, unknown>;
  readonly version: number;
  readonly updatedAt: Date;
}

export interface StoredBotArticle {
  readonly id: string;
  readonly title: string;
  readonly keywords: readonly string[];
  readonly body: string;
  readonly active: boolean;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface StoredBotState {
  readonly state: Record<string, unknown>;
  /** The seq of the last customer message the bot answered. */
  readonly handledSeq: number;
}

export async function getBotFlow(db: Db): Promise<StoredBotFlow | null> {
  const row = await db.selectFrom('bot_flows').selectAll().where('id', '=', 1).executeTakeFirst();
  return row ? { flow: row.flow, version: row.version, updatedAt: row.updated_at } : null;
}

/** Saves the flow as the next version; with `expectedVersion`, only if that is still the stored one. */
export async function saveBotFlow(
  db: Db,
  input: { flow: object; at: Date; by: string | null; expectedVersion?: number },
): Promise<StoredBotFlow | null> {
  const current = await db
    .selectFrom('bot_flows')
    .select('version')
    .where('id', '=', 1)
    .forUpdate()
    .executeTakeFirst();
  const version = current?.version ?? 0;
  if (input.expectedVersion !== undefined && input.expectedVersion !== version) return null;
  const values = {
    flow: JSON.stringify(input.flow),
    version: version + 1,
    updated_at: input.at,
    updated_by: input.by,
  };
  const row = await db
    .insertInto('bot_flows')
    .values({ id: 1, ...values })
    .onConflict((oc) => oc.column('id').doUpdateSet(values))
    .returningAll()
    .executeTakeFirstOrThrow();
  return { flow: row.flow, version: row.version, updatedAt: row.updated_at };
}

type ArticleRow = {
  id: string;
  title: string;
  keywords: string[];
  body: string;
  active: boolean;
  created_at: Date;
  updated_at: Date;
};

function toArticle(r: ArticleRow): StoredBotArticle {
  return {
    id: r.id,
    title: r.title,
    keywords: r.keywords,
    body: r.body,
    active: r.active,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export async function listBotArticles(
  db: Db,
  options: { activeOnly?: boolean } = {},
): Promise<StoredBotArticle[]> {
  let query = db.selectFrom('bot_articles').selectAll().orderBy('created_at').orderBy('id');
  if (options.activeOnly) query = query.where('active', '=', true);
  return (await query.execute()).map(toArticle);
}

export async function getBotArticle(db: Db, id: string): Promise<StoredBotArticle | null> {
  const row = await db
    .selectFrom('bot_articles')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toArticle(row) : null;
}

export async function insertBotArticle(
  db: Db,
  input: {
    id: string;
    title: string;
    keywords: readonly string[];
    body: string;
    active: boolean;
    at: Date;
  },
): Promise<StoredBotArticle> {
  const row = await db
    .insertInto('bot_articles')
    .values({
      id: input.id,
      title: input.title,
      keywords: [...input.keywords],
      body: input.body,
      active: input.active,
      created_at: input.at,
      updated_at: input.at,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toArticle(row);
}

export async function updateBotArticle(
  db: Db,
  id: string,
  patch: { title?: string; keywords?: readonly string[]; body?: string; active?: boolean },
  at: Date,
): Promise<StoredBotArticle | null> {
  const row = await db
    .updateTable('bot_articles')
    .set({
      ...(patch.title !== undefined ? { title: patch.title } : {}),
      ...(patch.keywords !== undefined ? { keywords: [...patch.keywords] } : {}),
      ...(patch.body !== undefined ? { body: patch.body } : {}),
      ...(patch.active !== undefined ? { active: patch.active } : {}),
      updated_at: at,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  return row ? toArticle(row) : null;
}

export async function deleteBotArticle(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom('bot_articles').where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Where the conversation stands in the flow; null before the bot first spoke in it. */
export async function getBotState(db: Db, conversationId: string): Promise<StoredBotState | null> {
  const row = await db
    .selectFrom('bot_conversation_states')
    .select(['state', 'handled_seq'])
    .where('conversation_id', '=', conversationId)
    .executeTakeFirst();
  return row ? { state: row.state, handledSeq: row.handled_seq } : null;
}

export async function saveBotState(
  db: Db,
  conversationId: string,
  input: { state: object; handledSeq: number; at: Date },
): Promise<void> {
  const values = {
    state: JSON.stringify(input.state),
    handled_seq: input.handledSeq,
    updated_at: input.at,
  };
  await db
    .insertInto('bot_conversation_states')
    .values({ conversation_id: conversationId, ...values })
    .onConflict((oc) => oc.column('conversation_id').doUpdateSet(values))
    .execute();
}

/** The customer's public messages after `afterSeq`, oldest first: what the bot has not answered yet. */
export async function customerMessagesAfter(db: Db, conversationId: string, afterSeq: number) {
  return db
    .selectFrom('messages')
    .select(['id', 'seq', 'body'])
    .where('conversation_id', '=', conversationId)
    .where('seq', '>', afterSeq)
    .where('author_type', '=', 'end_user')
    .where('kind', '=', 'public')
    .orderBy('seq')
    .limit(100)
    .execute();
}

/** Sets the end user's name and email the bot collected; a verified (JWT) identity is never changed. */
export async function setCollectedIdentity(
  db: Db,
  endUserId: string,
  input: { name?: string; email?: string; at: Date },
): Promise<boolean> {
  if (input.name === undefined && input.email === undefined) return false;
  const result = await db
    .updateTable('end_users')
    .set({
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.email !== undefined ? { email: input.email } : {}),
      updated_at: input.at,
    })
    .where('id', '=', endUserId)
    .where('verified', '=', false)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
