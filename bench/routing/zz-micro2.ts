import { SortedList } from '../../packages/core/src/routing/sorted-list.js';
import { compareRanked, rankAgent } from '../../packages/core/src/routing/strategy-order.js';
import { buildRoutingFixture } from './routing-fixture.js';
const f = buildRoutingFixture(10_000, 10, 1);
const ranked = f.agents.map((a) => rankAgent(a, 'most_spare_capacity', 'email'));
for (let round = 0; round < 3; round++) {
  const list = new SortedList(compareRanked);
  let t = performance.now();
  for (const r of ranked) list.add(r);
  const add = ((performance.now() - t) / ranked.length) * 1000;
  t = performance.now();
  for (let i = 0; i < 20_000; i++) {
    const r = ranked[(i * 7919) % ranked.length]!;
    list.delete(r);
    list.add(r);
  }
  const cycle = ((performance.now() - t) / 20_000) * 1000;
  t = performance.now();
  let n = 0;
  for (let i = 0; i < 20_000; i++) n += compareRanked(ranked[i % 10000]!, ranked[(i * 31) % 10000]!);
  const cmp = ((performance.now() - t) / 20_000) * 1000;
  t = performance.now();
  for (let i = 0; i < 20_000; i++) rankAgent(f.agents[i % 10000]!, 'most_spare_capacity', 'email');
  const rank = ((performance.now() - t) / 20_000) * 1000;
  console.log({ add_us: add.toFixed(3), delete_add_us: cycle.toFixed(3), cmp_us: cmp.toFixed(4), rank_us: rank.toFixed(3), n });
}
