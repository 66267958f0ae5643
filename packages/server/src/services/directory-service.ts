import { DomainError, type Role } from '@parlour/core';
import type {
  CreateGroupBody,
  CreateUserBody,
  Group,
  UpdateGroupBody,
  UpdateUserBody,
  User,
} from '@parlour/protocol';
import {
  getGroup,
  getUser,
  getUserByEmail,
  insertGroup,
  insertUser,
  listGroups,
  listUsers,
  setGroupMembers,
  updateGroup,
  updateUser,
  type Db,
} from '@parlour/storage';
import { assertPasswordPolicy, hashPassword } from '../auth/index.js';
import type { ServiceContext } from './context.js';
import { groupDto, userDto } from './dto.js';

/** Staff accounts and the groups (queues, teams) they belong to. */
export class DirectoryService {
  constructor(private readonly ctx: ServiceContext) {}

  async listUsers(filter: { role?: Role; groupId?: string }): Promise<User[]> {
    return (await listUsers(this.ctx.database.db, filter)).map(userDto);
  }

  async getUser(id: string): Promise<User> {
    const user = await getUser(this.ctx.database.db, id);
    if (!user) throw new DomainError('not-found', 'No such user', 'userId');
    return userDto(user);
  }

  async createUser(body: CreateUserBody): Promise<User> {
    assertPasswordPolicy(body.password);
    const { database, clock, newId } = this.ctx;
    const id = newId();
    const passwordHash = await hashPassword(body.password);
    await database.db.transaction().execute(async (trx) => {
      if (await getUserByEmail(trx, body.email)) {
        throw new DomainError('conflict', 'A user with this email already exists', 'email');
      }
      await insertUser(trx, {
        id,
        role: body.role,
        email: body.email.trim(),
        name: body.name.trim(),
        passwordHash,
        at: clock.now(),
      });
    });
    return this.getUser(id);
  }

  async updateUser(id: string, body: UpdateUserBody, actingUserId: string): Promise<User> {
    if (body.password !== undefined) assertPasswordPolicy(body.password);
    if (
      id === actingUserId &&
      (body.active === false || (body.role !== undefined && body.role !== 'admin'))
    ) {
      // The last admin locking themselves out is the classic way to lose a workspace.
      throw new DomainError(
        'validation/invalid',
        'You cannot deactivate yourself or give up your own admin role',
        body.active === false ? 'active' : 'role',
      );
    }
    const passwordHash =
      body.password !== undefined ? await hashPassword(body.password) : undefined;
    await this.ctx.database.db.transaction().execute(async (trx) => {
      if (body.email !== undefined) {
        const other = await getUserByEmail(trx, body.email);
        if (other && other.id !== id)
          throw new DomainError('conflict', 'A user with this email already exists', 'email');
      }
      const updated = await updateUser(
        trx,
        id,
        {
          ...(body.role !== undefined ? { role: body.role } : {}),
          ...(body.email !== undefined ? { email: body.email.trim() } : {}),
          ...(body.name !== undefined ? { name: body.name.trim() } : {}),
          ...(body.active !== undefined ? { active: body.active } : {}),
          ...(passwordHash !== undefined ? { passwordHash } : {}),
        },
        this.ctx.clock.now(),
      );
      if (!updated) throw new DomainError('not-found', 'No such user', 'userId');
    });
    return this.getUser(id);
  }

  async listGroups(): Promise<Group[]> {
    return (await listGroups(this.ctx.database.db)).map(groupDto);
  }

  async getGroup(id: string): Promise<Group> {
    const group = await getGroup(this.ctx.database.db, id);
    if (!group) throw new DomainError('not-found', 'No such group', 'groupId');
    return groupDto(group);
  }

  async createGroup(body: CreateGroupBody): Promise<Group> {
    const { database, clock, newId } = this.ctx;
    const id = newId();
    await database.db.transaction().execute(async (trx) => {
      await assertNameFree(trx, body.name, null);
      await insertGroup(trx, {
        id,
        name: body.name.trim(),
        description: body.description ?? null,
        at: clock.now(),
      });
      if (body.memberIds) await setMembers(trx, id, body.memberIds);
    });
    return this.getGroup(id);
  }

  async updateGroup(id: string, body: UpdateGroupBody): Promise<Group> {
    await this.ctx.database.db.transaction().execute(async (trx) => {
      if (body.name !== undefined) await assertNameFree(trx, body.name, id);
      const updated = await updateGroup(
        trx,
        id,
        {
          ...(body.name !== undefined ? { name: body.name.trim() } : {}),
          ...(body.description !== undefined ? { description: body.description } : {}),
        },
        this.ctx.clock.now(),
      );
      if (!updated) throw new DomainError('not-found', 'No such group', 'groupId');
      if (body.memberIds) await setMembers(trx, id, body.memberIds);
    });
    return this.getGroup(id);
  }
}

async function assertNameFree(trx: Db, name: string, exceptId: string | null): Promise<void> {
  const clash = (await listGroups(trx)).find(
    (g) => g.name.toLowerCase() === name.trim().toLowerCase() && g.id !== exceptId,
  );
  if (clash) throw new DomainError('conflict', 'A group with this name already exists', 'name');
}

async function setMembers(trx: Db, groupId: string, memberIds: readonly string[]): Promise<void> {
  const users = await listUsers(trx);
  const known = new Set(users.map((u) => u.id));
  const unknown = memberIds.find((m) => !known.has(m));
  if (unknown) throw new DomainError('not-found', `No such user ${unknown}`, 'memberIds');
  await setGroupMembers(trx, groupId, memberIds);
}
