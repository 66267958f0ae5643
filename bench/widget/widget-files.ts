import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/** The built widget (`npm run build` writes it). */
export const WIDGET_DIST = fileURLToPath(new URL('../../apps/widget/dist/', import.meta.url));

/** Budgets from issue 6: the loader ≤ 3 KB gzip, everything the widget loads ≤ 60 KB gzip. */
export const LOADER_BUDGET_BYTES = 3 * 1024;
export const WIDGET_BUDGET_BYTES = 60 * 1024;

/** Gzipped size, the same way for Parlour and the peer: zlib level 9. */
export function gzipBytes(content: Buffer | string): number {
  return gzipSync(content, { level: 9 }).length;
}

/**
 * Everything a page with the widget loads, relative to dist/: the loader (widget.js), the frame's
 * page and the scripts and styles it references, followed through the scripts' own imports.
 * The demo page's files are not the widget's.
 */
export function widgetFiles(dist = WIDGET_DIST): string[] {
  if (!existsSync(join(dist, 'widget.js')) || !existsSync(join(dist, 'frame.html')))
    throw new Error(`The widget is not built in ${dist}: run npm run build`);
  const files = ['widget.js', 'frame.html'];
  const queue = ['frame.html'];
  while (queue.length > 0) {
    const file = queue.shift()!;
    const text = readFileSync(join(dist, file), 'utf8');
    for (const match of text.matchAll(
      /(?:\/widget\/|\.\/|["'`(])(assets\/)?([\w.-]+\.(?:js|css))/g,
    )) {
      const name = `assets/${match[2]}`;
      if (!files.includes(name) && existsSync(join(dist, name))) {
        files.push(name);
        queue.push(name);
      }
    }
  }
  return files;
}

/** Gzipped bytes per file and in total. */
export function measureFiles(
  dir: string,
  files: readonly string[],
): { perFile: Record<string, number>; total: number } {
  const perFile: Record<string, number> = {};
  let total = 0;
  for (const file of files) {
    const bytes = gzipBytes(readFileSync(join(dir, file)));
    perFile[file] = bytes;
    total += bytes;
  }
  return { perFile, total };
}
