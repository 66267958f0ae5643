import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgTemplateDb } from '../../../storage/src/testing/template-names.js';
import { withAdmin, withDatabase } from '../../../storage/src/testing/test-database.js';
import { DEMO_ACCOUNTS } from '../seed-demo.js';
import { startServerProcess, type ServerProcess } from '../testing/server-process.js';
import { TestSocket } from '../testing/ws-client.js';

const DATABASE_URL = process.env.DATABASE_URL;
const REDIS_URL = process.env.REDIS_URL;

async function post<T>(url: string, path: string, body: unknown, token?: string): Promise<T> {
  const r = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
  return (await r.json()) as T;
}

describe.skipIf(!DATABASE_URL || !REDIS_URL)(
  'two server processes on one PostgreSQL and Redis',
  () => {
    const name = `parlour_t_${randomBytes(6).toString('hex')}`;
    let a: ServerProcess;
    let b: ServerProcess;

    beforeAll(async () => {
      await withAdmin(DATABASE_URL!, (c) =>
        c.query(`CREATE DATABASE ${name} TEMPLATE ${pgTemplateDb()}`),
      );
      const env = { DATABASE_URL: withDatabase(DATABASE_URL!, name), REDIS_URL: REDIS_URL! };
      // Started together on an empty workspace: migrations and the demo seed must not race.
      [a, b] = await Promise.all([startServerProcess(env), startServerProcess(env)]);
    }, 120_000);

    afterAll(async () => {
      await Promise.all([a?.stop(), b?.stop()]);
      await withAdmin(DATABASE_URL!, (c) =>
        c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
      );
    });

    it('delivers a message sent to one process to a client connected to the other, both ways', async () => {
      const visitor = await post<{ token: string }>(a.url, '/api/widget/session', {});
      const { conversation } = await post<{ conversation: { id: string } }>(
        a.url,
        '/api/conversations',
        {},
        visitor.token,
      );
      const agent = await post<{ token: string }>(b.url, '/api/auth/login', {
        email: DEMO_ACCOUNTS.agents[0].email,
        password: DEMO_ACCOUNTS.agents[0].password,
      });

      const customerOnA = await TestSocket.open(a.url, visitor.token);
      const agentOnB = await TestSocket.open(b.url, agent.token);
      await customerOnA.request({
        type: 'subscribe',
        conversationId: conversation.id,
        afterSeq: 0,
      });
      await agentOnB.request({ type: 'subscribe', conversationId: conversation.id, afterSeq: 0 });

      await customerOnA.request({
        type: 'message.send',
        conversationId: conversation.id,
        clientMessageId: 'm1',
        body: 'Hello from A',
      });
      const onB = await agentOnB.next(
        (f) =>
          f.type === 'event' &&
          f.entry.event.type === 'message.created' &&
          f.entry.event.message.body === 'Hello from A',
      );
      expect(onB.type).toBe('event');

      await agentOnB.request({
        type: 'message.send',
        conversationId: conversation.id,
        clientMessageId: 'r1',
        body: 'Hi, answered from B',
      });
      const onA = await customerOnA.next(
        (f) =>
          f.type === 'event' &&
          f.entry.event.type === 'message.created' &&
          f.entry.event.message.body === 'Hi, answered from B',
      );
      expect(onA.type).toBe('event');
      await Promise.all([customerOnA.close(), agentOnB.close()]);
    });

    it('carries typing and read marks between the processes, never echoed to the sender', async () => {
      const visitor = await post<{ token: string }>(a.url, '/api/widget/session', {});
      const { conversation } = await post<{ conversation: { id: string } }>(
        a.url,
        '/api/conversations',
        { body: 'Is anyone there?' },
        visitor.token,
      );
      const agent = await post<{ token: string }>(b.url, '/api/auth/login', {
        email: DEMO_ACCOUNTS.agents[0].email,
        password: DEMO_ACCOUNTS.agents[0].password,
      });
      const customerOnA = await TestSocket.open(a.url, visitor.token);
      const agentOnB = await TestSocket.open(b.url, agent.token);
      const conversationId = conversation.id;
      await customerOnA.request({ type: 'subscribe', conversationId, afterSeq: 0 });
      const subscribed = await agentOnB.request({ type: 'subscribe', conversationId, afterSeq: 0 });
      if (subscribed.type !== 'subscribed') throw new Error(JSON.stringify(subscribed));

      await customerOnA.request({ type: 'typing', conversationId, typing: true });
      const typing = await agentOnB.next((f) => f.type === 'typing');
      expect(typing).toMatchObject({ conversationId, actor: { type: 'end_user' }, typing: true });

      await agentOnB.request({ type: 'read', conversationId, seq: subscribed.lastSeq });
      const read = await customerOnA.next((f) => f.type === 'read');
      expect(read).toMatchObject({
        conversationId,
        reader: { type: 'user' },
        seq: subscribed.lastSeq,
      });

      for (const socket of [customerOnA, agentOnB])
        expect((await socket.request({ type: 'ping' })).type).toBe('pong');
      expect(customerOnA.frames.filter((f) => f.type === 'typing')).toEqual([]);
      expect(agentOnB.frames.filter((f) => f.type === 'read')).toEqual([]);
      await Promise.all([customerOnA.close(), agentOnB.close()]);
    });

    it('seeds the demo workspace once although both processes started on an empty database', async () => {
      const login = await post<{ token: string }>(a.url, '/api/auth/login', {
        email: DEMO_ACCOUNTS.admin.email,
        password: DEMO_ACCOUNTS.admin.password,
      });
      const users = (await (
        await fetch(`${b.url}/api/users`, { headers: { authorization: `Bearer ${login.token}` } })
      ).json()) as { email: string }[];
      expect(users.filter((u) => u.email === DEMO_ACCOUNTS.admin.email)).toHaveLength(1);
      expect(users).toHaveLength(3);
    });
  },
);
