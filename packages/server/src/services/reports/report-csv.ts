import type { ReportResult, ReportRow } from '@parlour/protocol';

/** One field, RFC 4180: quoted when it holds a comma, quote or line break; quotes doubled. */
function field(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  // A cell a spreadsheet would run as a formula is kept as text.
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const KEY_COLUMNS: Record<string, keyof ReportRow['key']> = {
  agent: 'agentId',
  group: 'groupId',
  channel: 'channel',
  status: 'status',
};

/**
 * The report as CSV: exactly the screen's rows in its order, then the total. Columns: label,
 * bucket (when cut by time), the grouping's id, then n, value, avg, median, p90, sum (ms for
 * durations, percent for ratios). Lines end in CRLF.
 */
export function reportCsv(result: ReportResult): string {
  const keyColumn = result.groupBy ? KEY_COLUMNS[result.groupBy] : undefined;
  const header = [
    'label',
    ...(result.interval ? ['bucket'] : []),
    ...(keyColumn ? [keyColumn] : []),
    'n',
    'value',
    'avg',
    'median',
    'p90',
    'sum',
  ];
  const line = (row: ReportRow): string =>
    [
      row.label,
      ...(result.interval ? [row.key.bucket] : []),
      ...(keyColumn ? [row.key[keyColumn]] : []),
      row.n,
      row.value,
      row.avg,
      row.median,
      row.p90,
      row.sum,
    ]
      .map(field)
      .join(',');
  return [header.join(','), ...result.rows.map(line), line(result.total)].join('\r\n') + '\r\n';
}

/** metric_from_to.csv, dates as given (safe characters only). */
export function reportFileName(result: ReportResult): string {
  const day = (iso: string) => iso.slice(0, 10);
  return `${result.metric}_${day(result.from)}_${day(result.to)}.csv`;
}
