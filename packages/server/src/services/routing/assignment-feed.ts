import type { FeedEvent } from '@parlour/protocol';
import type { Audience, Db, StoredConversationState } from '@parlour/storage';

/**
 * What the customer sees when a live chat changes hands (an accepted offer, a transfer, a
 * reassignment): the agent who had it left, then the new one joined. Nothing when the assignee
 * stays, for email, or once the session has ended (nobody is there to see it).
 */
export async function assignmentFeedEvents(
  trx: Db,
  state: StoredConversationState,
  beforeAssigneeId: string | null,
  afterAssigneeId: string | null,
): Promise<{ event: FeedEvent; audience: Audience }[]> {
  if (beforeAssigneeId === afterAssigneeId) return [];
  if (state.conversation.channel !== 'messaging' || state.session?.state !== 'active') return [];
  const ids = [beforeAssigneeId, afterAssigneeId].filter((id): id is string => id !== null);
  const users = await trx
    .selectFrom('users')
    .select(['id', 'name'])
    .where('id', 'in', ids)
    .execute();
  const nameOf = (id: string) => users.find((u) => u.id === id)?.name ?? '';
  const events: { event: FeedEvent; audience: Audience }[] = [];
  if (beforeAssigneeId) {
    events.push({
      event: { type: 'agent.left', agentId: beforeAssigneeId, agentName: nameOf(beforeAssigneeId) },
      audience: 'all',
    });
  }
  if (afterAssigneeId) {
    events.push({
      event: { type: 'agent.joined', agentId: afterAssigneeId, agentName: nameOf(afterAssigneeId) },
      audience: 'all',
    });
  }
  return events;
}
