import type { EndUserExport } from '@parlour/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableStorageKinds } from '../../../../storage/src/testing/test-database.js';
import { startPrivacyBed, type PrivacyBed } from './privacy-test-bed.js';

/** Issue 5, GDPR access: an end user's data, found and exported as one document. */
describe.each(availableStorageKinds())('exporting an end user on %s', (kind) => {
  let p: PrivacyBed;
  let document: EndUserExport;
  let headers: Record<string, unknown>;

  beforeAll(async () => {
    p = await startPrivacyBed(kind);
    const r = await p.bed.api.call<EndUserExport>(
      'GET',
      `/api/end-users/${p.erin.endUserId}/export`,
      { token: p.bed.admin },
    );
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    document = r.body;
    headers = r.headers;
  }, 60_000);
  afterAll(async () => p.close());

  const bodies = (entries: EndUserExport['conversations'][number]['feed']) =>
    entries.flatMap((e) => (e.event.type === 'message.created' ? [e.event.message.body] : []));

  it('finds an end user by email in any case, and by external id', async () => {
    const byEmail = await p.bed.api.call(
      'GET',
      '/api/end-users?email=erin.erasmus@CUSTOMER.example',
      {
        token: p.bed.admin,
      },
    );
    expect(byEmail.status).toBe(200);
    expect(byEmail.body).toEqual([
      expect.objectContaining({
        id: p.erin.endUserId,
        externalId: 'crm-erin-7731',
        name: 'Erin Erasmus',
        conversationCount: 2,
      }),
    ]);
    const byExternalId = await p.bed.api.call('GET', '/api/end-users?externalId=crm-olga-1204', {
      token: p.bed.admin,
    });
    expect(byExternalId.body.map((e: { id: string }) => e.id)).toEqual([p.olga.endUserId]);
  });

  it('lets a supervisor find end users', async () => {
    const supervisor = await p.bed.api.call('POST', '/api/users', {
      token: p.bed.admin,
      body: {
        role: 'supervisor',
        email: 'sup.privacy@parlour.example',
        name: 'Sue',
        password: 'supervisor-pass',
      },
    });
    expect(supervisor.status).toBe(201);
    const token = await p.bed.api.login('sup.privacy@parlour.example', 'supervisor-pass');
    const found = await p.bed.api.call('GET', '/api/end-users?externalId=crm-erin-7731', {
      token,
    });
    expect(found.status).toBe(200);
    expect(found.body).toHaveLength(1);
    const exported = await p.bed.api.call('GET', `/api/end-users/${p.erin.endUserId}/export`, {
      token,
    });
    expect(exported.status).toBe(403);
  });

  it('refuses a search that names neither an email nor an external id', async () => {
    const r = await p.bed.api.call('GET', '/api/end-users', { token: p.bed.admin });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'validation/invalid', field: 'email' });
  });

  it('serves the export as a JSON download named after the end user', () => {
    expect(headers['content-disposition']).toBe(
      `attachment; filename="end-user-${p.erin.endUserId}.json"`,
    );
    expect(String(headers['content-type'])).toMatch(/^application\/json/);
  });

  it('exports the profile', () => {
    expect(document.format).toBe('parlour.end-user-export.v1');
    expect(document.profile).toMatchObject({
      id: p.erin.endUserId,
      externalId: 'crm-erin-7731',
      email: 'Erin.Erasmus@customer.example',
      name: 'Erin Erasmus',
      verified: true,
    });
  });

  it('exports every conversation with the messages the person saw', () => {
    expect(document.conversations.map((c) => c.conversation.id).sort()).toEqual(
      [...p.erin.conversationIds].sort(),
    );
    const seen = document.conversations.flatMap((c) => bodies(c.feed)).join('\n');
    for (const word of [p.erin.words.place, p.erin.words.tracking, p.erin.words.live])
      expect(seen).toContain(word);
    expect(seen).toContain('Sorry Erin Erasmus, let me check');
    expect(document.conversations.flatMap((c) => c.feed.map((e) => e.event.type))).toContain(
      'session.ended',
    );
  });

  it('keeps internal notes out of the conversations and lists them apart', () => {
    const seen = document.conversations.flatMap((c) => bodies(c.feed)).join('\n');
    expect(seen).not.toContain(p.erin.words.note);
    expect(document.conversations.flatMap((c) => c.feed.map((e) => e.event.type))).not.toContain(
      'ticket.updated',
    );
    expect(document.internalNotes.map((n) => n.body)).toContain(
      `Internal: ${p.erin.words.note} looked upset`,
    );
    expect(document.internalNotes.every((n) => n.kind === 'internal')).toBe(true);
  });

  it('exports every ticket they requested with its history, wrap-up and public replies', () => {
    expect(document.tickets.map((t) => t.ticket.id).sort()).toEqual([...p.erin.ticketIds].sort());
    const first = document.tickets.find((t) => t.ticket.subject === p.erin.words.subject)!;
    expect(first.ticket.status).toBe('solved');
    const types = first.history.map((h) => h.type);
    expect(types).toEqual(
      expect.arrayContaining(['ticket.created', 'message.public_reply', 'csat.answered']),
    );
    expect(types).not.toContain('message.internal_note');
    expect(first.wrapUps.map((w) => w.name)).toEqual(['Refund promised']);
  });

  it('exports their satisfaction answers', () => {
    const answers = document.tickets.flatMap((t) => t.satisfaction);
    expect(answers).toEqual([
      expect.objectContaining({
        rating: 'good',
        comment: p.erin.words.comment,
        state: 'answered',
      }),
    ]);
  });

  it('exports the emails sent to them and the webhooks sent about their tickets', () => {
    expect(document.emails.map((e) => e.kind).sort()).toEqual(['csat', 'reply']);
    expect(document.emails.every((e) => e.to === 'Erin.Erasmus@customer.example')).toBe(true);
    expect(document.emails.find((e) => e.kind === 'reply')?.text).toContain(
      'Your request is solved.',
    );
    const deliveries = document.tickets.flatMap((t) => t.webhookDeliveries);
    expect(deliveries).toHaveLength(2);
    expect(deliveries.every((d) => d.url === 'http://127.0.0.1:9/crm')).toBe(true);
  });

  it('exports their attachments with the content of each file', () => {
    const files = document.conversations.flatMap((c) => c.attachments);
    expect(files).toEqual([
      expect.objectContaining({ fileName: `${p.erin.words.file}.txt`, contentType: 'text/plain' }),
    ]);
    expect(Buffer.from(files[0]!.contentBase64 ?? '', 'base64').toString('utf8')).toBe(
      `Receipt ${p.erin.words.file} for Erin Erasmus`,
    );
  });

  it('contains nothing of another end user', () => {
    const text = JSON.stringify(document);
    for (const needle of p.olga.needles) expect(text, needle).not.toContain(needle);
  });

  it('answers 404 for an unknown end user', async () => {
    const r = await p.bed.api.call(
      'GET',
      '/api/end-users/00000000-0000-7000-8000-000000000000/export',
      { token: p.bed.admin },
    );
    expect(r.status).toBe(404);
    expect(r.body.error).toMatchObject({ code: 'not-found', field: 'endUserId' });
  });
});
