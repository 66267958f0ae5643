import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableStorageKinds } from '../../../storage/src/testing/test-database.js';
import { apiClient } from '../testing/api-client.js';
import { startTestServer, type TestServer } from '../testing/test-server.js';

describe.each(availableStorageKinds())('writing messages in batches on %s', (kind) => {
  let t: TestServer;
  beforeAll(async () => {
    // Several write lanes on PostgreSQL (PGlite always has one): order must hold either way.
    t = await startTestServer(kind, { env: { WRITE_LANES: '4' } });
  });
  afterAll(async () => t.close());

  it('stores every one of many concurrent messages once, each conversation in the order sent', async () => {
    const api = apiClient(t.server.app);
    const chats = await Promise.all(
      Array.from({ length: 12 }, async () => {
        const visitor = await api.visitor();
        const started = await api.call('POST', '/api/conversations', {
          token: visitor.token,
          body: {},
        });
        return {
          endUserId: visitor.endUserId,
          conversationId: started.body.conversation.id as string,
        };
      }),
    );
    const sends = chats.flatMap((chat) =>
      Array.from({ length: 25 }, (_, i) =>
        t.server.services.messages.post({
          actor: { type: 'end_user', id: chat.endUserId },
          conversationId: chat.conversationId,
          kind: 'public',
          body: `message ${i}`,
          clientMessageId: `m${i}`,
        }),
      ),
    );
    const posted = await Promise.all(sends);
    expect(posted.every((p) => !p.duplicate)).toBe(true);
    for (const chat of chats) {
      const feed = await t.server.services.conversations.feed(
        { kind: 'end_user', id: chat.endUserId },
        chat.conversationId,
        0,
      );
      const bodies = feed.map((e) =>
        e.event.type === 'message.created' ? e.event.message.body : e.event.type,
      );
      expect(bodies).toEqual(Array.from({ length: 25 }, (_, i) => `message ${i}`));
      expect(feed.map((e) => e.seq)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    }
  });

  it('refuses one bad message in a batch without failing the others', async () => {
    const api = apiClient(t.server.app);
    const visitor = await api.visitor();
    const started = await api.call('POST', '/api/conversations', {
      token: visitor.token,
      body: {},
    });
    const conversationId = started.body.conversation.id as string;
    const actor = { type: 'end_user' as const, id: visitor.endUserId };
    const results = await Promise.allSettled([
      t.server.services.messages.post({
        actor,
        conversationId,
        kind: 'public',
        body: 'fine',
        clientMessageId: 'a',
      }),
      t.server.services.messages.post({
        actor,
        conversationId,
        kind: 'public',
        body: '   ',
        clientMessageId: 'b',
      }),
      t.server.services.messages.post({
        actor,
        conversationId,
        kind: 'public',
        body: 'also fine',
        clientMessageId: 'c',
      }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const feed = await t.server.services.conversations.feed(
      { kind: 'end_user', id: visitor.endUserId },
      conversationId,
      0,
    );
    expect(feed.map((e) => e.seq)).toEqual([1, 2]);
  });
});
