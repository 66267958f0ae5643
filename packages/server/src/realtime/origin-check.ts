/**
 * Browsers send Origin with a WebSocket handshake; other pages must not open sockets with a
 * visitor's cookies. Allowed: no Origin (server-side clients), the server's own origins, and the
 * origins an admin lists for the widget.
 */
export function originAllowed(
  origin: string | undefined,
  own: readonly string[],
  allowed: readonly string[],
): boolean {
  if (origin === undefined) return true;
  const normalized = origin.toLowerCase().replace(/\/$/, '');
  return (
    own.some((o) => o.toLowerCase() === normalized) ||
    allowed.some((o) => o.toLowerCase() === normalized)
  );
}

/**
 * The handshake's rule against cross-site WebSocket hijacking: a socket authenticated by the
 * session cookie — which the browser attaches by itself, even to a request a page on another
 * origin (or a same-site subdomain) starts — opens only from the server's own pages. An explicit
 * token (`?token=` or a bearer header) is something the page had to be given, so the origins an
 * admin allowed for the widget may use one.
 */
export function handshakeOriginAllowed(
  origin: string | undefined,
  own: readonly string[],
  allowed: readonly string[],
  via: 'bearer' | 'query' | 'cookie' | null,
): boolean {
  return originAllowed(origin, own, via === 'cookie' ? [] : allowed);
}
