import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableStorageKinds } from '../../../storage/src/testing/test-database.js';
import { RoutingTestBed, type TestAgent } from '../services/routing/routing-test-bed.js';
import { parseExposition } from './parse-exposition.js';

describe.each(availableStorageKinds())('GET /metrics on %s', (kind) => {
  let bed: RoutingTestBed;
  let ana: TestAgent;
  let groupId: string;
  let scraper: string;

  beforeAll(async () => {
    bed = await RoutingTestBed.start(kind);
    ana = await bed.newAgent('Ana');
    groupId = await bed.newGroup('Metrics', [ana], { offerTimeoutS: 30 });
    const token = await bed.api.call<{ token: string }>('POST', '/api/api-tokens', {
      token: bed.admin.token,
      body: { name: 'prometheus' },
    });
    scraper = token.body.token;
  });
  afterAll(async () => bed.close());

  /** The queue length sample of the test's group, whatever its generated name. */
  const queueLength = (samples: Map<string, number>) =>
    [...samples].find(([k]) => k.startsWith('parlour_queue_length{') && k.includes(groupId))?.[1];

  async function scrape(token: string | undefined) {
    const r = await bed.t.server.app.inject({
      method: 'GET',
      url: '/metrics',
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    return { status: r.statusCode, type: r.headers['content-type'], text: r.body };
  }

  it('answers an admin API token (as Prometheus sends it) in the text format 0.0.4', async () => {
    const r = await scrape(scraper);

    expect(r.status).toBe(200);
    expect(r.type).toBe('text/plain; version=0.0.4; charset=utf-8');
    const samples = parseExposition(r.text);
    expect(samples.get('parlour_db_pool_connections{state="total"}')).toBeGreaterThanOrEqual(1);
    expect(samples.has('parlour_sockets_open')).toBe(true);
    expect(samples.has('parlour_timer_lag_seconds')).toBe(true);
  });

  it('refuses anyone but admins', async () => {
    const agent = await scrape(ana.token);
    const nobody = await scrape(undefined);

    expect(agent.status).toBe(403);
    expect(nobody.status).toBe(401);
  });

  it('counts sockets, queue lengths, offers made, missed and routed, and message delivery', async () => {
    const before = parseExposition((await scrape(scraper)).text);
    const made = before.get('parlour_offers_total{outcome="made"}') ?? 0;
    const socket = await bed.connect(ana);
    await bed.available(ana);

    const missed = await bed.handoff(groupId);
    const offered = parseExposition((await scrape(scraper)).text);
    await bed.pass(31_000);
    await bed.available(ana);
    await bed.accept(ana, missed.ticketId);
    socket.send({ type: 'subscribe', conversationId: missed.conversationId, afterSeq: 0 });
    await socket.next((f) => f.type === 'subscribed');
    await bed.api.call('POST', `/api/conversations/${missed.conversationId}/messages`, {
      token: missed.visitorToken,
      body: { body: 'Thanks' },
    });
    await socket.next((f) => f.type === 'event' && JSON.stringify(f.entry).includes('Thanks'));
    const after = parseExposition((await scrape(scraper)).text);

    expect(offered.get('parlour_sockets_open')).toBe(1);
    expect(queueLength(offered)).toBe(1);
    expect(offered.get('parlour_offers_pending')).toBe(1);
    expect(after.get('parlour_offers_total{outcome="made"}')).toBe(made + 2);
    expect(after.get('parlour_offers_total{outcome="expired"}')).toBe(1);
    expect(after.get('parlour_routed_total')).toBe(1);
    expect(queueLength(after)).toBe(0);
    expect(after.get('parlour_message_delivery_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(after.get('parlour_message_delivery_seconds_bucket{le="+Inf"}')).toBe(
      after.get('parlour_message_delivery_seconds_count'),
    );
  });

  it('reports how late the most overdue durable timer is', async () => {
    await bed.t.server.timers.schedule(bed.clock.now(), 'metrics.test-never-handled', {});
    bed.clock.advance(5_000);

    const samples = parseExposition((await scrape(scraper)).text);

    expect(samples.get('parlour_timer_lag_seconds')).toBeGreaterThanOrEqual(5);
    expect(samples.get('parlour_timers_due')).toBeGreaterThanOrEqual(1);
  });
});
