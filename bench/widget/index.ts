import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Benchmark, BenchmarkOptions, Metrics } from '../benchmark.js';
import { launchBrowser } from '../../packages/server/src/testing/browser.js';
import { startParlour } from '../message-path/start-server.js';
import { gzipBytes, measureFiles, widgetFiles, WIDGET_DIST } from './widget-files.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The peer: Rocket.Chat's livechat widget as published on npm (its `build/` folder). */
export const PEER_PACKAGE = '@rocket.chat/livechat';
export const PEER_VERSION = '1.13.3';
/** The script a host page embeds (the snippet loads it); everything else is the iframe's app. */
export const PEER_LOADER = 'rocketchat-livechat.min.js';

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Fetches the peer's package tarball once (npm pack, no dependency added) and unpacks it. */
function peerBuildDir(log: (line: string) => void): string {
  const cache = join(tmpdir(), `parlour-bench-livechat-${PEER_VERSION}`);
  const build = join(cache, 'package', 'build');
  if (!existsSync(build)) {
    mkdirSync(cache, { recursive: true });
    log(`fetching ${PEER_PACKAGE}@${PEER_VERSION} with npm pack into ${cache}`);
    const out = execFileSync(
      'npm',
      ['pack', `${PEER_PACKAGE}@${PEER_VERSION}`, '--pack-destination', cache, '--silent'],
      { cwd: cache, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const tarball = out.trim().split('\n').at(-1)!;
    execFileSync('tar', ['-xzf', join(cache, tarball), '-C', cache]);
  }
  return build;
}

function measurePeer(log: (line: string) => void): Metrics {
  const build = peerBuildDir(log);
  const files = readdirSync(build).filter((f) => /\.(js|css)$/.test(f));
  if (!files.includes(PEER_LOADER)) throw new Error(`${PEER_LOADER} is not in ${build}`);
  const { total } = measureFiles(build, files);
  const loader = measureFiles(build, [PEER_LOADER]).total;
  log(
    `peer ${PEER_PACKAGE}@${PEER_VERSION}: loader = build/${PEER_LOADER} (${loader} B gzip); bundle = all ${files.length} .js and .css files in build/ (loader included, source maps and HTML not): ${total} B gzip`,
  );
  return { peer_loader_gzip_bytes: loader, peer_bundle_gzip_bytes: total };
}

/** Headless Chromium on the demo page: navigation → launcher clicked → composer usable and online. */
async function measureInteractive(runs: number, log: (line: string) => void): Promise<Metrics> {
  // The server as `npm start` runs it (its own process, PGlite in a temporary directory).
  const dataDir = mkdtempSync(join(tmpdir(), 'parlour-bench-widget-'));
  const server = await startParlour('parlour', { dataDir });
  const browser = await launchBrowser();
  try {
    const times: number[] = [];
    const greetings: number[] = [];
    const loaded = new Map<string, number>();
    for (let i = 0; i <= runs; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      page.on('response', (response) => {
        const path = new URL(response.url()).pathname;
        if (path === '/widget.js' || (path.startsWith('/widget/') && !path.includes('/demo-')))
          void response.body().then(
            (body) => loaded.set(path, gzipBytes(body)),
            () => undefined,
          );
      });
      const started = performance.now();
      await page.goto(`${server.baseUrl}/demo`);
      await page.click('[data-testid="parlour-launcher"]');
      const frame = await (
        await page.waitForSelector('[data-testid="parlour-frame"]')
      ).contentFrame();
      // Usable: the composer is enabled and the socket online (a message typed now is sent).
      await frame!.waitForSelector(
        '[data-testid="chat"][data-connection="online"] [data-testid="composer-input"]:not([disabled])',
      );
      const ms = performance.now() - started;
      // Greeted: the new conversation is subscribed and the bot's first message shown.
      await frame!.waitForSelector(
        '[data-testid="chat"][data-connection="online"][data-conversation-id] [data-testid="message"]',
      );
      const greeted = performance.now() - started;
      // The first run warms the server and browser up and is not counted.
      if (i > 0) {
        times.push(ms);
        greetings.push(greeted);
      }
      log(
        `interactive run ${i}${i === 0 ? ' (warm-up)' : ''}: usable ${ms.toFixed(0)} ms, greeted ${greeted.toFixed(0)} ms`,
      );
      await context.close();
    }
    log(
      `the page loaded from the widget: ${[...loaded].map(([p, b]) => `${p} ${b} B`).join(', ')}`,
    );
    return {
      widget_interactive_ms: Math.round(median(times)),
      widget_greeting_ms: Math.round(median(greetings)),
    };
  } finally {
    await browser.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * widget: the customer widget's weight (loader; everything it loads on a page) and how fast it is
 * usable in headless Chromium, beside the peer (Rocket.Chat livechat from npm) gzipped the same way.
 */
export const widget: Benchmark = {
  async run({ quick, args, log }: BenchmarkOptions): Promise<Metrics> {
    if (args.length > 0) throw new Error(`widget: unknown options ${args.join(' ')}`);
    log('building the widget (npm run build --workspace apps/widget)');
    execFileSync('npm', ['run', 'build', '--silent', '--workspace', 'apps/widget'], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const files = widgetFiles();
    const sizes = measureFiles(WIDGET_DIST, files);
    log(
      `widget files (gzip): ${Object.entries(sizes.perFile)
        .map(([f, b]) => `${f} ${b} B`)
        .join(', ')}`,
    );
    const peer = measurePeer(log);
    const interactive = await measureInteractive(quick ? 3 : 5, log);
    return {
      loader_gzip_bytes: sizes.perFile['widget.js']!,
      widget_gzip_bytes: sizes.total,
      ...interactive,
      ...peer,
    };
  },
};
