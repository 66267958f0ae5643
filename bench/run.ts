import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installSignalHandlers } from './cleanup.js';
import type { Benchmark } from './benchmark.js';

/**
 * `npm run bench -- <name> [--quick] [benchmark options]`: runs one benchmark, writes
 * bench/results/<name>.json and prints the same flat JSON object (metric → number) as the last
 * line of stdout. Progress goes to stderr.
 */
const benchmarks: Record<string, () => Promise<Benchmark>> = {
  email: async () => (await import('./email/index.js')).email,
  'api-inbound': async () => (await import('./email/api-inbound.js')).apiInbound,
  'live-view': async () => (await import('./live-view/index.js')).liveView,
  'message-path': async () => (await import('./message-path/index.js')).messagePath,
  pci: async () => (await import('./pci/index.js')).pci,
  reports: async () => (await import('./reports/index.js')).reports,
  routing: async () => (await import('./routing/index.js')).routing,
  rules: async () => (await import('./rules/index.js')).rules,
  widget: async () => (await import('./widget/index.js')).widget,
};

function usage(): string {
  return [
    'usage: npm run bench -- <name> [--quick] [options]',
    '',
    'benchmarks:',
    ...Object.keys(benchmarks).map((name) => `  ${name}`),
    '',
    '  --quick   a shorter run (finishes within 60 s)',
  ].join('\n');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const name = args.find((a) => !a.startsWith('-'));
  const load = name !== undefined && Object.hasOwn(benchmarks, name) ? benchmarks[name] : undefined;
  if (!load || !name) {
    console.error(name ? `Unknown benchmark "${name}".\n` : 'No benchmark named.\n');
    console.error(usage());
    process.exit(2);
  }
  const quick = args.includes('--quick');
  const rest = args.filter((a) => a !== name && a !== '--quick');
  installSignalHandlers();
  const benchmark = await load();
  const started = performance.now();
  const log = (line: string) =>
    process.stderr.write(
      `[${((performance.now() - started) / 1000).toFixed(1).padStart(5)} s] ${line}\n`,
    );
  const metrics = await benchmark.run({ quick, args: rest, log });
  process.stderr.write(
    `${name} finished in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
  );
  const json = JSON.stringify(metrics);
  const dir = join(dirname(fileURLToPath(import.meta.url)), 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.json`), `${JSON.stringify(metrics, null, 2)}\n`);
  process.stdout.write(`${json}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
