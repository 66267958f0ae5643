import type { ErasureSummary } from '@parlour/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableStorageKinds } from '../../../../storage/src/testing/test-database.js';
import { DEMO_ACCOUNTS } from '../../seed-demo.js';
import { findInDatabase, type DatabaseHit } from '../../testing/find-in-database.js';
import { startPrivacyBed, type PrivacyBed } from './privacy-test-bed.js';

/** Issue 5, GDPR erasure: after it, nothing of the end user remains anywhere in the database. */
describe.each(availableStorageKinds())('erasing an end user on %s', (kind) => {
  let p: PrivacyBed;
  let before: { erin: DatabaseHit[]; olga: DatabaseHit[]; olgaFiles: string[] };
  let pointingTimers: string[];
  let signals: unknown[];
  let erased: { status: number; body: ErasureSummary };

  const db = () => p.bed.t.server.database.db;
  const where = (hits: readonly DatabaseHit[]) =>
    [...new Set(hits.map((h) => `${h.table}: ${h.needle}`))].sort();
  /** The audit log records the erasure itself, by the id it erased: that is its job. */
  const notTheErasureRecord = (hits: readonly DatabaseHit[]) =>
    hits.filter((h) => !(h.table === 'audit_log' && h.needle === p.erin.endUserId));

  /** The file-store keys whose bytes contain one of the needles. */
  async function filesContaining(needles: readonly string[]): Promise<string[]> {
    const store = p.bed.t.server.fileStorage;
    const found: string[] = [];
    for await (const key of store.keys()) {
      const text = Buffer.from((await store.get(key)) ?? new Uint8Array()).toString('utf8');
      if (needles.some((n) => text.includes(n))) found.push(key);
    }
    return found;
  }

  /** Timers that act on Erin's tickets, conversations, workflow runs or webhook deliveries. */
  async function timersPointingAtErin(): Promise<string[]> {
    const runs = await db()
      .selectFrom('workflow_runs')
      .select('id')
      .where('conversation_id', 'in', p.erin.conversationIds)
      .execute();
    const deliveries = await db()
      .selectFrom('webhook_deliveries')
      .select('id')
      .where('ticket_id', 'in', p.erin.ticketIds)
      .execute();
    const ids = new Set([
      ...p.erin.ticketIds,
      ...p.erin.conversationIds,
      ...runs.map((r) => r.id),
      ...deliveries.map((d) => d.id),
    ]);
    const timers = await db().selectFrom('timers').select(['key', 'payload']).execute();
    return timers
      .filter(
        (t) =>
          ids.has((t.key ?? '').split(':')[1] ?? '') ||
          Object.values(t.payload).some((v) => typeof v === 'string' && ids.has(v)),
      )
      .map((t) => t.key ?? JSON.stringify(t.payload));
  }

  beforeAll(async () => {
    p = await startPrivacyBed(kind);
    before = {
      erin: await findInDatabase(db(), p.erin.needles),
      olga: await findInDatabase(db(), p.olga.needles),
      olgaFiles: await filesContaining(p.olga.needles),
    };
    pointingTimers = await timersPointingAtErin();
    signals = [];
    await p.bed.t.server.bus.subscribe(`conversation:${p.erin.conversationIds[1]}`, (s) =>
      signals.push(s),
    );
    erased = await p.bed.api.call<ErasureSummary>('DELETE', `/api/end-users/${p.erin.endUserId}`, {
      token: p.bed.admin,
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
  }, 60_000);
  afterAll(async () => p.close());

  it('stored every one of their strings before (so the search below can see them)', () => {
    expect(new Set(before.erin.map((h) => h.needle))).toEqual(new Set(p.erin.needles));
    expect(pointingTimers.length).toBeGreaterThan(0);
    expect(before.olgaFiles).toHaveLength(1);
  });

  it('erases them and reports the rows deleted per table', () => {
    expect(erased.status, JSON.stringify(erased.body)).toBe(200);
    expect(erased.body.endUserId).toBe(p.erin.endUserId);
    expect(erased.body.deleted).toMatchObject({
      end_users: 1,
      conversations: 2,
      sessions: 2,
      tickets: 2,
      csat_surveys: 1,
      outbound_emails: 2,
      webhook_deliveries: 2,
      ticket_wrap_ups: 1,
      attachments: 1,
    });
    expect(erased.body.files).toEqual({ deleted: 1, failed: 0 });
    expect(erased.body.deleted['messages']).toBeGreaterThanOrEqual(7);
    expect(erased.body.deleted['ticket_events']).toBeGreaterThan(0);
    expect(erased.body.deleted['workflow_runs']).toBeGreaterThan(0);
  });

  it('leaves nothing of theirs in any table: id, email, name, external id, words, subject, comment', async () => {
    const after = notTheErasureRecord(await findInDatabase(db(), p.erin.needles));
    expect(where(after)).toEqual([]);
    const anyCase = notTheErasureRecord(
      await findInDatabase(db(), p.erin.needles, { caseInsensitive: true }),
    );
    expect(where(anyCase)).toEqual([]);
  });

  it('deletes their files from the file store and keeps the others', async () => {
    expect(await filesContaining(p.erin.needles)).toEqual([]);
    expect(await filesContaining(p.olga.needles)).toEqual(before.olgaFiles);
  });

  it('cancels the timers of their tickets, conversations, workflow runs and webhooks', async () => {
    expect(await timersPointingAtErin()).toEqual([]);
  });

  it("keeps another end user's data intact", async () => {
    const after = await findInDatabase(db(), p.olga.needles);
    expect(where(after)).toEqual(where(before.olga));
    const exported = await p.bed.api.call('GET', `/api/end-users/${p.olga.endUserId}/export`, {
      token: p.bed.admin,
    });
    expect(exported.status).toBe(200);
    expect(exported.body.tickets).toHaveLength(2);
    expect(JSON.stringify(exported.body)).toContain(p.olga.words.comment);
  });

  it('erases during a live chat, and tells open screens the conversation closed', () => {
    expect(signals).toEqual([
      expect.objectContaining({
        audience: 'all',
        entry: expect.objectContaining({
          conversationId: p.erin.conversationIds[1],
          event: { type: 'conversation.closed' },
        }),
      }),
    ]);
  });

  it('erases cleanly while the person keeps writing: each message is stored and erased, or refused', async () => {
    const { conversationId, visitor } = await p.bed.openTicket();
    const posts = Array.from({ length: 10 }, (_, i) =>
      p.bed.api.call('POST', `/api/conversations/${conversationId}/messages`, {
        token: visitor.token,
        body: { body: `Racing Kumquatorium message ${i}` },
      }),
    );
    const erase = p.bed.api.call('DELETE', `/api/end-users/${visitor.endUserId}`, {
      token: p.bed.admin,
    });
    const [erasedNow, ...written] = await Promise.all([erase, ...posts]);
    expect(erasedNow.status, JSON.stringify(erasedNow.body)).toBe(200);
    for (const w of written) expect([201, 401, 404], JSON.stringify(w.body)).toContain(w.status);
    const left = await findInDatabase(db(), [visitor.endUserId, conversationId, 'Kumquatorium']);
    expect(where(left.filter((h) => h.table !== 'audit_log'))).toEqual([]);
  });

  it('answers 404 when erasing the same end user again', async () => {
    const again = await p.bed.api.call('DELETE', `/api/end-users/${p.erin.endUserId}`, {
      token: p.bed.admin,
    });
    expect(again.status).toBe(404);
    expect(again.body.error).toMatchObject({ code: 'not-found', field: 'endUserId' });
  });

  it('answers 404 for an unknown end user', async () => {
    const r = await p.bed.api.call(
      'DELETE',
      '/api/end-users/00000000-0000-7000-8000-000000000000',
      {
        token: p.bed.admin,
      },
    );
    expect(r.status).toBe(404);
  });

  it('refuses agents and supervisors (403), and erases nothing', async () => {
    await p.bed.api.call('POST', '/api/users', {
      token: p.bed.admin,
      body: {
        role: 'supervisor',
        email: 'sup.erase@parlour.example',
        name: 'Sue',
        password: 'supervisor-pass',
      },
    });
    const supervisor = await p.bed.api.login('sup.erase@parlour.example', 'supervisor-pass');
    const agent = await p.bed.api.login(
      DEMO_ACCOUNTS.agents[0].email,
      DEMO_ACCOUNTS.agents[0].password,
    );
    for (const token of [supervisor, agent]) {
      const r = await p.bed.api.call('DELETE', `/api/end-users/${p.olga.endUserId}`, { token });
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe('auth/forbidden');
    }
    expect(
      await db().selectFrom('end_users').select('id').where('id', '=', p.olga.endUserId).execute(),
    ).toHaveLength(1);
  });

  it("refuses the erased person's old widget token, and does not bring them back", async () => {
    const mine = await p.bed.api.call('GET', '/api/conversations', { token: p.erin.token });
    expect(mine.status).toBe(401);
    const start = await p.bed.api.call('POST', '/api/conversations', {
      token: p.erin.token,
      body: { body: 'Hello again' },
    });
    expect(start.status).toBe(401);
    const resumed = await p.bed.api.call('POST', '/api/widget/session', {
      body: { token: p.erin.token },
    });
    expect(resumed.status).toBe(401);
    expect(resumed.body.error.code).toBe('auth/token-invalid');
    const after = notTheErasureRecord(await findInDatabase(db(), [p.erin.endUserId]));
    expect(where(after)).toEqual([]);
  });
});
