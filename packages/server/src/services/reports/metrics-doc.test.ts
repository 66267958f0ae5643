import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { METRICS } from '@parlour/core';
import { formattedMetricsDoc, renderMetricsDoc } from './metrics-doc.js';

const DOC = fileURLToPath(new URL('../../../../../docs/metrics.md', import.meta.url));

describe('docs/metrics.md', () => {
  it('is exactly what the registry renders (regenerate it with the metrics-doc CLI)', async () => {
    expect(readFileSync(DOC, 'utf8')).toBe(await formattedMetricsDoc());
  });

  it('documents every metric with its start, stop, credit and day', () => {
    const doc = renderMetricsDoc();
    for (const m of METRICS) {
      expect(doc).toContain(`\`${m.id}\``);
      expect(doc).toContain(`- **Start:** ${m.start}`);
      expect(doc).toContain(`- **Counts on:** ${m.countsOn}`);
    }
  });
});
