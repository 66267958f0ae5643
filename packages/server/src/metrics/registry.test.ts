import { describe, expect, it } from 'vitest';
import { Registry } from './registry.js';
import { parseExposition } from './parse-exposition.js';

describe('Prometheus registry', () => {
  it('writes HELP and TYPE lines, then one sample per labelled series', async () => {
    const r = new Registry();
    const offers = r.counter('offers_total', 'Offers by outcome');
    offers.inc({ outcome: 'made' });
    offers.inc({ outcome: 'made' });
    offers.inc({ outcome: 'expired' });

    const text = await r.expose();

    expect(text).toBe(
      [
        '# HELP offers_total Offers by outcome',
        '# TYPE offers_total counter',
        'offers_total{outcome="made"} 2',
        'offers_total{outcome="expired"} 1',
        '',
      ].join('\n'),
    );
  });

  it('writes cumulative histogram buckets with +Inf, sum and count', async () => {
    const r = new Registry();
    const h = r.histogram('latency_seconds', 'Latency', [0.1, 1]);
    for (const v of [0.05, 0.5, 0.5, 3]) h.observe(v);

    const samples = parseExposition(await r.expose());

    expect(samples.get('latency_seconds_bucket{le="0.1"}')).toBe(1);
    expect(samples.get('latency_seconds_bucket{le="1"}')).toBe(3);
    expect(samples.get('latency_seconds_bucket{le="+Inf"}')).toBe(4);
    expect(samples.get('latency_seconds_sum')).toBe(4.05);
    expect(samples.get('latency_seconds_count')).toBe(4);
  });

  it('escapes quotes, backslashes and newlines in label values', async () => {
    const r = new Registry();
    r.gauge('queue_length', 'Waiting').set(3, { group: 'Sales "EU"\\\n' });

    expect(await r.expose()).toContain('queue_length{group="Sales \\"EU\\"\\\\\\n"} 3');
  });

  it('reads values kept elsewhere at scrape time', async () => {
    const r = new Registry();
    const g = r.gauge('sockets_open', 'Open sockets');
    let open = 1;
    r.collect(() => g.set(open));
    expect(parseExposition(await r.expose()).get('sockets_open')).toBe(1);

    open = 5;

    expect(parseExposition(await r.expose()).get('sockets_open')).toBe(5);
  });

  it('refuses a counter going down and a metric registered twice', () => {
    const r = new Registry();
    const c = r.counter('a_total', 'A');
    expect(() => c.inc({}, -1)).toThrow(/only goes up/);
    expect(() => r.gauge('a_total', 'again')).toThrow(/twice/);
    expect(() => r.gauge('bad-name', 'x')).toThrow(/invalid metric name/);
  });
});
