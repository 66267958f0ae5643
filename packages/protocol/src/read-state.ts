import { Type, type Static } from 'typebox';
import { Id } from './common.js';

/** One conversation of the caller's with messages from others after the caller's read seq. */
export const UnreadCount = Type.Object({
  conversationId: Id,
  ticketId: Id,
  unread: Type.Integer({ minimum: 1 }),
});
export type UnreadCount = Static<typeof UnreadCount>;

/** GET /api/agents/me/unread: the caller's assigned tickets and conferences with unread messages. */
export const UnreadCounts = Type.Object({ items: Type.Array(UnreadCount) });
export type UnreadCounts = Static<typeof UnreadCounts>;
