import { describe, expect, it } from 'vitest';
import { T0 } from '../contract/records.js';
import { useDatabase } from '../contract/use-database.js';
import { availableStorageKinds } from '../testing/test-database.js';
import { insertMacro, isUniqueViolation, listMacros } from './agent-tools-macros.js';
import { insertResponse, searchResponses } from './agent-tools-responses.js';
import { deleteWrapUpReason, insertWrapUpReason } from './agent-tools-wrap-ups.js';
import { insertUser } from './users.js';

describe.each(availableStorageKinds())('agent tools storage on %s', (kind) => {
  const database = useDatabase(kind);
  const macro = (title: string, ownerId: string | null) => ({
    id: crypto.randomUUID(),
    title,
    body: 'Text',
    bodyKind: 'public' as const,
    actions: [],
    active: true,
    position: 0,
    ownerId,
    at: T0,
  });

  it('refuses two shared macros whose titles differ only in case', async () => {
    const db = database().db;
    await insertMacro(db, macro('Same title', null));
    const error = await insertMacro(db, macro('SAME TITLE', null)).catch((e: unknown) => e);
    expect(isUniqueViolation(error)).toBe(true);
  });

  it("lists shared macros and the owner's own, never another user's", async () => {
    const db = database().db;
    const [me, other] = [crypto.randomUUID(), crypto.randomUUID()];
    for (const id of [me, other]) {
      await insertUser(db, {
        id,
        role: 'agent',
        email: `${id}@example.com`,
        name: 'Agent',
        passwordHash: null,
        at: T0,
      });
    }
    const mine = macro('Mine', me);
    const theirs = macro('Theirs', other);
    const shared = macro('Everyone', null);
    for (const m of [mine, theirs, shared]) await insertMacro(db, m);
    const listed = (await listMacros(db, { ownerId: me })).map((m) => m.id);
    expect(listed).toEqual(expect.arrayContaining([mine.id, shared.id]));
    expect(listed).not.toContain(theirs.id);
    expect(listed.indexOf(shared.id)).toBeLessThan(listed.indexOf(mine.id));
  });

  it('searches responses case-insensitively, the typed shortcut first', async () => {
    const db = database().db;
    for (const [title, shortcut, body] of [
      ['Zebra hours', 'hours', 'We open at 9.'],
      ['About opening HOURS', null, 'See the website.'],
    ] as const) {
      await insertResponse(db, {
        id: crypto.randomUUID(),
        title,
        shortcut,
        body,
        groupId: null,
        at: T0,
      });
    }
    const found = await searchResponses(db, { q: 'Hours', limit: 10 });
    expect(found.map((r) => r.title)).toEqual(['Zebra hours', 'About opening HOURS']);
  });

  it('deletes a wrap-up reason no ticket has', async () => {
    const db = database().db;
    const id = crypto.randomUUID();
    await insertWrapUpReason(db, { id, name: `Reason ${id}`, position: 0, at: T0 });
    expect(await deleteWrapUpReason(db, id)).toBe(true);
    expect(await deleteWrapUpReason(db, id)).toBe(false);
  });
});
