import pino from 'pino';
import WebSocket from 'ws';
import { createPgliteDatabase, createPostgresDatabase, migrate } from '@parlour/storage';
import { createServer } from './server.js';
import { loadConfig } from './config.js';
import { seedDemo } from './seed-demo.js';

const kind = process.argv[2] ?? 'pglite';
const database =
  kind === 'pglite'
    ? await createPgliteDatabase()
    : createPostgresDatabase({ url: 'postgres://postgres@127.0.0.1:5432/parlour_scratch' });
await migrate(database);
const server = await createServer(loadConfig({ PORT: '0', LOG_LEVEL: 'silent' }), {
  database,
  logger: pino({ level: 'silent' }),
});
await seedDemo(database, server.services);
await server.app.listen({ port: 0, host: '127.0.0.1' });
const port = (server.app.server.address() as { port: number }).port;
const url = (t: string) => `ws://127.0.0.1:${port}/ws?token=${encodeURIComponent(t)}`;
const open = (t: string) =>
  new Promise<WebSocket>((res) => {
    const w = new WebSocket(url(t));
    w.once('open', () => res(w));
  });
const agent = await server.services.auth.login('1.1.1.1', 'alex@parlour.example', 'parlour-agent');
const aws = await open(agent.token);
const C = 200;
const convs: { id: string; ws: WebSocket }[] = [];
for (let i = 0; i < C; i++) {
  const s = await server.services.auth.widgetSession({});
  const c = await server.services.conversations.start(s.endUser.id);
  convs.push({ id: c.conversation.id, ws: await open(s.token) });
  aws.send(JSON.stringify({ type: 'subscribe', conversationId: c.conversation.id, afterSeq: 0 }));
}
let received = 0;
const N = Number(process.argv[3] ?? 4000);
let done!: () => void;
const finished = new Promise<void>((r) => (done = r));
aws.on('message', (d) => {
  if (String(d).includes('message.created')) {
    received++;
    if (received === N) done();
  }
});
await new Promise((r) => setTimeout(r, 1000));
const t0 = performance.now();
for (let i = 0; i < N; i++) {
  const c = convs[i % C]!;
  c.ws.send(
    JSON.stringify({
      type: 'message.send',
      conversationId: c.id,
      clientMessageId: 'm' + i,
      body: 'hello ' + i,
    }),
  );
}
await Promise.race([finished, new Promise((r) => setTimeout(r, 30000))]);
const ms = performance.now() - t0;
console.log(
  kind,
  'delivered',
  received,
  '/',
  N,
  'in',
  ms.toFixed(0),
  'ms =>',
  ((received / ms) * 1000).toFixed(0),
  'msgs/s',
);
process.exit(0);
