import { DomainError } from '@parlour/core';
import type { ReadMarks, UnreadCounts } from '@parlour/protocol';
import { loadConversationState, markRead, readMarks, unreadForUser } from '@parlour/storage';
import type { Principal } from '../../principal.js';
import type { ServiceContext } from '../context.js';
import { assertVisible } from '../conversation-service.js';
import { publishActivity } from './activity-signal.js';

/**
 * Read state: how far the customer and each staff member have read a conversation. Stored (a
 * lower seq never lowers it), told to the other sockets in the conversation, and the source of
 * agents' unread counts.
 */
export class ReadStateService {
  constructor(private readonly ctx: ServiceContext) {}

  /** The principal has seen everything up to `seq`. Returns their read seq afterwards. */
  async markRead(
    principal: Principal,
    conversationId: string,
    seq: number,
    from: string | null = null,
  ): Promise<{ seq: number }> {
    const db = this.ctx.database.db;
    const state = await loadConversationState(db, conversationId);
    assertVisible(principal, state);
    if (seq > state.lastSeq) {
      throw new DomainError(
        'validation/invalid',
        `seq ${seq} is beyond the conversation's last entry (${state.lastSeq})`,
        'seq',
      );
    }
    const reader = { type: principal.kind, id: principal.id };
    const result = await markRead(db, { conversationId, reader, seq, at: this.ctx.clock.now() });
    // A first read at seq 0 is stored but tells nobody anything.
    if (result.advanced && result.seq > 0) {
      await publishActivity(this.ctx.bus, {
        frame: { type: 'read', conversationId, reader, seq: result.seq },
        from,
        staffOnly: false,
      });
    }
    return { seq: result.seq };
  }

  /** The read marks a (re)subscribing client shows: the customer's and the staff's. */
  marks(conversationId: string): Promise<ReadMarks> {
    return readMarks(this.ctx.database.db, conversationId);
  }

  /** A staff member's assigned chats and conferences with messages from others they have not read. */
  async unread(userId: string): Promise<UnreadCounts> {
    return { items: await unreadForUser(this.ctx.database.db, userId) };
  }
}
