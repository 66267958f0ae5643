import type { Db } from '../database.js';
import type { ConversationParticipantsTable } from '../schema.js';

export type ParticipantState = ConversationParticipantsTable['state'];

/** A staff member in a chat besides its assignee (a conference guest), with their name. */
export interface StoredParticipant {
  readonly conversationId: string;
  readonly userId: string;
  readonly name: string;
  readonly role: 'conference';
  readonly state: ParticipantState;
  readonly invitedBy: string;
  readonly createdAt: Date;
  readonly joinedAt: Date | null;
  readonly leftAt: Date | null;
}

/** Everyone ever invited into the conversation, oldest invitation first (one row per person). */
export async function listParticipants(
  db: Db,
  conversationId: string,
): Promise<StoredParticipant[]> {
  const rows = await db
    .selectFrom('conversation_participants as p')
    .innerJoin('users as u', 'u.id', 'p.user_id')
    .selectAll('p')
    .select('u.name')
    .where('p.conversation_id', '=', conversationId)
    .orderBy('p.created_at')
    .orderBy('p.user_id')
    .execute();
  return rows.map((r) => ({
    conversationId: r.conversation_id,
    userId: r.user_id,
    name: r.name,
    role: r.role,
    state: r.state,
    invitedBy: r.invited_by,
    createdAt: r.created_at,
    joinedAt: r.joined_at,
    leftAt: r.left_at,
  }));
}

/**
 * Records an invitation. Someone invited before (who declined or left) is invited again on the
 * same row: the ticket's events keep the history.
 */
export async function requestParticipant(
  db: Db,
  input: { conversationId: string; userId: string; invitedBy: string; at: Date },
): Promise<void> {
  await db
    .insertInto('conversation_participants')
    .values({
      conversation_id: input.conversationId,
      user_id: input.userId,
      role: 'conference',
      state: 'requested',
      invited_by: input.invitedBy,
      created_at: input.at,
      joined_at: null,
      left_at: null,
    })
    .onConflict((oc) =>
      oc.columns(['conversation_id', 'user_id']).doUpdateSet({
        state: 'requested',
        invited_by: input.invitedBy,
        created_at: input.at,
        joined_at: null,
        left_at: null,
      }),
    )
    .execute();
}

/**
 * Moves a participant to `to` if they are in one of the `from` states. Returns whether a row
 * changed (false: they were not in such a state).
 */
export async function moveParticipant(
  db: Db,
  input: {
    conversationId: string;
    userId: string;
    from: readonly ParticipantState[];
    to: ParticipantState;
    at: Date;
  },
): Promise<boolean> {
  const r = await db
    .updateTable('conversation_participants')
    .set({
      state: input.to,
      ...(input.to === 'joined' ? { joined_at: input.at } : {}),
      ...(input.to === 'left' || input.to === 'declined' ? { left_at: input.at } : {}),
    })
    .where('conversation_id', '=', input.conversationId)
    .where('user_id', '=', input.userId)
    .where('state', 'in', [...input.from])
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
