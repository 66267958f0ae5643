import { DomainError } from '../errors.js';
import type { Actor } from '../identity/actor.js';
import type { Session, SessionEndReason } from './session.js';

/**
 * Ends a messaging session. Only the session changes: the ticket's status does not (seed 000),
 * and the caller releases messaging capacity and switches the composer away from messaging.
 */
export function endSession(
  session: Session,
  reason: SessionEndReason,
  actor: Actor,
  at: Date,
): Session {
  if (session.state === 'ended') {
    throw new DomainError('session/ended', 'This messaging session has already ended', 'session');
  }
  if (reason === 'ended_by_agent' && actor.type !== 'user' && actor.type !== 'system') {
    throw new DomainError(
      'auth/forbidden',
      'Only an agent can end a session as the agent',
      'reason',
    );
  }
  if (reason === 'customer_left' && actor.type !== 'end_user' && actor.type !== 'user') {
    throw new DomainError(
      'auth/forbidden',
      'Only the customer (or an agent reporting it) can say the customer left',
      'reason',
    );
  }
  return { ...session, state: 'ended', endReason: reason, endedAt: at };
}
