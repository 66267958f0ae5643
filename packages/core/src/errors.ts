/**
 * Every rule the core enforces fails with a typed code. The server maps codes to HTTP statuses
 * and WebSocket error frames in one place (packages/server/src/http/error-mapping.ts).
 */
export type DomainErrorCode =
  | 'validation/invalid'
  | 'content/card-data'
  | 'ticket/closed'
  | 'ticket/illegal-transition'
  | 'ticket/assignee-required'
  | 'ticket/not-found'
  | 'ticket/already-exists'
  | 'conversation/not-found'
  | 'conversation/closed'
  | 'session/ended'
  | 'message/empty'
  | 'message/too-long'
  | 'message/forbidden-kind'
  | 'requester/no-email'
  | 'auth/unauthenticated'
  | 'auth/forbidden'
  | 'auth/invalid-credentials'
  | 'auth/rate-limited'
  | 'auth/token-invalid'
  | 'auth/token-expired'
  | 'auth/verification-required'
  | 'routing/offer-closed'
  | 'routing/agent-offline'
  | 'routing/status-illegal'
  | 'not-found'
  | 'conflict'
  | 'csat/expired'
  | 'csat/answered'
  | 'api-channel/inbox-not-found'
  | 'api-channel/bad-signature'
  | 'api-channel/stale-timestamp'
  | 'api-channel/replayed'
  | 'api-channel/idempotency-key'
  | 'api-channel/idempotency-conflict'
  | 'api-channel/reply-window-closed'
  | 'api-channel/unknown-template'
  | 'api-channel/template-parameters'
  | 'attachment/too-large'
  | 'attachment/empty'
  | 'attachment/bad-name'
  | 'attachment/type-not-allowed'
  | 'attachment/type-mismatch'
  | 'attachment/polyglot'
  | 'attachment/card-data'
  | 'attachment/unscannable'
  | 'attachment/not-found'
  | 'bot/invalid-flow'
  | 'email/malformed'
  | 'email/too-large'
  | 'email/too-complex'
  | 'email/unknown-recipient';

export class DomainError extends Error {
  readonly code: DomainErrorCode;
  readonly field: string | undefined;

  constructor(code: DomainErrorCode, message: string, field?: string) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.field = field;
  }
}

export function isDomainError(value: unknown): value is DomainError {
  return value instanceof DomainError;
}
