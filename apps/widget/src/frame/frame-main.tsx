/** @jsxImportSource preact */
import { render } from 'preact';
import type { FrameToHost, HostToFrame } from '../bridge-messages.js';
import { ChatApp } from './chat-app.js';
import { ChatClient } from './chat-client.js';
import { loadWidgetConfig } from './widget-config.js';
import './frame.css';

/**
 * The chat frame (/widget/frame.html#<host origin>). Embedded by the loader, it talks to the host
 * page only: messages from any other window or origin are ignored, and its own go to the host's
 * origin only. Opened on its own (no parent) it is a full-page chat.
 */
const embedded = window.parent !== window;
const hostOrigin = (() => {
  try {
    return new URL(decodeURIComponent(location.hash.slice(1))).origin;
  } catch {
    return null;
  }
})();
// Where the browser says who embeds us, the claimed host origin must be that one.
const ancestor = location.ancestorOrigins?.[0];
const trustedHost =
  embedded && hostOrigin && (!ancestor || ancestor === hostOrigin) ? hostOrigin : null;

const toHost = (message: FrameToHost) => {
  if (trustedHost) window.parent.postMessage(message, trustedHost);
};

// The admin's colour, as early as possible; the launcher on the host page takes it too.
void loadWidgetConfig(location.origin).then((config) => {
  if (config) toHost({ parlour: 'theme', color: config.color });
});

const client = new ChatClient(
  location.origin,
  (count) => toHost({ parlour: 'unread', count }),
  (value) => toHost({ parlour: 'active', value }),
);

const focusComposer = () =>
  requestAnimationFrame(() =>
    document.querySelector<HTMLTextAreaElement>('[data-testid="composer-input"]')?.focus(),
  );

const opened = () => {
  client.setVisible(true);
  void client.ensureConversation();
  focusComposer();
};

let started = false;
const start = (jwt?: string) => {
  if (started) return;
  started = true;
  void client.start(jwt).then(() => {
    if (client.state.phase === 'ready' && (!embedded || visible)) opened();
  });
};

let visible = !embedded;
if (trustedHost) {
  addEventListener('message', (event: MessageEvent) => {
    if (event.source !== window.parent || event.origin !== trustedHost) return;
    const data = event.data as HostToFrame | null;
    if (!data || typeof data !== 'object') return;
    switch (data.parlour) {
      case 'init':
        visible = data.open;
        start(typeof data.jwt === 'string' ? data.jwt : undefined);
        return;
      case 'open':
        visible = true;
        if (started && client.state.phase === 'ready') opened();
        return;
      case 'closed':
        visible = false;
        client.setVisible(false);
        return;
      case 'identify':
        if (typeof data.jwt !== 'string') return;
        if (!started) start(data.jwt);
        else void client.identify(data.jwt);
        return;
    }
  });
  // Escape closes the chat from inside the frame too (the host's own handler sees no keys here).
  addEventListener('keydown', (event) => {
    if (event.key === 'Escape') toHost({ parlour: 'close' });
  });
  toHost({ parlour: 'ready' });
  toHost({ parlour: 'resize', height: 600 });
} else start();

render(
  <ChatApp
    client={client}
    embedded={Boolean(trustedHost)}
    onClose={() => toHost({ parlour: 'close' })}
  />,
  document.getElementById('app')!,
);
