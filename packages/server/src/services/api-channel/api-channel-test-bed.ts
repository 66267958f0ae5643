import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApiInbox } from '@parlour/protocol';
import type { Clock } from '../../clock.js';
import { DEMO_ACCOUNTS } from '../../seed-demo.js';
import { apiClient } from '../../testing/api-client.js';
import type { TestServer } from '../../testing/test-server.js';
import { signWebhook } from '../outbound/webhook-signature.js';

export interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A real HTTP endpoint on 127.0.0.1 that answers as `respond` says (or never, if it returns). */
export async function loopbackReceiver(respond: (res: ServerResponse) => void) {
  const received: Received[] = [];
  const waiters: (() => void)[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      for (const wake of waiters.splice(0)) wake();
      respond(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    /** Resolves once `count` requests have arrived. */
    async receivedAtLeast(count: number): Promise<void> {
      while (received.length < count) await new Promise<void>((wake) => waiters.push(wake));
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export const answer = (status: number) => (res: ServerResponse) => res.writeHead(status).end('ok');

export interface SignedSend {
  readonly key?: string;
  /** Unix seconds; default: the server's clock. */
  readonly timestamp?: number;
  readonly signature?: string;
  readonly secret?: string;
  readonly rawBody?: string;
}

/** What an integration does: sign the body with the inbox's secret and POST it. */
export function apiChannelClient(t: TestServer, clock: Clock) {
  const api = apiClient(t.server.app);
  let keys = 0;
  return {
    api,
    admin: () => api.login(DEMO_ACCOUNTS.admin.email, DEMO_ACCOUNTS.admin.password),
    agent: () => api.login(DEMO_ACCOUNTS.agents[0].email, DEMO_ACCOUNTS.agents[0].password),
    async createInbox(body: Record<string, unknown>): Promise<{ inbox: ApiInbox; secret: string }> {
      const r = await api.call('POST', '/api/channels/api/inboxes', {
        token: await this.admin(),
        body: { name: 'WhatsApp', ...body },
      });
      if (r.status !== 201) throw new Error(`inbox: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body as { inbox: ApiInbox; secret: string };
    },
    newKey: () => `msg-${++keys}-${Date.now()}`,
    async send(
      inboxId: string,
      secret: string,
      body: unknown,
      options: SignedSend = {},
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- responses are checked field by field
    ): Promise<{ status: number; body: any; signature: string; key: string }> {
      const raw = options.rawBody ?? JSON.stringify(body);
      const timestamp = options.timestamp ?? Math.floor(clock.now().getTime() / 1000);
      const signature = options.signature ?? signWebhook(options.secret ?? secret, timestamp, raw);
      const key = options.key ?? this.newKey();
      const response = await t.server.app.inject({
        method: 'POST',
        url: `/api/channels/api/${inboxId}/messages`,
        headers: {
          'content-type': 'application/json',
          'x-parlour-timestamp': String(timestamp),
          'x-parlour-signature': signature,
          ...(key === '' ? {} : { 'idempotency-key': key }),
        },
        payload: raw,
      });
      return { status: response.statusCode, body: response.json(), signature, key };
    },
  };
}
