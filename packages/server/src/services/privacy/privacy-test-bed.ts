import type { StorageKind } from '@parlour/storage';
import { SignJWT } from 'jose';
import { expect } from 'vitest';
import { startRulesBed } from '../../testing/rules-bed.js';

const JWT_SECRET = 'privacy-bed-secret-of-at-least-32-characters';

/** Words only one customer (or staff about them) wrote. */
export interface Words {
  readonly place: string;
  readonly note: string;
  readonly tracking: string;
  readonly live: string;
  readonly subject: string;
  readonly comment: string;
  /** In the name and the text of a file they send. */
  readonly file: string;
}

/** One customer's identity and history. */
export interface Person {
  readonly externalId: string;
  readonly email: string;
  readonly name: string;
  readonly words: Words;
  token: string;
  endUserId: string;
  conversationIds: string[];
  ticketIds: string[];
  /** Every string that is theirs: the proof searches the whole database for each. */
  readonly needles: readonly string[];
}

/**
 * A realistic history of two customers, for export and erasure tests: Erin chats, is handed off,
 * Alex answers and leaves an internal note, the chat ends with a wrap-up, a CSAT survey is emailed
 * and answered, a trigger emails her when solved, a trigger calls a webhook, a workflow waits on
 * her messages; then she opens a second chat, still live. Olga has a history of her own that must
 * outlive Erin's erasure.
 */
export async function startPrivacyBed(kind: StorageKind) {
  const bed = await startRulesBed(kind);
  const { api } = bed;
  expect(
    (
      await api.call('PATCH', '/api/settings', {
        token: bed.admin,
        body: { endUserJwtSecret: JWT_SECRET },
      })
    ).status,
  ).toBe(200);

  await bed.trigger({
    name: 'CSAT when the agent ends the session',
    conditions: {
      all: [{ field: 'session_end_reason', operator: 'changed_to', value: 'ended_by_agent' }],
      any: [],
    },
    actions: [{ type: 'send_csat' }],
  });
  await bed.trigger({
    name: 'Tell the customer when solved',
    conditions: { all: [{ field: 'status', operator: 'changed_to', value: 'solved' }], any: [] },
    actions: [{ type: 'send_message', body: 'Your request is solved.' }],
  });
  await bed.trigger({
    name: 'Tell the CRM about new tickets',
    conditions: { all: [{ field: 'update_type', operator: 'is', value: 'created' }], any: [] },
    actions: [{ type: 'webhook', url: 'http://127.0.0.1:9/crm' }],
  });
  const workflow = await api.call<{ id: string }>('POST', '/api/workflows', {
    token: bed.admin,
    body: {
      name: 'Follow up a day after each customer message',
      definition: {
        trigger: { type: 'incoming_message' },
        start: 'wait',
        steps: {
          wait: { type: 'wait', seconds: 86_400, next: 'note' },
          note: { type: 'comment', body: 'A day has passed since the last message' },
        },
      },
    },
  });
  expect(workflow.status, JSON.stringify(workflow.body)).toBe(201);
  expect(
    (
      await api.call('POST', `/api/workflows/${workflow.body.id}/publish`, {
        token: bed.admin,
      })
    ).status,
  ).toBe(201);
  const reason = await api.call<{ id: string }>('POST', '/api/wrap-up-reasons', {
    token: bed.admin,
    body: { name: 'Refund promised' },
  });
  expect(reason.status).toBe(201);

  async function arrive(p: Pick<Person, 'externalId' | 'email' | 'name' | 'words'>) {
    const now = Math.floor(bed.clock.now().getTime() / 1000);
    const jwt = await new SignJWT({ external_id: p.externalId, email: p.email, name: p.name })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt(now)
      .setExpirationTime(now + 3600)
      .sign(new TextEncoder().encode(JWT_SECRET));
    const r = await api.call('POST', '/api/widget/session', { body: { jwt } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const endUserId = r.body.endUser.id as string;
    const person: Person = {
      ...p,
      token: r.body.token as string,
      endUserId,
      conversationIds: [],
      ticketIds: [],
      needles: [endUserId, p.externalId, p.email, p.name, ...Object.values(p.words)],
    };
    return person;
  }

  /** A whole chat: words, handoff, answer, note, end with wrap-up, CSAT by email, solved. */
  async function finishedChat(p: Person) {
    const { ticket, conversationId } = await bed.openTicket({
      visitor: { token: p.token, endUserId: p.endUserId },
    });
    p.conversationIds.push(conversationId);
    p.ticketIds.push(ticket.id);
    await bed.say(conversationId, p.token, `My parcel to ${p.words.place} never arrived`);
    await bed.patch(ticket.id, { assigneeId: bed.alex.id, subject: p.words.subject });
    await bed.say(conversationId, bed.alex.token, `Sorry ${p.name}, let me check`);
    const note = await api.call('POST', `/api/conversations/${conversationId}/messages`, {
      token: bed.alex.token,
      body: { body: `Internal: ${p.words.note} looked upset`, kind: 'internal' },
    });
    expect(note.status, JSON.stringify(note.body)).toBe(201);
    await bed.say(conversationId, p.token, `The tracking code was ${p.words.tracking}`);
    await sendFile(conversationId, p);
    const ended = await api.call('POST', `/api/conversations/${conversationId}/end-session`, {
      token: bed.alex.token,
      body: { reason: 'ended_by_agent', wrapUpReasonIds: [reason.body.id] },
    });
    expect(ended.status, JSON.stringify(ended.body)).toBe(200);
    const survey = await bed.t.server.database.db
      .selectFrom('outbound_emails')
      .select('text_body')
      .where('ticket_id', '=', ticket.id)
      .where('kind', '=', 'csat')
      .executeTakeFirstOrThrow();
    const csatToken = /\/csat\/([A-Za-z0-9_-]+)/.exec(survey.text_body)?.[1];
    const answered = await api.call('POST', `/api/csat/${csatToken}`, {
      body: { rating: 'good', comment: p.words.comment },
    });
    expect(answered.status, JSON.stringify(answered.body)).toBeLessThan(300);
    await bed.patch(ticket.id, { status: 'solved' });
  }

  /** The customer uploads a text file and sends it with a message. */
  async function sendFile(conversationId: string, p: Person) {
    const boundary = 'parlour-privacy-bed-boundary';
    const uploaded = await bed.t.server.app.inject({
      method: 'POST',
      url: `/api/conversations/${conversationId}/attachments`,
      headers: {
        authorization: `Bearer ${p.token}`,
        'content-type': `multipart/form-data; boundary=${boundary}`,
      },
      payload: [
        `--${boundary}`,
        `Content-Disposition: form-data; name="file"; filename="${p.words.file}.txt"`,
        'Content-Type: text/plain',
        '',
        `Receipt ${p.words.file} for ${p.name}`,
        `--${boundary}--`,
        '',
      ].join('\r\n'),
    });
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    const sent = await api.call('POST', `/api/conversations/${conversationId}/messages`, {
      token: p.token,
      body: { body: 'Here is the receipt', attachmentIds: [uploaded.json<{ id: string }>().id] },
    });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
  }

  /** A chat still live: the customer wrote, the bot handed it off, nobody answered yet. */
  async function liveChat(p: Person) {
    const { ticket, conversationId } = await bed.openTicket({
      visitor: { token: p.token, endUserId: p.endUserId },
    });
    p.conversationIds.push(conversationId);
    p.ticketIds.push(ticket.id);
    await bed.say(conversationId, p.token, `Also, where is my ${p.words.live}?`);
  }

  const erin = await arrive({
    externalId: 'crm-erin-7731',
    email: 'Erin.Erasmus@customer.example',
    name: 'Erin Erasmus',
    words: {
      place: 'Quokkaville',
      note: 'Marzipanolio',
      tracking: 'Xylofrobnitz',
      live: 'Gloopberry',
      subject: 'Refund for the Zanzibar teapot',
      comment: 'Brilliant Fennelwhistle service',
      file: 'Wombatreceipt',
    },
  });
  await finishedChat(erin);
  await liveChat(erin);

  const olga = await arrive({
    externalId: 'crm-olga-1204',
    email: 'olga.olsen@customer.example',
    name: 'Olga Olsen',
    words: {
      place: 'Pumpernickelot',
      note: 'Brachiosaurine',
      tracking: 'Tangerinequill',
      live: 'Vermicellix',
      subject: 'Olga asks about the Stegosaurian lamp',
      comment: 'Lovely Hollyhockian help',
      file: 'Narwhalinvoice',
    },
  });
  await finishedChat(olga);
  await liveChat(olga);

  return { bed, erin, olga, reasonId: reason.body.id, close: () => bed.close() };
}

export type PrivacyBed = Awaited<ReturnType<typeof startPrivacyBed>>;
