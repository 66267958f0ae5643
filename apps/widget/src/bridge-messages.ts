/**
 * The messages the loader (host page) and the chat frame exchange by postMessage. Each side only
 * accepts them from the other's window and origin.
 */
export type FrameToHost =
  /** The frame has loaded and listens: the host answers with `init`. */
  | { parlour: 'ready' }
  /** The customer closed the chat from inside the frame. */
  | { parlour: 'close' }
  /** Agent and bot messages the customer has not seen yet (the launcher's badge). */
  | { parlour: 'unread'; count: number }
  /** Whether this visitor has a chat (the host then loads the frame with the page next time). */
  | { parlour: 'active'; value: boolean }
  /** The height the chat would like (clamped by the host). */
  | { parlour: 'resize'; height: number }
  /** The admin's widget colour (#rrggbb), for the launcher. */
  | { parlour: 'theme'; color: string };

export type HostToFrame =
  | { parlour: 'init'; open: boolean; jwt?: string }
  | { parlour: 'open' }
  | { parlour: 'closed' }
  /** The host page's user signed in: the company's JWT for POST /api/widget/session. */
  | { parlour: 'identify'; jwt: string };
