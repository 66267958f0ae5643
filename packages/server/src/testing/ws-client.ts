import type { ClientFrame, ServerFrame } from '@parlour/protocol';
import WebSocket from 'ws';

/** A WebSocket client for tests: collects frames and waits for the one a test expects. */
export class TestSocket {
  readonly frames: ServerFrame[] = [];
  private waiters: { match: (f: ServerFrame) => boolean; resolve: (f: ServerFrame) => void }[] = [];
  private cursor = 0;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as ServerFrame;
      this.frames.push(frame);
      this.waiters = this.waiters.filter((w) => {
        if (!w.match(frame)) return true;
        w.resolve(frame);
        return false;
      });
    });
  }

  static async open(
    baseUrl: string,
    token: string,
    headers: Record<string, string> = {},
  ): Promise<TestSocket> {
    const ws = new WebSocket(
      `${baseUrl.replace(/^http/, 'ws')}/ws?token=${encodeURIComponent(token)}`,
      { headers },
    );
    const socket = new TestSocket(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) =>
        reject(new Error(`handshake refused: ${res.statusCode}`)),
      );
    });
    await socket.next((f) => f.type === 'welcome');
    return socket;
  }

  send(frame: ClientFrame | Record<string, unknown>): void {
    this.ws.send(JSON.stringify(frame));
  }

  sendRaw(text: string): void {
    this.ws.send(text);
  }

  /** The next frame (after those already consumed by next()) that matches. */
  next<T extends ServerFrame['type']>(
    match: (f: ServerFrame) => boolean,
    timeoutMs = 5_000,
  ): Promise<Extract<ServerFrame, { type: T }>> {
    for (let i = this.cursor; i < this.frames.length; i++) {
      const frame = this.frames[i]!;
      if (match(frame)) {
        this.cursor = i + 1;
        return Promise.resolve(frame as Extract<ServerFrame, { type: T }>);
      }
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `no matching frame within ${timeoutMs} ms; got ${JSON.stringify(this.frames.slice(-5))}`,
            ),
          ),
        timeoutMs,
      );
      this.waiters.push({
        match,
        resolve: (f) => {
          clearTimeout(timer);
          this.cursor = this.frames.indexOf(f) + 1;
          resolve(f as Extract<ServerFrame, { type: T }>);
        },
      });
    });
  }

  /** Sends a frame with a ref and waits for the reply frame carrying the same ref. */
  async request(
    frame: Record<string, unknown> & { type: string },
    timeoutMs = 5_000,
  ): Promise<ServerFrame> {
    const ref = `r${Math.random().toString(36).slice(2)}`;
    const reply = this.next((f) => 'ref' in f && f.ref === ref, timeoutMs);
    this.send({ ...frame, ref });
    return reply;
  }

  events(conversationId?: string) {
    return this.frames.flatMap((f) =>
      f.type === 'event' && (!conversationId || f.entry.conversationId === conversationId)
        ? [f.entry]
        : [],
    );
  }

  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }
}
