import type { FastifyReply, FastifyRequest } from 'fastify';

export type CspKind = 'api' | 'page' | 'widget';

export interface SecurityHeadersOptions {
  /** The server's public URL: https turns on HSTS; its host is the socket's connect-src. */
  readonly publicUrl?: string;
  /** The origins an admin lets embed the widget (settings allowedOrigins). */
  readonly allowedOrigins: () => Promise<readonly string[]>;
}

/** JSON (and anything not a page): nothing may load, run or frame it. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

// Only plain origins go into a header: a stored value with ';' or spaces must not add directives.
const ORIGIN = /^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i;

/**
 * The policy of a page the server serves: its own scripts, styles and images only (no inline
 * code), talking to itself only, framed by nobody — or, for the widget's page, by the origins an
 * admin allowed.
 */
export function pageCsp(options: {
  socketOrigin?: string;
  frameAncestors?: readonly string[];
}): string {
  const ancestors = (options.frameAncestors ?? []).filter((o) => ORIGIN.test(o));
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    // 'self' covers ws(s) to the same host in current browsers; older ones need it spelled out.
    `connect-src 'self'${options.socketOrigin ? ` ${options.socketOrigin}` : ''}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${options.frameAncestors ? ["'self'", ...ancestors].join(' ') : "'none'"}`,
  ].join('; ');
}

function isHtml(contentType: unknown): boolean {
  return typeof contentType === 'string' && contentType.startsWith('text/html');
}

/**
 * Headers every response gets (an onSend hook, so errors and 404s get them too): no MIME
 * sniffing, no Referer (survey links carry tokens), no framing, and a Content-Security-Policy by
 * the route's `config.csp` — by default 'page' for HTML and 'api' for everything else. A 'widget'
 * page may be framed by the admin's allowed origins instead. HSTS when the public URL is https.
 */
export function securityHeadersHook(options: SecurityHeadersOptions) {
  const https = options.publicUrl?.startsWith('https://') ?? false;
  const socketOrigin = options.publicUrl?.replace(/^http/, 'ws');
  const page = pageCsp(socketOrigin ? { socketOrigin } : {});
  return async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const kind: CspKind =
      request.routeOptions.config?.csp ??
      (isHtml(reply.getHeader('content-type')) ? 'page' : 'api');
    void reply.header('x-content-type-options', 'nosniff');
    void reply.header('referrer-policy', 'no-referrer');
    if (https) void reply.header('strict-transport-security', 'max-age=31536000');
    if (kind === 'widget') {
      const frameAncestors = await options.allowedOrigins();
      void reply.removeHeader('x-frame-options');
      void reply.header(
        'content-security-policy',
        pageCsp({ ...(socketOrigin ? { socketOrigin } : {}), frameAncestors }),
      );
    } else {
      void reply.header('x-frame-options', 'DENY');
      void reply.header('content-security-policy', kind === 'page' ? page : API_CSP);
    }
    return payload;
  };
}
