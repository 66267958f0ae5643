import type { Db } from '../database.js';

export async function readSetting<T>(db: Db, key: string): Promise<T | undefined> {
  const row = await db
    .selectFrom('settings')
    .select('value')
    .where('key', '=', key)
    .executeTakeFirst();
  return row ? (row.value as T) : undefined;
}

export async function writeSetting(db: Db, key: string, value: unknown, at: Date): Promise<void> {
  await db
    .insertInto('settings')
    .values({ key, value: JSON.stringify(value), updated_at: at })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({ value: JSON.stringify(value), updated_at: at }),
    )
    .execute();
}

/** Inserts the value only if the key is new; returns the value that is stored either way. */
export async function initSetting<T>(db: Db, key: string, value: T, at: Date): Promise<T> {
  await db
    .insertInto('settings')
    .values({ key, value: JSON.stringify(value), updated_at: at })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  return (await readSetting<T>(db, key)) as T;
}
