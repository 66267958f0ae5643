import { DomainError } from '@parlour/core';
import type { LiveModel } from '@parlour/protocol';
import type { Db } from '@parlour/storage';
import type { Principal } from '../../principal.js';

/** What one viewer may see and act on: everything (admins) or the groups they are a member of. */
export type LiveScope =
  { readonly all: true } | { readonly all: false; readonly groupIds: ReadonlySet<string> };

const ALL: LiveScope = { all: true };

function staffOf(principal: Principal): Principal & { kind: 'user' } {
  if (principal.kind !== 'user' || principal.role === 'agent')
    throw new DomainError('auth/forbidden', 'The live view is for supervisors and admins');
  return principal;
}

/** Reads the viewer's scope from group_members (a supervisor in no group sees nothing). */
export async function loadScope(db: Db, principal: Principal): Promise<LiveScope> {
  const staff = staffOf(principal);
  if (staff.role === 'admin') return ALL;
  const rows = await db
    .selectFrom('group_members')
    .select('group_id')
    .where('user_id', '=', staff.id)
    .execute();
  return { all: false, groupIds: new Set(rows.map((r) => r.group_id)) };
}

/** The same scope, read from a model just loaded (it holds every user's groups): no extra query. */
export function scopeFromModel(model: LiveModel, principal: Principal): LiveScope {
  const staff = staffOf(principal);
  if (staff.role === 'admin') return ALL;
  const me = model.agents.find((a) => a.id === staff.id);
  return { all: false, groupIds: new Set(me?.groupIds ?? []) };
}

/** The part of the model a viewer sees: their queues, and the agents who share one of them. */
export function scopeModel(model: LiveModel, scope: LiveScope): LiveModel {
  if (scope.all) return model;
  return {
    at: model.at,
    queues: model.queues.filter((q) => scope.groupIds.has(q.groupId)),
    agents: model.agents.filter((a) => a.groupIds.some((g) => scope.groupIds.has(g))),
  };
}

const outside = (what: string) =>
  new DomainError('auth/forbidden', `${what} is outside your groups`);

export function assertGroupInScope(scope: LiveScope, groupId: string): void {
  if (!scope.all && !scope.groupIds.has(groupId)) throw outside('This queue');
}

/** An agent is in scope when they are a member of one of the viewer's groups. */
export async function assertAgentInScope(db: Db, scope: LiveScope, userId: string): Promise<void> {
  if (scope.all) return;
  if (scope.groupIds.size === 0) throw outside('This agent');
  const row = await db
    .selectFrom('group_members')
    .select('user_id')
    .where('user_id', '=', userId)
    .where('group_id', 'in', [...scope.groupIds])
    .executeTakeFirst();
  if (!row) throw outside('This agent');
}

/**
 * A conversation is in scope when its ticket's queue is one of the viewer's groups or its assignee
 * is an agent in scope. Conversations without a ticket (still with the bot) are admins' only.
 */
export async function assertConversationInScope(
  db: Db,
  scope: LiveScope,
  conversationId: string,
): Promise<{ ticketId: string | null; assigneeId: string | null; groupId: string | null }> {
  const conversation = await db
    .selectFrom('conversations')
    .leftJoin('tickets', 'tickets.conversation_id', 'conversations.id')
    .select([
      'tickets.id as ticketId',
      'tickets.assignee_id as assigneeId',
      'tickets.group_id as groupId',
    ])
    .where('conversations.id', '=', conversationId)
    .executeTakeFirst();
  if (!conversation)
    throw new DomainError('conversation/not-found', 'No such conversation', 'conversationId');
  if (scope.all) return conversation;
  if (conversation.groupId && scope.groupIds.has(conversation.groupId)) return conversation;
  if (conversation.assigneeId) {
    await assertAgentInScope(db, scope, conversation.assigneeId).catch(() => {
      throw outside('This conversation');
    });
    return conversation;
  }
  throw outside('This conversation');
}
