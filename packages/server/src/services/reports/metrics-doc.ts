import { METRICS } from '@parlour/core';

const KIND = {
  duration: 'duration (ms: n, average, median, p90, sum)',
  count: 'count',
  ratio: 'ratio (percent of n)',
};

/** docs/metrics.md, rendered from the metric registry (packages/core/src/reports/). */
export function renderMetricsDoc(): string {
  const lines = [
    '# Report metrics',
    '',
    '<!-- Generated from packages/core/src/reports/metric-registry.ts by',
    '     `npx tsx packages/server/src/cli/metrics-doc.ts > docs/metrics.md`; a test fails when they differ. -->',
    '',
    'One registry defines every metric; the report screens, the CSV export and this page all read it.',
    'Samples are derived from each ticket’s history (ticket events and messages) and kept in',
    '`report_facts`; agent status time and occupancy come from agent status events. Reports cut',
    'hours, days and weeks (ISO weeks, starting Monday) in the report’s time zone (the',
    '`reportTimeZone` setting unless the query names one). With business hours, duration samples',
    'count only time inside the default business-hours schedule (none defined: every hour counts).',
    'Averages are shown with n, the median and the 90th percentile.',
    '',
    '| metric | kind | credited to | counts on |',
    '| --- | --- | --- | --- |',
    ...METRICS.map(
      (m) => `| [${m.label}](#${m.id}) | ${m.kind} | ${m.creditedTo} | ${m.countsOn} |`,
    ),
    '',
  ];
  for (const m of METRICS) {
    lines.push(
      `## ${m.label}`,
      '',
      `<a id="${m.id}"></a>\`${m.id}\` — ${KIND[m.kind]}`,
      '',
      m.description,
      '',
      `- **Start:** ${m.start}`,
      `- **Stop:** ${m.stop}`,
      `- **Credited to:** ${m.creditedTo}`,
      `- **Counts on:** ${m.countsOn}`,
      `- **Group by:** ${m.dimensions.join(', ')}; by hour, day or week`,
      `- **Business hours:** ${m.businessHours ? 'yes' : 'no (the same in calendar and business hours)'}`,
      '',
    );
  }
  return lines.join('\n');
}

/** The page as committed: rendered, then formatted by the repository's Prettier settings. */
export async function formattedMetricsDoc(): Promise<string> {
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig('docs/metrics.md')) ?? {};
  return prettier.format(renderMetricsDoc(), { ...options, parser: 'markdown' });
}
