import fc from 'fast-check';
import { ServerFrame } from '@parlour/protocol';
import { Compile } from 'typebox/compile';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../seed-demo.js';
import { apiClient } from '../testing/api-client.js';
import { startTestServer, type TestServer } from '../testing/test-server.js';
import { TestSocket } from '../testing/ws-client.js';
import { registeredRoutes, type RouteEntry } from './app.js';

type Who = 'admin' | 'agent' | 'end_user';

/** The parts of a request body's JSON Schema (as the OpenAPI document has it) the fuzzer reads. */
interface JsonSchema {
  readonly type?: string;
  readonly format?: string;
  readonly pattern?: string;
  readonly enum?: readonly unknown[];
  readonly anyOf?: readonly JsonSchema[];
  readonly nullable?: boolean;
  readonly items?: JsonSchema;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
}

interface OpenApi {
  paths: Record<
    string,
    Record<string, { requestBody?: { content?: Record<string, { schema?: JsonSchema }> } }>
  >;
}

/** Values that reach deeper than random JSON: the enums, ids and edge numbers the schemas know. */
const LITERALS = [
  'new',
  'open',
  'pending',
  'on_hold',
  'solved',
  'closed',
  'low',
  'normal',
  'high',
  'urgent',
  'public',
  'internal',
  'messaging',
  'email',
  'api',
  'admin',
  'supervisor',
  'agent',
  'ended_by_agent',
  'customer_left',
  'https://shop.example',
];
const EDGE_NUMBERS = [0, -1, 1, 0.5, 2 ** 31, 2 ** 53, 1e300, -1e300];

const checkServerFrame = Compile(ServerFrame);

function expectErrorShape(status: number, text: string, label: string): void {
  expect(status, label).toBeLessThan(500);
  if (status < 400) return;
  const body = JSON.parse(text) as {
    error?: { code?: unknown; message?: unknown; field?: unknown };
  };
  expect(Object.keys(body), label).toEqual(['error']);
  expect(typeof body.error?.code, label).toBe('string');
  expect(typeof body.error?.message, label).toBe('string');
  if (body.error?.field !== undefined) expect(typeof body.error.field, label).toBe('string');
}

/** Random bodies, frames and ids never earn a 5xx or an `internal` error, and the server stays up. */
describe('fuzzing the edges', () => {
  let t: TestServer;
  let api: ReturnType<typeof apiClient>;
  const tokens: Partial<Record<Who, string>> = {};
  let realIds: string[];
  let conversationId: string;

  beforeAll(async () => {
    t = await startTestServer('pglite', { listen: true });
    api = apiClient(t.server.app);
    tokens.admin = await api.login(DEMO_ACCOUNTS.admin.email, DEMO_ACCOUNTS.admin.password);
    tokens.agent = await api.login(DEMO_ACCOUNTS.agents[0].email, DEMO_ACCOUNTS.agents[0].password);
    const visitor = await api.visitor();
    tokens.end_user = visitor.token;
    const started = await api.call('POST', '/api/conversations', {
      token: visitor.token,
      body: { body: 'fuzz me' },
    });
    conversationId = started.body.conversation.id;
    const groups = (await api.call('GET', '/api/groups', { token: tokens.admin })).body as {
      id: string;
    }[];
    const ticket = await api.call('POST', `/api/conversations/${conversationId}/handoff`, {
      token: visitor.token,
      body: { groupId: groups[0]!.id },
    });
    // A user the fuzzer may deactivate or demote without locking out the tokens it calls with.
    const victim = await api.call('POST', '/api/users', {
      token: tokens.admin,
      body: {
        role: 'agent',
        email: 'victim@parlour.example',
        name: 'Vic Tim',
        password: 'victim-pass',
      },
    });
    const apiToken = await api.call('POST', '/api/api-tokens', {
      token: tokens.admin,
      body: { name: 'fuzz' },
    });
    realIds = [
      conversationId,
      ticket.body.id,
      victim.body.id,
      apiToken.body.id,
      visitor.endUserId,
      ...groups.map((g) => g.id),
    ];
  });
  afterAll(async () => t.close());

  const paramValue = () =>
    fc.oneof(
      fc.uuid(),
      fc.constantFrom(...realIds),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 250 }).map(encodeURIComponent),
      fc.constantFrom('%E0%A4%A', '%', '%00', '..', 'null'),
    );
  const fieldValue = () =>
    fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.constantFrom(...LITERALS, ...EDGE_NUMBERS, ...realIds),
      fc.uuid(),
      fc.emailAddress(),
      fc.array(fc.oneof(fc.constantFrom(...realIds), fc.uuid(), fc.string({ maxLength: 12 })), {
        maxLength: 3,
      }),
    );

  /** Mostly values the schema accepts (so requests reach the use cases), with the odd edge case. */
  function plausible(schema: JsonSchema): fc.Arbitrary<unknown> {
    const options: fc.Arbitrary<unknown>[] = [];
    if (schema.anyOf) options.push(...schema.anyOf.map(plausible));
    else if (schema.enum) options.push(fc.constantFrom(...schema.enum));
    else if (schema.type === 'string') options.push(plausibleString(schema));
    else if (schema.type === 'integer')
      options.push(
        fc.oneof(
          fc.integer({ min: schema.minimum ?? -5, max: Math.max(20, (schema.minimum ?? 0) + 20) }),
          fc.constantFrom(...EDGE_NUMBERS),
        ),
      );
    else if (schema.type === 'boolean') options.push(fc.boolean());
    else if (schema.type === 'array')
      options.push(fc.array(plausible(schema.items ?? {}), { maxLength: 3 }));
    if (schema.nullable) options.push(fc.constant(null));
    return options.length > 0 ? fc.oneof(...options) : fieldValue();
  }

  function plausibleString(schema: JsonSchema): fc.Arbitrary<string> {
    if (schema.format === 'uuid')
      return fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom(...realIds) },
        { weight: 1, arbitrary: fc.uuid() },
      );
    if (schema.format === 'email')
      return fc.oneof(
        fc.emailAddress(),
        fc.constantFrom(DEMO_ACCOUNTS.admin.email, 'victim@parlour.example'),
      );
    if (schema.pattern)
      return fc.oneof(
        fc.constantFrom('https://shop.example', 'http://a.example:8080'),
        fc.webUrl(),
      );
    const max = Math.min(schema.maxLength ?? 40, 40);
    return fc.oneof(
      {
        weight: 4,
        arbitrary: fc.string({ minLength: Math.min(schema.minLength ?? 0, max), maxLength: max }),
      },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: max }) },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          '',
          '   ',
          'a\u0000b',
          '\uD800',
          'x'.repeat((schema.maxLength ?? 10_000) + 1),
        ),
      },
    );
  }

  function plausibleBody(schema: JsonSchema): fc.Arbitrary<Record<string, unknown>> {
    const fields = Object.fromEntries(
      Object.entries(schema.properties ?? {}).map(([key, field]) => [
        key,
        fc.oneof(
          { weight: 6, arbitrary: plausible(field) },
          { weight: 1, arbitrary: fieldValue() },
        ),
      ]),
    );
    return fc.oneof(
      { weight: 6, arbitrary: fc.record(fields, { requiredKeys: [...(schema.required ?? [])] }) },
      {
        weight: 1,
        arbitrary: fc.record({ ...fields, unexpected: fieldValue() }, { requiredKeys: [] }),
      },
    );
  }

  /** Mostly a principal the route admits, so the body is what gets tested; sometimes anyone. */
  function callerOf(route: RouteEntry): fc.Arbitrary<Who> {
    const all: Who[] = ['admin', 'agent', 'end_user'];
    const allowed = route.access === 'public' ? all : all.filter((w) => route.access?.includes(w));
    return allowed.length > 0
      ? fc.oneof(
          { weight: 4, arbitrary: fc.constantFrom(...allowed) },
          { weight: 1, arbitrary: fc.constantFrom(...all) },
        )
      : fc.constantFrom(...all);
  }

  function fillPath(route: RouteEntry, params: readonly string[]): string {
    let i = 0;
    return route.url.replace(/:[a-zA-Z]+/g, () => params[i++] ?? 'x');
  }

  async function send(
    method: string,
    url: string,
    who: Who,
    payload: string | undefined,
    contentType: string | undefined,
  ) {
    const r = await t.server.app.inject({
      method: method as 'POST',
      url,
      headers: {
        authorization: `Bearer ${tokens[who]}`,
        ...(contentType ? { 'content-type': contentType } : {}),
      },
      ...(payload !== undefined ? { payload } : {}),
    });
    expectErrorShape(
      r.statusCode,
      r.body,
      `${who} ${method} ${url} ${JSON.stringify(payload)?.slice(0, 200)} -> ${r.statusCode} ${r.body.slice(0, 200)}`,
    );
  }

  // Logging out ignores its body and would end the session the other runs use.
  const bodyRoutes = () =>
    registeredRoutes(t.server.app).filter(
      (r) => (r.method === 'POST' || r.method === 'PATCH') && r.url !== '/api/auth/logout',
    );

  it('answers arbitrary JSON and arbitrary text sent to every POST and PATCH route with a 4xx in the error shape, never a 5xx', async () => {
    const routes = bodyRoutes();
    expect(routes.length).toBeGreaterThan(10);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes).chain((route) => fc.tuple(fc.constant(route), callerOf(route))),
        fc.array(paramValue(), { minLength: 2, maxLength: 2 }),
        fc.oneof(
          fc.jsonValue().map((v) => JSON.stringify(v)),
          fc.string({ unit: 'binary', maxLength: 200 }),
          fc.constantFrom('', '{', 'null', '[]', '{"__proto__":{"x":1}}'),
        ),
        fc.constantFrom(
          'application/json',
          'application/json; charset=utf-8',
          'text/plain',
          undefined,
        ),
        async ([route, who], params, payload, contentType) =>
          send(route.method, fillPath(route, params), who, payload, contentType),
      ),
      { numRuns: 200 },
    );
  });

  it('answers bodies shaped like each route schema, with random values, without a 5xx', async () => {
    const doc = t.server.app.swagger() as unknown as OpenApi;
    const schemaOf = (route: RouteEntry): JsonSchema =>
      doc.paths[route.url.replace(/:([a-zA-Z]+)/g, '{$1}')]?.[route.method.toLowerCase()]
        ?.requestBody?.content?.['application/json']?.schema ?? {};
    const routes = bodyRoutes();
    expect(routes.filter((r) => schemaOf(r).properties).length).toBeGreaterThan(10);
    const request = fc.constantFrom(...routes).chain((route) =>
      fc.record({
        route: fc.constant(route),
        who: callerOf(route),
        params: fc.array(
          fc.oneof(
            { weight: 4, arbitrary: fc.constantFrom(...realIds) },
            { weight: 1, arbitrary: paramValue() },
          ),
          { minLength: 2, maxLength: 2 },
        ),
        body: plausibleBody(schemaOf(route)),
      }),
    );
    await fc.assert(
      fc.asyncProperty(request, async ({ route, who, params, body }) =>
        send(route.method, fillPath(route, params), who, JSON.stringify(body), 'application/json'),
      ),
      { numRuns: 200 },
    );
  });

  it('answers random query strings and path ids on every GET and DELETE route without a 5xx', async () => {
    const routes = registeredRoutes(t.server.app).filter(
      (r) => (r.method === 'GET' || r.method === 'DELETE') && !r.websocket,
    );
    const query = fc.dictionary(
      fc.constantFrom(
        'status',
        'groupId',
        'assigneeId',
        'requesterId',
        'tag',
        'channel',
        'cursor',
        'limit',
        'after',
        'role',
        'other',
      ),
      fc.oneof(
        fc.string({ unit: 'grapheme', maxLength: 60 }),
        fc.constantFrom(...LITERALS, ...realIds, 'me', 'none'),
        fc.constantFrom(...EDGE_NUMBERS).map(String),
        fc.uuid(),
      ),
      { maxKeys: 3 },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes).chain((route) => fc.tuple(fc.constant(route), callerOf(route))),
        fc.array(paramValue(), { minLength: 2, maxLength: 2 }),
        query,
        async ([route, who], params, q) => {
          const search = new URLSearchParams(q).toString();
          await send(
            route.method,
            `${fillPath(route, params)}${search ? `?${search}` : ''}`,
            who,
            undefined,
            undefined,
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  type Outgoing = { readonly text: string } | { readonly bytes: Uint8Array };

  function frames(conversationId: string): fc.Arbitrary<Outgoing> {
    const ref = fc.string({ maxLength: 80 });
    const id = fc.oneof(
      { weight: 3, arbitrary: fc.constant(conversationId) },
      fc.uuid(),
      fc.string(),
    );
    const afterSeq = fc.oneof(
      { weight: 3, arbitrary: fc.nat(30) },
      fc.integer(),
      fc.string(),
      fc.constantFrom(...EDGE_NUMBERS),
    );
    const body = fc.oneof(
      { weight: 3, arbitrary: fc.string({ minLength: 1 }) },
      fc.string({ unit: 'binary' }),
      fc.constantFrom('', '   ', 'a\u0000b', 'x'.repeat(10_001)),
    );
    const clientMessageId = fc.oneof(
      { weight: 3, arbitrary: fc.uuid() },
      fc.string({ maxLength: 70 }),
    );
    const kind = fc.constantFrom('public', 'public', 'internal', 'x');
    const channel = fc.constantFrom('messaging', 'messaging', 'email', 'api', 'x');
    const shaped = fc.oneof(
      fc.record(
        {
          type: fc.constantFrom('subscribe', 'message.send', 'ping', 'unsubscribe', 'bogus'),
          ref,
          conversationId: id,
          afterSeq,
          body,
          clientMessageId,
          kind,
          channel,
        },
        { requiredKeys: [] },
      ),
      fc.record({ type: fc.constant('ping'), ref }, { requiredKeys: ['type'] }),
      fc.record(
        { type: fc.constant('subscribe'), ref, conversationId: id, afterSeq },
        { requiredKeys: ['type', 'conversationId', 'afterSeq'] },
      ),
      fc.record(
        { type: fc.constant('unsubscribe'), ref, conversationId: id },
        { requiredKeys: ['type', 'conversationId'] },
      ),
    );
    const send = fc.record(
      {
        type: fc.constant('message.send'),
        ref,
        conversationId: id,
        clientMessageId,
        body,
        kind,
        channel,
      },
      { requiredKeys: ['type', 'conversationId', 'clientMessageId', 'body'] },
    );
    return fc.oneof(
      {
        weight: 1,
        arbitrary: fc.string({ unit: 'binary', maxLength: 200 }).map((text) => ({ text })),
      },
      {
        weight: 1,
        arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => ({ text: JSON.stringify(v) })),
      },
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((bytes) => ({ bytes })) },
      { weight: 5, arbitrary: shaped.map((f) => ({ text: JSON.stringify(f) })) },
      { weight: 3, arbitrary: send.map((f) => ({ text: JSON.stringify(f) })) },
    );
  }

  it.each(['agent', 'end_user'] as const)(
    'answers 250 random frames from %s one by one with known frames, never internal, and keeps the socket open',
    async (who) => {
      // A fresh visitor and chat: the HTTP fuzzing may have ended the first one's session, or
      // erased the visitor (GDPR erasure is one of the routes it calls), or required a verified
      // identity for new visitors (PATCH /api/settings is one of them too).
      const reset = await api.call('PATCH', '/api/settings', {
        token: tokens.admin,
        body: { requireVerifiedIdentity: false },
      });
      expect(reset.status).toBe(200);
      tokens.end_user = (await api.visitor()).token;
      const started = await api.call('POST', '/api/conversations', {
        token: tokens.end_user,
        body: { body: `fuzz frames from ${who}` },
      });
      expect(started.status).toBe(201);
      const socket = await TestSocket.open(t.url, tokens[who]!);
      const isReply = (f: { type: string }) => f.type !== 'event' && f.type !== 'welcome';
      await fc.assert(
        fc.asyncProperty(frames(started.body.conversation.id), async (out) => {
          const reply = socket.next(isReply);
          if ('text' in out) socket.sendRaw(out.text);
          else socket.ws.send(out.bytes);
          const frame = await reply;
          expect(checkServerFrame.Check(frame), JSON.stringify(frame)).toBe(true);
          if (frame.type === 'error')
            expect(frame.code, JSON.stringify({ out, frame })).not.toBe('internal');
          const sentRef = 'text' in out ? refOf(out.text) : undefined;
          if (sentRef) expect('ref' in frame ? frame.ref : undefined).toBe(sentRef.slice(0, 64));
        }),
        { numRuns: 250 },
      );
      for (const frame of socket.frames)
        expect(checkServerFrame.Check(frame), JSON.stringify(frame)).toBe(true);
      expect(socket.ws.readyState).toBe(socket.ws.OPEN);
      expect(await socket.request({ type: 'ping' })).toMatchObject({ type: 'pong' });
      await socket.close();
    },
  );

  it('still answers /healthz over the network after the fuzzing', async () => {
    const r = await fetch(`${t.url}/healthz`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ ok: true });
  });
});

function refOf(text: string): string | undefined {
  try {
    const value = JSON.parse(text) as { ref?: unknown } | null;
    return typeof value?.ref === 'string' ? value.ref : undefined;
  } catch {
    return undefined;
  }
}
