import type { Role } from '@parlour/core';
import { describe, expect, it } from 'vitest';
import type { Db, StorageKind } from '../database.js';
import {
  deleteExpiredAuthSessions,
  findApiToken,
  findAuthSession,
  insertApiToken,
  insertAuthSession,
  revokeApiToken,
} from '../repos/auth.js';
import { getEndUser, insertAnonymousEndUser, upsertVerifiedEndUser } from '../repos/end-users.js';
import { getGroup, insertGroup, setGroupMembers } from '../repos/groups.js';
import { initSetting, readSetting, writeSetting } from '../repos/settings.js';
import { getUser, getUserByEmail, insertUser } from '../repos/users.js';
import { T0, at } from './records.js';
import { useDatabase } from './use-database.js';

async function addUser(
  db: Db,
  role: Role = 'agent',
  email = `${crypto.randomUUID()}@example.com`,
): Promise<string> {
  const id = crypto.randomUUID();
  await insertUser(db, { id, role, email, name: 'Ada', passwordHash: null, at: T0 });
  return id;
}

/** Users, groups, end users, sign-in and settings: one database, each test with its own rows. */
export function accountsContract(kind: StorageKind): void {
  describe('accounts', () => {
    const database = useDatabase(kind);

    describe('users', () => {
      it('refuses an email that differs from a stored one only in case', async () => {
        const local = crypto.randomUUID();
        await addUser(database().db, 'agent', `${local}@Example.com`);
        await expect(
          addUser(database().db, 'admin', `${local.toUpperCase()}@EXAMPLE.COM`),
        ).rejects.toMatchObject({
          code: '23505',
        });
      });

      it('finds a user by email whatever its case', async () => {
        const local = crypto.randomUUID();
        const id = await addUser(database().db, 'supervisor', `${local}@Example.com`);
        const user = await getUserByEmail(database().db, `${local.toUpperCase()}@example.COM`);
        expect(user).toMatchObject({
          id,
          role: 'supervisor',
          email: `${local}@Example.com`,
          active: true,
          groupIds: [],
        });
      });
    });

    describe('groups', () => {
      it('replaces the whole member list when members are set', async () => {
        const db = database().db;
        const [u1, u2, u3] = [await addUser(db), await addUser(db), await addUser(db)];
        const groupId = crypto.randomUUID();
        await insertGroup(db, {
          id: groupId,
          name: `Billing ${groupId}`,
          description: null,
          at: T0,
        });
        await setGroupMembers(db, groupId, [u1, u2, u1]);
        expect((await getGroup(db, groupId))?.memberIds).toEqual([u1, u2].sort());
        await setGroupMembers(db, groupId, [u3, u2]);
        expect((await getGroup(db, groupId))?.memberIds).toEqual([u2, u3].sort());
        expect((await getUser(db, u1))?.groupIds).toEqual([]);
        expect((await getUser(db, u3))?.groupIds).toEqual([groupId]);
      });

      it('empties a group when members are set to none', async () => {
        const db = database().db;
        const groupId = crypto.randomUUID();
        await insertGroup(db, {
          id: groupId,
          name: `Empty ${groupId}`,
          description: 'none left',
          at: T0,
        });
        await setGroupMembers(db, groupId, [await addUser(db)]);
        await setGroupMembers(db, groupId, []);
        expect(await getGroup(db, groupId)).toMatchObject({
          memberIds: [],
          description: 'none left',
        });
      });
    });

    describe('end users', () => {
      it('finds the same verified end user by external id and updates their email and name', async () => {
        const db = database().db;
        const externalId = `crm-${crypto.randomUUID()}`;
        const first = await upsertVerifiedEndUser(db, {
          id: crypto.randomUUID(),
          externalId,
          email: 'old@example.com',
          name: 'Old',
          at: T0,
        });
        const again = await upsertVerifiedEndUser(db, {
          id: crypto.randomUUID(),
          externalId,
          email: 'new@example.com',
          name: 'New',
          at: at(1),
        });
        expect(again).toEqual({ ...first, email: 'new@example.com', name: 'New' });
        expect(await getEndUser(db, first.id)).toEqual(again);
      });

      it('keeps anonymous end users apart and unverified', async () => {
        const db = database().db;
        const a = await insertAnonymousEndUser(db, crypto.randomUUID(), T0);
        const b = await insertAnonymousEndUser(db, crypto.randomUUID(), T0);
        expect(a.id).not.toBe(b.id);
        expect(b).toMatchObject({ externalId: null, verified: false });
      });
    });

    describe('auth', () => {
      it('finds a session together with its user', async () => {
        const db = database().db;
        const userId = await addUser(db, 'admin');
        const tokenHash = crypto.randomUUID();
        await insertAuthSession(db, { tokenHash, userId, at: T0, expiresAt: at(3600) });
        expect(await findAuthSession(db, tokenHash)).toEqual({
          userId,
          role: 'admin',
          active: true,
          expiresAt: at(3600),
        });
        expect(await findAuthSession(db, crypto.randomUUID())).toBeUndefined();
      });

      it('deletes only expired sessions', async () => {
        const db = database().db;
        const userId = await addUser(db);
        const [expired, live] = [crypto.randomUUID(), crypto.randomUUID()];
        await insertAuthSession(db, { tokenHash: expired, userId, at: T0, expiresAt: at(10) });
        await insertAuthSession(db, { tokenHash: live, userId, at: T0, expiresAt: at(1000) });
        await deleteExpiredAuthSessions(db, at(100));
        expect(await findAuthSession(db, expired)).toBeUndefined();
        expect(await findAuthSession(db, live)).toBeDefined();
      });

      it('reports a revoked API token as revoked, and revokes it only once', async () => {
        const db = database().db;
        const userId = await addUser(db);
        const id = crypto.randomUUID();
        const tokenHash = crypto.randomUUID();
        await insertApiToken(db, { id, name: 'ci', tokenHash, userId, at: T0 });
        expect(await findApiToken(db, tokenHash)).toEqual({
          id,
          userId,
          role: 'agent',
          active: true,
          revokedAt: null,
        });
        expect(await revokeApiToken(db, id, at(5))).toBe(true);
        expect(await revokeApiToken(db, id, at(6))).toBe(false);
        expect((await findApiToken(db, tokenHash))?.revokedAt).toEqual(at(5));
      });
    });

    describe('settings', () => {
      it('keeps the first value when a setting is initialised twice', async () => {
        const db = database().db;
        const key = `setting-${crypto.randomUUID()}`;
        expect(await initSetting(db, key, { name: 'Parlour' }, T0)).toEqual({ name: 'Parlour' });
        expect(await initSetting(db, key, { name: 'Other' }, at(1))).toEqual({ name: 'Parlour' });
        expect(await readSetting(db, key)).toEqual({ name: 'Parlour' });
      });

      it('replaces the value when a setting is written', async () => {
        const db = database().db;
        const key = `setting-${crypto.randomUUID()}`;
        expect(await readSetting(db, key)).toBeUndefined();
        await writeSetting(db, key, 1, T0);
        await writeSetting(db, key, { hours: [9, 17] }, at(1));
        expect(await readSetting(db, key)).toEqual({ hours: [9, 17] });
      });
    });
  });
}
