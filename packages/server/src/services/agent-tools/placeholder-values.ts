import type { PlaceholderValues } from '@parlour/core';
import { getEndUser, getGroup, getUser, type Db, type StoredTicket } from '@parlour/storage';

/** What placeholders are filled with for one ticket and the agent who is writing. */
export async function placeholderValues(
  db: Db,
  ticket: StoredTicket | null,
  agentId: string,
): Promise<PlaceholderValues> {
  // One after the other: `db` may be a transaction, which has one connection.
  const agent = await getUser(db, agentId);
  const requester = ticket ? await getEndUser(db, ticket.requesterId) : null;
  const group = ticket?.groupId ? await getGroup(db, ticket.groupId) : null;
  return {
    agent: { name: agent?.name ?? null },
    requester: { name: requester?.name ?? null, email: requester?.email ?? null },
    ticket: ticket ? { number: ticket.number, subject: ticket.subject, status: ticket.status } : {},
    group: { name: group?.name ?? null },
  };
}
