import { describe, expect, it } from 'vitest';
import {
  LOADER_BUDGET_BYTES,
  WIDGET_BUDGET_BYTES,
  WIDGET_DIST,
  measureFiles,
  widgetFiles,
} from './widget-files.js';

/** The size budgets of issue 6, on the built files (`npm run build` first; `npm test` does). */
describe('the built widget', () => {
  it('has a loader of at most 3 KB gzipped', () => {
    const { total } = measureFiles(WIDGET_DIST, ['widget.js']);
    expect(total).toBeGreaterThan(0);
    expect(total).toBeLessThanOrEqual(LOADER_BUDGET_BYTES);
  });

  it('loads at most 60 KB gzipped in all: loader, frame page, scripts and styles', () => {
    const files = widgetFiles();
    expect(files).toEqual(expect.arrayContaining(['widget.js', 'frame.html']));
    expect(files.some((f) => f.endsWith('.js') && f.startsWith('assets/'))).toBe(true);
    expect(files.some((f) => f.endsWith('.css'))).toBe(true);
    expect(files.some((f) => f.includes('demo'))).toBe(false);
    expect(measureFiles(WIDGET_DIST, files).total).toBeLessThanOrEqual(WIDGET_BUDGET_BYTES);
  });
});
