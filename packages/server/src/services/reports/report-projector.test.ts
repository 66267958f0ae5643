import type { Database } from '@parlour/storage';
import { clearDirtyTickets, dirtyTickets } from '@parlour/storage';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableStorageKinds } from '../../../../storage/src/testing/test-database.js';
import { ManualClock } from '../../clock.js';
import { DEMO_ACCOUNTS } from '../../seed-demo.js';
import { apiClient } from '../../testing/api-client.js';
import { startTestServer, type TestServer } from '../../testing/test-server.js';
import { ReportProjector } from './report-projector.js';

describe.each(availableStorageKinds())('the report projector on %s', (kind) => {
  const clock = new ManualClock('2026-11-23T09:00:00.000Z');
  let t: TestServer;
  let database: Database;
  let projector: ReportProjector;
  let api: ReturnType<typeof apiClient>;

  beforeAll(async () => {
    t = await startTestServer(kind, { clock });
    database = t.server.database;
    projector = new ReportProjector({
      database,
      bus: t.server.bus,
      clock,
      newId: () => crypto.randomUUID(),
      logger: t.server.logger,
    });
    api = apiClient(t.server.app);
  });
  afterAll(async () => t.close());

  const facts = (ticketId: string) =>
    database.db
      .selectFrom('report_facts')
      .select(['metric', 'value'])
      .where('ticket_id', '=', ticketId)
      .orderBy('metric')
      .execute();

  it('marks a ticket dirty in the writer’s transaction and derives its facts on catch-up', async () => {
    const admin = await api.login(DEMO_ACCOUNTS.admin.email, DEMO_ACCOUNTS.admin.password);
    const visitor = await api.visitor();
    const started = await api.call('POST', '/api/conversations', {
      token: visitor.token,
      body: { body: 'Where is my parcel?' },
    });
    const conversationId = started.body.conversation.id as string;
    const handoff = await api.call('POST', `/api/conversations/${conversationId}/handoff`, {
      token: visitor.token,
      body: {},
    });
    const ticketId = handoff.body.id as string;
    expect((await dirtyTickets(database.db, 100)).map((d) => d.ticketId)).toContain(ticketId);

    clock.advance(60_000);
    const reply = await api.call('POST', `/api/conversations/${conversationId}/messages`, {
      token: admin,
      body: { body: 'On its way!' },
    });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    await projector.catchUp();
    expect(await facts(ticketId)).toContainEqual({ metric: 'first_reply_time', value: 60_000 });
    expect(await dirtyTickets(database.db, 100)).toEqual([]);
  });

  it('keeps a mark made while it worked, so no change is lost', async () => {
    const [ticket] = await database.db.selectFrom('tickets').select('id').limit(1).execute();
    await sql`INSERT INTO report_dirty_tickets (ticket_id) VALUES (${ticket!.id}::uuid)`.execute(
      database.db,
    );
    const seen = await dirtyTickets(database.db, 10);
    // A writer marks the ticket again before the projector clears what it saw.
    await sql`UPDATE report_dirty_tickets SET version = version + 1`.execute(database.db);
    await clearDirtyTickets(database.db, seen);
    expect((await dirtyTickets(database.db, 10)).map((d) => d.ticketId)).toEqual([ticket!.id]);
    await projector.catchUp();
    expect(await dirtyTickets(database.db, 10)).toEqual([]);
  });
});
