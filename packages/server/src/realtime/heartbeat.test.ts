import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../testing/api-client.js';
import { startTestServer, type TestServer } from '../testing/test-server.js';
import { TestSocket } from '../testing/ws-client.js';

describe('WebSocket heartbeats', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer('pglite', { listen: true });
  });
  afterAll(async () => t.close());

  it('drops a socket that stops answering pings and keeps one that answers', async () => {
    const api = apiClient(t.server.app);
    const healthy = await TestSocket.open(t.url, (await api.visitor()).token);
    const silent = await TestSocket.open(t.url, (await api.visitor()).token);
    // A frozen client (a laptop lid closed): its socket is no longer read, so pings go unanswered.
    (silent.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    expect(t.server.gateway.connectionCount).toBe(2);

    t.server.gateway.checkHeartbeats();
    await new Promise((r) => setTimeout(r, 200)); // the healthy client's pong travels back
    t.server.gateway.checkHeartbeats();

    expect(t.server.gateway.connectionCount).toBe(1);
    const pong = await healthy.request({ type: 'ping' });
    expect(pong.type).toBe('pong');
    await healthy.close();
  });
});
