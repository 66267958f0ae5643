import { RoutingIndex, withPlannedOffer } from '@parlour/core';
import { buildRoutingFixture } from './routing-fixture.js';
const f = buildRoutingFixture(10_000, 10, 1);
for (const views of [false, true, true]) {
  const index = new RoutingIndex(f.agents);
  if (views) for (const g of f.groups.values()) { index.standing(g, 'messaging'); index.standing(g, 'email'); }
  const ids = f.agents.map((a) => a.id);
  let t = performance.now();
  for (let i = 0; i < 20_000; i++) index.recordOffer(ids[(i * 7919) % ids.length]!, 'email', f.now + i);
  const rec = (performance.now() - t) / 20_000 * 1000;
  t = performance.now();
  for (let i = 0; i < 20_000; i++) withPlannedOffer(f.agents[i % 10000]!, 'email', f.now, i);
  const wpo = (performance.now() - t) / 20_000 * 1000;
  t = performance.now();
  for (let i = 0; i < 20_000; i++) { const a = index.get(ids[(i * 7919) % ids.length]!)!; index.update(a); }
  const upd = (performance.now() - t) / 20_000 * 1000;
  console.log({ views, rec_us: rec.toFixed(2), withPlannedOffer_us: wpo.toFixed(2), same_update_us: upd.toFixed(2) });
}
