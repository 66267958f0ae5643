import { isDomainError, type DomainErrorCode } from '@parlour/core';

/** The one place where error codes become HTTP statuses (and WebSocket error frames reuse the codes). */
const STATUS: Readonly<Record<DomainErrorCode, number>> = {
  'validation/invalid': 400,
  'content/card-data': 422,
  'message/empty': 400,
  'message/too-long': 400,
  'message/forbidden-kind': 403,
  'ticket/closed': 409,
  'ticket/illegal-transition': 409,
  'ticket/assignee-required': 422,
  'ticket/not-found': 404,
  'ticket/already-exists': 409,
  'conversation/not-found': 404,
  'conversation/closed': 409,
  'session/ended': 409,
  'requester/no-email': 422,
  'auth/unauthenticated': 401,
  'auth/forbidden': 403,
  'auth/invalid-credentials': 401,
  'auth/rate-limited': 429,
  'auth/token-invalid': 401,
  'auth/token-expired': 401,
  'auth/verification-required': 401,
  'routing/offer-closed': 409,
  'routing/agent-offline': 409,
  'routing/status-illegal': 409,
  'not-found': 404,
  conflict: 409,
  'csat/expired': 410,
  'csat/answered': 409,
  'api-channel/inbox-not-found': 404,
  'api-channel/bad-signature': 401,
  'api-channel/stale-timestamp': 401,
  'api-channel/replayed': 401,
  'api-channel/idempotency-key': 400,
  'api-channel/idempotency-conflict': 422,
  'api-channel/reply-window-closed': 422,
  'api-channel/unknown-template': 400,
  'api-channel/template-parameters': 400,
  'attachment/too-large': 413,
  'attachment/empty': 400,
  'attachment/bad-name': 400,
  'attachment/type-not-allowed': 415,
  'attachment/type-mismatch': 415,
  'attachment/polyglot': 415,
  'attachment/card-data': 422,
  'attachment/unscannable': 415,
  'attachment/not-found': 400,
  'email/malformed': 400,
  'email/too-large': 413,
  'email/too-complex': 422,
  'email/unknown-recipient': 422,
  'bot/invalid-flow': 400,
};

export interface ErrorReply {
  readonly status: number;
  readonly body: { error: { code: string; message: string; field?: string } };
  readonly retryAfterSeconds?: number;
}

interface FastifyLikeError {
  code?: string;
  statusCode?: number;
  message: string;
  validation?: {
    keyword?: string;
    instancePath?: string;
    params?: Record<string, unknown>;
    message?: string;
  }[];
  validationContext?: string;
}

/** Maps anything thrown while handling a request to a status and the `{error: {code, message, field}}` body. */
export function toErrorReply(error: unknown): ErrorReply {
  if (isDomainError(error)) {
    const retry = (error as { retryAfterSeconds?: unknown }).retryAfterSeconds;
    return {
      status: STATUS[error.code],
      body: {
        error: {
          code: error.code,
          message: error.message,
          ...(error.field ? { field: error.field } : {}),
        },
      },
      ...(typeof retry === 'number' ? { retryAfterSeconds: retry } : {}),
    };
  }
  const e = error as FastifyLikeError;
  if (e?.validation && e.validation.length > 0) {
    const first = e.validation[0]!;
    const field = fieldOf(first);
    return {
      status: 400,
      body: {
        error: {
          code: 'validation/invalid',
          message: `${e.validationContext ?? 'request'}${field ? `.${field}` : ''} ${validationMessage(first)}`,
          ...(field ? { field } : {}),
        },
      },
    };
  }
  switch (e?.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return edge(413, 'request/too-large', 'The request body is too large');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return edge(400, 'request/invalid-json', 'The body is not valid JSON');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return edge(415, 'request/unsupported-media-type', 'Send application/json');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return edge(400, 'request/invalid', 'Content-Length does not match the body');
  }
  if (typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return edge(e.statusCode, 'request/invalid', e.message);
  }
  return edge(
    500,
    'internal',
    'Something went wrong on our side; nothing was changed by the failed step',
  );
}

function edge(status: number, code: string, message: string): ErrorReply {
  return { status, body: { error: { code, message } } };
}

function fieldOf(v: {
  instancePath?: string;
  params?: Record<string, unknown>;
}): string | undefined {
  const path = (v.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
  const extra =
    v.params?.missingProperty ??
    v.params?.additionalProperty ??
    first(v.params?.requiredProperties) ??
    first(v.params?.additionalProperties);
  const leaf = typeof extra === 'string' ? extra : undefined;
  const full = [path, leaf].filter(Boolean).join('.');
  return full || undefined;
}

/** TypeBox reports a field that `additionalProperties: false` refuses as "schema is false". */
function validationMessage(v: { keyword?: string; message?: string }): string {
  if (v.keyword === 'boolean' || v.keyword === 'additionalProperties')
    return 'is not a known field';
  return v.message ?? 'is invalid';
}

function first(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : undefined;
}
