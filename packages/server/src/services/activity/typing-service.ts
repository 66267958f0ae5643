import { DomainError } from '@parlour/core';
import { getEndUser, getUser, loadConversationState } from '@parlour/storage';
import type { Principal } from '../../principal.js';
import type { ServiceContext } from '../context.js';
import { assertVisible } from '../conversation-service.js';
import { publishActivity } from './activity-signal.js';

/**
 * The typing indicator: tells the other people in a conversation that someone is typing. Never
 * stored and never numbered; it goes over the bus so sockets on every process hear it.
 */
export class TypingService {
  constructor(private readonly ctx: ServiceContext) {}

  async typing(
    principal: Principal,
    input: {
      conversationId: string;
      typing: boolean;
      kind: 'public' | 'internal';
      /** The sending socket, which does not get it back. */
      from: string | null;
    },
  ): Promise<void> {
    if (principal.kind === 'end_user' && input.kind === 'internal') {
      throw new DomainError('auth/forbidden', 'Only staff write internal notes', 'kind');
    }
    const db = this.ctx.database.db;
    assertVisible(principal, await loadConversationState(db, input.conversationId));
    const name =
      principal.kind === 'user'
        ? ((await getUser(db, principal.id))?.name ?? null)
        : ((await getEndUser(db, principal.id))?.name ?? null);
    await publishActivity(this.ctx.bus, {
      frame: {
        type: 'typing',
        conversationId: input.conversationId,
        actor: { type: principal.kind, id: principal.id, name },
        typing: input.typing,
      },
      from: input.from,
      staffOnly: input.kind === 'internal',
    });
  }
}
