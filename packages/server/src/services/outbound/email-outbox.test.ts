import { listUnsentEmails, type Database } from '@parlour/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  availableStorageKinds,
  createTestDatabase,
} from '../../../../storage/src/testing/test-database.js';
import { newId } from '../../ids.js';
import { EmailOutbox } from './email-outbox.js';

describe.each(availableStorageKinds())('the email outbox on %s', (kind) => {
  let database: Database;
  const outbox = new EmailOutbox({ newId: () => newId(Date.UTC(2026, 0, 5)) });
  const at = new Date('2026-01-05T09:00:00.000Z');
  const email = (to: string, subject = 'How did we do?') => ({
    ticketId: null,
    to,
    subject,
    text: 'Tell us: https://support.example/csat/abc',
    kind: 'csat' as const,
    at,
  });
  const unsentTo = async (to: string) =>
    (await listUnsentEmails(database.db, 100)).filter((e) => e.to === to);

  beforeAll(async () => {
    database = await createTestDatabase(kind);
  });
  afterAll(async () => database.close());

  it('queues an email that is sent only when its transaction commits', async () => {
    await database.db
      .transaction()
      .execute((trx) => outbox.enqueue(trx, email('kept@example.com')));
    await expect(
      database.db.transaction().execute(async (trx) => {
        await outbox.enqueue(trx, email('dropped@example.com'));
        throw new Error('the ticket update failed');
      }),
    ).rejects.toThrow('the ticket update failed');
    expect(await unsentTo('kept@example.com')).toMatchObject([
      { kind: 'csat', subject: 'How did we do?', sentAt: null, attempts: 0 },
    ]);
    expect(await unsentTo('dropped@example.com')).toEqual([]);
  });

  it('refuses an address that is not one, and queues nothing', async () => {
    await expect(
      database.db.transaction().execute((trx) => outbox.enqueue(trx, email('a@b, c@d.example'))),
    ).rejects.toMatchObject({ code: 'validation/invalid', field: 'to' });
    expect(await unsentTo('a@b, c@d.example')).toEqual([]);
  });

  it('keeps a subject on one line, so it cannot add headers', async () => {
    await database.db
      .transaction()
      .execute((trx) =>
        outbox.enqueue(trx, email('lines@example.com', 'Hi\r\nBcc: everyone@example.com')),
      );
    expect((await unsentTo('lines@example.com'))[0]!.subject).toBe('Hi Bcc: everyone@example.com');
  });
});
