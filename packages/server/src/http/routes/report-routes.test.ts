import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableStorageKinds } from '../../../../storage/src/testing/test-database.js';
import { ManualClock } from '../../clock.js';
import { DEMO_ACCOUNTS } from '../../seed-demo.js';
import { apiClient } from '../../testing/api-client.js';
import { startTestServer, type TestServer } from '../../testing/test-server.js';

const MIN = 60_000;
const H = 60 * MIN;

/** Parses RFC 4180 CSV (quoted fields, doubled quotes, CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  return rows;
}

describe.each(availableStorageKinds())('reports over HTTP on %s', (kind) => {
  // Monday 2026-11-23 09:00 UTC.
  const clock = new ManualClock('2026-11-23T09:00:00.000Z');
  let t: TestServer;
  let api: ReturnType<typeof apiClient>;
  let admin: string;
  let alex: string;
  let sam: string;
  let alexId: string;
  let samId: string;
  let supportId: string;
  let billingId: string;

  const query = (params: Record<string, string>) => new URLSearchParams(params).toString();

  /** A customer chats, hands off to a group; an admin assigns the ticket (Open). */
  async function ticket(groupId: string, assigneeId: string, chatFirstMs = 5 * MIN) {
    const visitor = await api.visitor();
    const started = await api.call('POST', '/api/conversations', {
      token: visitor.token,
      body: { body: 'Hello, my order has not arrived' },
    });
    expect(started.status).toBe(201);
    const conversationId = started.body.conversation.id as string;
    clock.advance(chatFirstMs); // time before the handoff (the bot's) never counts
    const handoff = await api.call('POST', `/api/conversations/${conversationId}/handoff`, {
      token: visitor.token,
      body: { groupId },
    });
    expect(handoff.status, JSON.stringify(handoff.body)).toBe(201);
    const ticketId = handoff.body.id as string;
    clock.advance(MIN);
    const assigned = await api.call('PATCH', `/api/tickets/${ticketId}`, {
      token: admin,
      body: { assigneeId, status: 'open' },
    });
    expect(assigned.status, JSON.stringify(assigned.body)).toBe(200);
    return { visitor, conversationId, ticketId };
  }

  /** Moves the clock and logs in again (sessions expire as the clock jumps ahead). */
  async function moveTo(iso: string) {
    clock.set(new Date(iso));
    admin = await api.login(DEMO_ACCOUNTS.admin.email, DEMO_ACCOUNTS.admin.password);
    alex = await api.login(DEMO_ACCOUNTS.agents[0].email, DEMO_ACCOUNTS.agents[0].password);
    sam = await api.login(DEMO_ACCOUNTS.agents[1].email, DEMO_ACCOUNTS.agents[1].password);
  }

  async function say(token: string, conversationId: string, body: string) {
    const r = await api.call('POST', `/api/conversations/${conversationId}/messages`, {
      token,
      body: { body },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
  }

  beforeAll(async () => {
    t = await startTestServer(kind, { clock });
    api = apiClient(t.server.app);
    admin = await api.login(DEMO_ACCOUNTS.admin.email, DEMO_ACCOUNTS.admin.password);
    alex = await api.login(DEMO_ACCOUNTS.agents[0].email, DEMO_ACCOUNTS.agents[0].password);
    sam = await api.login(DEMO_ACCOUNTS.agents[1].email, DEMO_ACCOUNTS.agents[1].password);
    alexId = (await api.call('GET', '/api/me', { token: alex })).body.id;
    samId = (await api.call('GET', '/api/me', { token: sam })).body.id;
    const groups = (await api.call('GET', '/api/groups', { token: admin })).body as {
      id: string;
      name: string;
    }[];
    supportId = groups.find((g) => g.name === 'Support')!.id;
    billingId = groups.find((g) => g.name === 'Billing')!.id;
    const billing = await api.call('PATCH', `/api/groups/${billingId}`, {
      token: admin,
      body: { memberIds: [samId] },
    });
    expect(billing.status, JSON.stringify(billing.body)).toBe(200);

    // Alex: handoff 09:05, assigned 09:06, first reply 09:08 (3 min from the handoff); solved;
    // the customer writes again at 10:00 (reopen); Alex answers at 10:10 (10 min).
    const first = await ticket(supportId, alexId);
    clock.advance(2 * MIN);
    await say(alex, first.conversationId, 'Let me check that for you');
    const solved = await api.call('PATCH', `/api/tickets/${first.ticketId}`, {
      token: admin,
      body: { status: 'solved' },
    });
    expect(solved.status).toBe(200);
    clock.set(new Date('2026-11-23T10:00:00.000Z'));
    await say(first.visitor.token, first.conversationId, 'It still has not arrived');
    clock.advance(10 * MIN);
    await say(alex, first.conversationId, 'Sorry, I have sent a new one');
  });
  afterAll(async () => t.close());

  const DAY = { from: '2026-11-23T00:00:00.000Z', to: '2026-11-24T00:00:00.000Z' };

  it('measures first reply time from the handoff and from the reopen, per agent', async () => {
    const r = await api.call(
      'GET',
      `/api/reports?${query({ metric: 'first_reply_time', ...DAY, groupBy: 'agent' })}`,
      { token: admin },
    );
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const row = r.body.rows.find((x: { key: { agentId: string } }) => x.key.agentId === alexId);
    expect(row).toMatchObject({
      label: DEMO_ACCOUNTS.agents[0].name,
      n: 2,
      value: 6.5 * MIN,
      avg: 6.5 * MIN,
      median: 6.5 * MIN,
      sum: 13 * MIN,
    });
    expect(row.p90).toBeCloseTo(3 * MIN + 0.9 * 7 * MIN, 0);
    expect(r.body.total).toMatchObject({ label: 'Total', n: 2 });
  });

  it('counts the reopen on the day it happened', async () => {
    const r = await api.call('GET', `/api/reports?${query({ metric: 'reopens', ...DAY })}`, {
      token: admin,
    });
    expect(r.body.total, JSON.stringify(r.body)).toMatchObject({ n: 1, value: 1 });
  });

  it('shows every bucket of the range, with zeros and n = 0 where nothing happened', async () => {
    const r = await api.call(
      'GET',
      `/api/reports?${query({
        metric: 'reopens',
        from: '2026-11-20T00:00:00.000Z',
        to: '2026-11-25T00:00:00.000Z',
        interval: 'day',
      })}`,
      { token: admin },
    );
    expect(r.status).toBe(200);
    expect(
      r.body.rows.map((x: { key: { bucket: string }; n: number }) => [x.key.bucket, x.n]),
    ).toEqual([
      ['2026-11-20', 0],
      ['2026-11-21', 0],
      ['2026-11-22', 0],
      ['2026-11-23', 1],
      ['2026-11-24', 0],
    ]);
    expect(r.body.rows[0]).toMatchObject({ value: 0, avg: null, median: null });
  });

  it('answers an empty range with zeros and n = 0, not an error', async () => {
    const r = await api.call(
      'GET',
      `/api/reports?${query({
        metric: 'first_reply_time',
        from: '2025-01-01T00:00:00.000Z',
        to: '2025-01-08T00:00:00.000Z',
        groupBy: 'agent',
        interval: 'week',
      })}`,
      { token: admin },
    );
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.total).toMatchObject({ n: 0, value: null, median: null, p90: null });
    // ISO weeks start on Monday: 2024-12-30 and 2025-01-06.
    expect(r.body.rows.map((x: { key: { bucket: string } }) => x.key.bucket)).toEqual([
      '2024-12-30',
      '2025-01-06',
    ]);
    expect(r.body.histogram.every((b: { count: number }) => b.count === 0)).toBe(true);
  });

  it('cuts days in the time zone asked for', async () => {
    // In UTC both replies are on the 23rd. In Honolulu (UTC−10) the first (09:08 UTC) is at
    // 23:08 on the 22nd and the second (10:10 UTC) at 00:10 on the 23rd.
    const r = await api.call(
      'GET',
      `/api/reports?${query({
        metric: 'first_reply_time',
        from: '2026-11-22T00:00:00.000Z',
        to: '2026-11-24T00:00:00.000Z',
        timeZone: 'Pacific/Honolulu',
        interval: 'day',
      })}`,
      { token: admin },
    );
    expect(r.body.timeZone).toBe('Pacific/Honolulu');
    const byDay = Object.fromEntries(
      r.body.rows.map((x: { key: { bucket: string }; n: number }) => [x.key.bucket, x.n]),
    );
    expect(byDay).toEqual({ '2026-11-21': 0, '2026-11-22': 1, '2026-11-23': 1 });
  });

  it('exports exactly the rows on screen as CSV, with the total last', async () => {
    const params = query({
      metric: 'first_reply_time',
      from: '2026-11-22T00:00:00.000Z',
      to: '2026-11-25T00:00:00.000Z',
      groupBy: 'agent',
      interval: 'day',
      timeZone: 'Europe/Berlin',
    });
    const json = await api.call('GET', `/api/reports?${params}`, { token: admin });
    const csv = await t.server.app.inject({
      method: 'GET',
      url: `/api/reports/export.csv?${params}`,
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toBe(
      'attachment; filename="first_reply_time_2026-11-22_2026-11-25.csv"',
    );
    const [header, ...lines] = parseCsv(csv.body);
    expect(header).toEqual([
      'label',
      'bucket',
      'agentId',
      'n',
      'value',
      'avg',
      'median',
      'p90',
      'sum',
    ]);
    const cell = (v: number | null) => (v === null ? '' : String(v));
    const expected = [...json.body.rows, json.body.total].map(
      (r: {
        label: string;
        key: { bucket?: string; agentId?: string };
        n: number;
        value: number | null;
        avg: number | null;
        median: number | null;
        p90: number | null;
        sum: number | null;
      }) => [
        r.label,
        r.key.bucket ?? '',
        r.key.agentId ?? '',
        String(r.n),
        cell(r.value),
        cell(r.avg),
        cell(r.median),
        cell(r.p90),
        cell(r.sum),
      ],
    );
    expect(lines).toEqual(expected);
  });

  it('counts business time only when asked, with the default schedule', async () => {
    // Sam: handoff Monday 16:50 UTC, first reply Tuesday 09:05 UTC (16 h 15 min on the
    // calendar); open 09:00–17:00 UTC on weekdays: 10 min Monday + 5 min Tuesday.
    const created = await api.call('POST', '/api/business-hours', {
      token: admin,
      body: {
        name: 'Office',
        timeZone: 'UTC',
        intervals: [1, 2, 3, 4, 5].map((day) => ({ day, start: '09:00', end: '17:00' })),
        holidays: [{ date: '2026-12-25', name: 'Christmas' }],
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.isDefault).toBe(true);
    await moveTo('2026-11-23T16:44:00.000Z');
    const late = await ticket(billingId, samId, 5 * MIN); // handoff 16:49, assigned 16:50
    await moveTo('2026-11-24T09:04:00.000Z');
    await say(sam, late.conversationId, 'Good morning!');
    const base = {
      metric: 'first_reply_time',
      agentId: samId,
      from: DAY.from,
      to: '2026-11-25T00:00:00.000Z',
    };
    const calendar = await api.call('GET', `/api/reports?${query(base)}`, { token: admin });
    const business = await api.call(
      'GET',
      `/api/reports?${query({ ...base, hours: 'business' })}`,
      {
        token: admin,
      },
    );
    expect(calendar.body.total.value).toBe(16 * H + 15 * MIN);
    expect(business.body).toMatchObject({ hours: 'business' });
    expect(business.body.total.value).toBe(15 * MIN);
  });

  it('refuses bad queries with the field at fault, and changes nothing', async () => {
    const bad = async (params: Record<string, string>) =>
      (
        await api.call(
          'GET',
          `/api/reports?${query({ metric: 'first_reply_time', ...DAY, ...params })}`,
          {
            token: admin,
          },
        )
      ).body.error;
    expect(await bad({ to: DAY.from })).toMatchObject({ code: 'validation/invalid', field: 'to' });
    expect(await bad({ timeZone: 'Mars/Olympus' })).toMatchObject({ field: 'timeZone' });
    expect(await bad({ groupBy: 'status' })).toMatchObject({ field: 'groupBy' });
    expect(await bad({ metric: 'happiness' })).toMatchObject({ code: 'validation/invalid' });
    expect(
      await bad({
        interval: 'hour',
        from: '2020-01-01T00:00:00.000Z',
        to: '2026-01-01T00:00:00.000Z',
      }),
    ).toMatchObject({ field: 'interval' });
  });

  it('lists the metric registry', async () => {
    const r = await api.call('GET', '/api/reports/metrics', { token: admin });
    expect(r.status).toBe(200);
    const frt = r.body.items.find((m: { id: string }) => m.id === 'first_reply_time');
    expect(frt).toMatchObject({ kind: 'duration', businessHours: true });
    expect(r.body.items).toHaveLength(17);
  });

  it('shows a supervisor only their groups, and refuses other groups', async () => {
    const created = await api.call('POST', '/api/users', {
      token: admin,
      body: {
        role: 'supervisor',
        email: 'sup@reports.example',
        name: 'Sue',
        password: 'supervisor-pass',
      },
    });
    expect(created.status).toBe(201);
    const patched = await api.call('PATCH', `/api/groups/${billingId}`, {
      token: admin,
      body: { memberIds: [samId, created.body.id] },
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    const sup = await api.login('sup@reports.example', 'supervisor-pass');
    const range = { metric: 'first_reply_time', from: DAY.from, to: '2026-11-25T00:00:00.000Z' };
    const mine = await api.call('GET', `/api/reports?${query({ ...range, groupBy: 'agent' })}`, {
      token: sup,
    });
    expect(mine.status).toBe(200);
    expect(mine.body.rows.map((r: { key: { agentId: string } }) => r.key.agentId)).toEqual([samId]);
    const other = await api.call('GET', `/api/reports?${query({ ...range, groupId: supportId })}`, {
      token: sup,
    });
    expect(other.status).toBe(403);
    expect(other.body.error).toMatchObject({ code: 'auth/forbidden', field: 'groupId' });
    const agent = await api.call('GET', `/api/reports?${query(range)}`, { token: alex });
    expect(agent.status).toBe(403);
  });

  it('reports agent time per status, cut at the bucket boundaries', async () => {
    await moveTo('2026-11-26T23:00:00.000Z');
    expect(
      (
        await api.call('PUT', '/api/agents/me/status', {
          token: alex,
          body: { status: 'available' },
        })
      ).status,
    ).toBe(200);
    await moveTo('2026-11-27T01:00:00.000Z');
    expect(
      (await api.call('PUT', '/api/agents/me/status', { token: alex, body: { status: 'offline' } }))
        .status,
    ).toBe(200);
    const r = await api.call(
      'GET',
      `/api/reports?${query({
        metric: 'agent_status_time',
        from: '2026-11-26T00:00:00.000Z',
        to: '2026-11-28T00:00:00.000Z',
        agentId: alexId,
        groupBy: 'status',
        interval: 'day',
      })}`,
      { token: admin },
    );
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const available = r.body.rows
      .filter((x: { key: { status?: string } }) => x.key.status === 'available')
      .map((x: { key: { bucket: string }; sum: number }) => [x.key.bucket, x.sum]);
    expect(available).toEqual([
      ['2026-11-26', H],
      ['2026-11-27', H],
    ]);
  });
});

describe.each(availableStorageKinds())('business hours over HTTP on %s', (kind) => {
  let t: TestServer;
  let api: ReturnType<typeof apiClient>;
  let admin: string;
  let agent: string;
  const office = {
    name: 'Berlin office',
    timeZone: 'Europe/Berlin',
    intervals: [{ day: 1, start: '09:00', end: '17:00' }],
    holidays: [],
  };

  beforeAll(async () => {
    t = await startTestServer(kind);
    api = apiClient(t.server.app);
    admin = await api.login(DEMO_ACCOUNTS.admin.email, DEMO_ACCOUNTS.admin.password);
    agent = await api.login(DEMO_ACCOUNTS.agents[0].email, DEMO_ACCOUNTS.agents[0].password);
  });
  afterAll(async () => t.close());

  it('creates, reads, replaces and deletes schedules; the first is the default', async () => {
    const a = await api.call('POST', '/api/business-hours', { token: admin, body: office });
    expect(a.status, JSON.stringify(a.body)).toBe(201);
    expect(a.body).toMatchObject({ ...office, isDefault: true });
    const b = await api.call('POST', '/api/business-hours', {
      token: admin,
      body: {
        ...office,
        name: 'Night shift',
        intervals: [{ day: 2, start: '22:00', end: '24:00' }],
      },
    });
    expect(b.body.isDefault).toBe(false);
    const replaced = await api.call('PUT', `/api/business-hours/${b.body.id}`, {
      token: admin,
      body: { ...office, name: 'Night shift', isDefault: true },
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body.isDefault).toBe(true);
    const list = await api.call('GET', '/api/business-hours', { token: admin });
    expect(
      list.body.items.map((s: { name: string; isDefault: boolean }) => [s.name, s.isDefault]),
    ).toEqual([
      ['Night shift', true],
      ['Berlin office', false],
    ]);
    expect(
      (await api.call('DELETE', `/api/business-hours/${b.body.id}`, { token: admin })).status,
    ).toBe(204);
    const after = await api.call('GET', `/api/business-hours/${a.body.id}`, { token: admin });
    expect(after.body.isDefault).toBe(true);
    expect(
      (await api.call('GET', `/api/business-hours/${b.body.id}`, { token: admin })).status,
    ).toBe(404);
  });

  it('refuses bad schedules with the field at fault, storing nothing', async () => {
    const post = (body: unknown) => api.call('POST', '/api/business-hours', { token: admin, body });
    const before = (await api.call('GET', '/api/business-hours', { token: admin })).body.items
      .length;
    expect(
      (await post({ ...office, name: 'X', timeZone: 'Mars/Olympus' })).body.error,
    ).toMatchObject({
      code: 'validation/invalid',
      field: 'timeZone',
    });
    expect(
      (await post({ ...office, name: 'X', intervals: [{ day: 1, start: '17:00', end: '09:00' }] }))
        .body.error,
    ).toMatchObject({ field: 'intervals/0' });
    expect(
      (
        await post({
          ...office,
          name: 'X',
          intervals: [
            { day: 1, start: '09:00', end: '12:00' },
            { day: 1, start: '11:00', end: '13:00' },
          ],
        })
      ).body.error,
    ).toMatchObject({ field: 'intervals/1' });
    expect(
      (await post({ ...office, name: 'X', intervals: [{ day: 7, start: '09:00', end: '10:00' }] }))
        .status,
    ).toBe(400);
    expect(
      (await post({ ...office, name: 'X', holidays: [{ date: '2026-02-30', name: 'No' }] })).body
        .error,
    ).toMatchObject({
      field: 'holidays/0/date',
    });
    expect(
      (await api.call('GET', '/api/business-hours', { token: admin })).body.items,
    ).toHaveLength(before);
  });

  it('lets only admins change schedules', async () => {
    expect(
      (await api.call('POST', '/api/business-hours', { token: agent, body: office })).status,
    ).toBe(403);
    expect((await api.call('GET', '/api/business-hours', { token: agent })).status).toBe(403);
  });

  it('keeps the report time zone in settings, refusing unknown zones', async () => {
    const bad = await api.call('PATCH', '/api/settings', {
      token: admin,
      body: { reportTimeZone: 'Nowhere/Land' },
    });
    expect(bad.body.error).toMatchObject({ field: 'reportTimeZone' });
    const ok = await api.call('PATCH', '/api/settings', {
      token: admin,
      body: { reportTimeZone: 'Europe/Berlin' },
    });
    expect(ok.body.reportTimeZone).toBe('Europe/Berlin');
    const r = await api.call(
      'GET',
      '/api/reports?metric=reopens&from=2026-11-23T00:00:00.000Z&to=2026-11-24T00:00:00.000Z',
      { token: admin },
    );
    expect(r.body.timeZone).toBe('Europe/Berlin');
  });
});
