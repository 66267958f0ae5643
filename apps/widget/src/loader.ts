/**
 * The widget loader (/widget.js): one `<script src="https://parlour.example/widget.js" async>` on
 * any page. It adds a launcher button and, when the chat is first opened (or at once when this
 * visitor already has a chat, so the unread badge works), the chat frame from the same origin as
 * this script. The frame and this script talk by postMessage, each checking the other's window
 * and origin. Host API: `window.Parlour.open()`, `.close()`, `.identify(jwt)`; identity also
 * through `data-jwt` on the script tag or `window.parlourSettings = { jwt }`.
 */
import type { FrameToHost, HostToFrame } from './bridge-messages.js';

interface ParlourApi {
  open(): void;
  close(): void;
  identify(jwt: string): void;
}

declare global {
  interface Window {
    Parlour?: ParlourApi;
    parlourSettings?: { jwt?: string };
  }
}

/** Host-page storage: set while this visitor has a chat, so the frame loads with the page. */
const ACTIVE_KEY = 'parlour:active';
const INK = '#1f3a8a';
const CHAT_ICON = 'M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z';
const CLOSE_ICON =
  'M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4-5.6-5.6L6.4 19 5 17.6 10.6 12 5 6.4z';

function boot(): void {
  if (window.Parlour) return;
  const script = document.currentScript as HTMLScriptElement | null;
  const origin = new URL(script?.src || '/widget.js', location.href).origin;
  let jwt = script?.dataset.jwt || window.parlourSettings?.jwt;
  let frame: HTMLIFrameElement | null = null;
  let ready = false;
  let open = false;

  const launcher = document.createElement('button');
  launcher.type = 'button';
  launcher.setAttribute('aria-label', 'Open chat');
  launcher.setAttribute('aria-expanded', 'false');
  launcher.dataset.testid = 'parlour-launcher';
  Object.assign(launcher.style, {
    position: 'fixed',
    right: '20px',
    bottom: '20px',
    zIndex: '2147483000',
    width: '56px',
    height: '56px',
    border: '0',
    borderRadius: '50%',
    background: INK,
    color: '#fff',
    cursor: 'pointer',
    boxShadow: '0 4px 14px rgba(0,0,0,.3)',
    font: '600 24px/56px system-ui,sans-serif',
    padding: '0',
  });
  const icon = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  icon.setAttribute('viewBox', '0 0 24 24');
  icon.setAttribute('width', '26');
  icon.setAttribute('height', '26');
  icon.setAttribute('aria-hidden', 'true');
  icon.style.verticalAlign = 'middle';
  const path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
  path.setAttribute('fill', 'currentColor');
  icon.append(path);
  launcher.append(icon);
  const badge = document.createElement('span');
  badge.dataset.testid = 'parlour-unread';
  Object.assign(badge.style, {
    position: 'absolute',
    top: '-4px',
    right: '-4px',
    minWidth: '20px',
    height: '20px',
    borderRadius: '10px',
    background: '#b91c1c',
    color: '#fff',
    font: '700 12px/20px system-ui,sans-serif',
    display: 'none',
  });
  launcher.append(badge);

  const post = (message: HostToFrame) => {
    if (ready) frame?.contentWindow?.postMessage(message, origin);
  };

  const place = () => {
    if (!frame) return;
    const narrow = innerWidth < 480;
    Object.assign(frame.style, {
      width: narrow ? '100vw' : '370px',
      height: narrow ? '100vh' : `${Math.min(600, innerHeight - 110)}px`,
      right: narrow ? '0' : '20px',
      bottom: narrow ? '0' : '90px',
    });
  };

  const ensureFrame = () => {
    if (frame) return frame;
    frame = document.createElement('iframe');
    frame.src = `${origin}/widget/frame.html#${encodeURIComponent(location.origin)}`;
    frame.title = 'Chat with us';
    frame.dataset.testid = 'parlour-frame';
    Object.assign(frame.style, {
      position: 'fixed',
      zIndex: '2147483001',
      border: '0',
      borderRadius: '12px',
      boxShadow: '0 8px 30px rgba(0,0,0,.3)',
      background: '#fff',
      display: 'none',
    });
    place();
    document.body.append(frame);
    return frame;
  };

  const render = () => {
    path.setAttribute('d', open ? CLOSE_ICON : CHAT_ICON);
    launcher.setAttribute('aria-label', open ? 'Close chat' : 'Open chat');
    launcher.setAttribute('aria-expanded', String(open));
    if (frame) frame.style.display = open ? 'block' : 'none';
  };

  const setOpen = (value: boolean) => {
    if (value === open) return;
    open = value;
    if (open) ensureFrame();
    render();
    post({ parlour: open ? 'open' : 'closed' });
    if (!open) launcher.focus();
  };

  addEventListener('message', (event: MessageEvent) => {
    // Only our own frame, from the widget's origin.
    if (!frame || event.source !== frame.contentWindow || event.origin !== origin) return;
    const data = event.data as FrameToHost | null;
    if (!data || typeof data !== 'object') return;
    switch (data.parlour) {
      case 'ready':
        ready = true;
        post({ parlour: 'init', open, ...(jwt ? { jwt } : {}) });
        return;
      case 'close':
        setOpen(false);
        return;
      case 'unread': {
        const count = Math.max(0, Math.floor(Number(data.count) || 0));
        badge.textContent = count > 9 ? '9+' : String(count);
        badge.style.display = count > 0 && !open ? 'block' : 'none';
        launcher.setAttribute(
          'aria-label',
          `${open ? 'Close' : 'Open'} chat${count > 0 ? ` (${count} unread)` : ''}`,
        );
        return;
      }
      case 'active':
        try {
          if (data.value) localStorage.setItem(ACTIVE_KEY, '1');
          else localStorage.removeItem(ACTIVE_KEY);
        } catch {
          // Storage may be blocked: the frame then loads on first open only.
        }
        return;
      case 'resize':
        if (frame && innerWidth >= 480)
          frame.style.height = `${Math.max(200, Math.min(Number(data.height) || 600, innerHeight - 110))}px`;
        return;
      case 'theme':
        if (typeof data.color === 'string' && /^#[0-9a-fA-F]{6}$/.test(data.color))
          launcher.style.background = data.color;
        return;
    }
  });
  addEventListener('resize', place);
  addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && open) setOpen(false);
  });
  launcher.addEventListener('click', () => setOpen(!open));

  window.Parlour = {
    open: () => setOpen(true),
    close: () => setOpen(false),
    identify(token: string) {
      jwt = token;
      post({ parlour: 'identify', jwt: token });
    },
  };

  const mount = () => {
    document.body.append(launcher);
    render();
    let active = false;
    try {
      active = localStorage.getItem(ACTIVE_KEY) === '1';
    } catch {
      active = false;
    }
    if (active) ensureFrame();
  };
  if (document.body) mount();
  else addEventListener('DOMContentLoaded', mount);
}

boot();
