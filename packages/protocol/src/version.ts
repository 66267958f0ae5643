/** Bumped on any breaking change to HTTP bodies or WebSocket frames. Clients send it when they connect. */
export const PROTOCOL_VERSION = 1;
