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
