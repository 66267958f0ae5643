import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableStorageKinds } from '../../../../storage/src/testing/test-database.js';
import { ManualClock } from '../../clock.js';
import { newId } from '../../ids.js';
import { DEMO_ACCOUNTS } from '../../seed-demo.js';
import { apiClient } from '../../testing/api-client.js';
import { startTestServer, type TestServer } from '../../testing/test-server.js';
import { EmailOutbox } from '../outbound/email-outbox.js';
import { EmailSender, emailRetryDelayMs } from './email-sender.js';
import { MailerError, type Mailer, type OutgoingMail } from './mailer.js';

/** A mailer that refuses some addresses (temporarily or for good) and records the rest. */
function fakeMailer() {
  const sent: OutgoingMail[] = [];
  const failing = new Map<string, 'temporary' | 'permanent'>();
  const mailer: Mailer = {
    async send(mail) {
      const failure = failing.get(mail.to);
      if (failure)
        throw new MailerError(`${failure} failure for ${mail.to}`, failure === 'permanent');
      sent.push(mail);
    },
    async close() {},
  };
  return { mailer, sent, failing };
}

describe.each(availableStorageKinds())('delivering the email outbox on %s', (kind) => {
  const clock = new ManualClock();
  let t: TestServer;
  let fake: ReturnType<typeof fakeMailer>;
  let sender: EmailSender;
  let outbox: EmailOutbox;

  beforeAll(async () => {
    t = await startTestServer(kind, { clock });
    const ctx = {
      database: t.server.database,
      bus: t.server.bus,
      clock,
      newId: () => newId(clock.now().getTime()),
      logger: t.server.logger,
    };
    fake = fakeMailer();
    sender = new EmailSender(ctx, fake.mailer, {
      from: 'Support <support@parlour.test>',
      maxAttempts: 3,
    });
    outbox = new EmailOutbox(ctx, { replyDomain: 'parlour.test' });
  });
  afterAll(async () => t.close());

  const queue = (to: string, kind: 'reply' | 'notification' = 'notification') =>
    t.server.database.db.transaction().execute((trx) =>
      outbox.enqueue(trx, {
        ticketId: null,
        to,
        subject: 'Hello',
        text: 'Body <b>',
        kind,
        at: clock.now(),
      }),
    );
  const row = (id: string) =>
    t.server.database.db
      .selectFrom('outbound_emails')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();

  it('sends each queued email once, with text and escaped HTML, and marks it sent', async () => {
    const id = await queue('one@customer.example');
    expect(await sender.drain()).toBe(1);
    expect(await sender.drain()).toBe(0);
    const mail = fake.sent.find((m) => m.to === 'one@customer.example')!;
    expect(mail.text).toContain('Body <b>');
    expect(mail.html).toContain('Body &lt;b&gt;');
    expect(mail.headers['Auto-Submitted']).toBe('auto-generated');
    expect(await row(id)).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('retries a failing email with backoff while the others go out', async () => {
    fake.failing.set('flaky@customer.example', 'temporary');
    const flaky = await queue('flaky@customer.example');
    const fine = await queue('fine@customer.example');
    await sender.drain();
    expect(fake.sent.map((m) => m.to)).toContain('fine@customer.example');
    expect(await row(fine)).toMatchObject({ status: 'sent' });
    const failed = await row(flaky);
    expect(failed).toMatchObject({ status: 'pending', attempts: 1 });
    expect(failed.last_error).toMatch(/temporary failure/);
    expect(failed.next_attempt_at.getTime() - clock.now().getTime()).toBe(emailRetryDelayMs(1));
    // Not before its time …
    expect(await sender.drain()).toBe(0);
    // … then it goes out once the endpoint is back.
    fake.failing.delete('flaky@customer.example');
    clock.advance(emailRetryDelayMs(1));
    expect(await sender.drain()).toBe(1);
    expect(await row(flaky)).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('declares an email dead after the last try, or at once on a permanent refusal; admins see it and retry it', async () => {
    fake.failing.set('gone@customer.example', 'temporary');
    fake.failing.set('bad@customer.example', 'permanent');
    const gone = await queue('gone@customer.example');
    const bad = await queue('bad@customer.example');
    for (let i = 1; i <= 3; i++) {
      await sender.drain();
      clock.advance(emailRetryDelayMs(i));
    }
    expect(await row(gone)).toMatchObject({ status: 'dead', attempts: 3 });
    expect(await row(bad)).toMatchObject({ status: 'dead', attempts: 1 });

    const api = apiClient(t.server.app);
    const admin = await api.login(DEMO_ACCOUNTS.admin.email, DEMO_ACCOUNTS.admin.password);
    const dead = await api.call('GET', '/api/email/dead', { token: admin });
    expect(dead.status).toBe(200);
    expect(dead.body.map((e: { id: string }) => e.id)).toEqual(expect.arrayContaining([gone, bad]));
    expect(dead.body.find((e: { id: string }) => e.id === bad).lastError).toMatch(/permanent/);
    fake.failing.delete('gone@customer.example');
    const retried = await api.call('POST', `/api/email/dead/${gone}/retry`, { token: admin });
    expect(retried.status).toBe(204);
    expect(await sender.drain()).toBe(1);
    expect(await row(gone)).toMatchObject({ status: 'sent' });
    const again = await api.call('POST', `/api/email/dead/${gone}/retry`, { token: admin });
    expect(again.status).toBe(404);
  });

  it('takes a claimed email again only after its lease (a crash mid-send retries it)', async () => {
    const id = await queue('lease@customer.example');
    await t.server.database.db
      .updateTable('outbound_emails')
      .set({ next_attempt_at: new Date(clock.now().getTime() + 60_000) })
      .where('id', '=', id)
      .execute();
    expect(await sender.drain()).toBe(0);
    clock.advance(60_000);
    expect(await sender.drain()).toBe(1);
  });
});
