/**
 * A small Prometheus registry: counters, gauges and histograms with labels, and the text
 * exposition format 0.0.4 (`# HELP`, `# TYPE`, one sample per line). Gauges may be collected at
 * scrape time (`collect`), for values that live elsewhere (open sockets, rows in the database).
 */
export type Labels = Readonly<Record<string, string>>;

interface Metric {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge' | 'histogram';
  lines(): string[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function escapeHelp(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

export function formatLabels(labels: Labels): string {
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return '';
  return `{${keys.map((k) => `${k}="${escapeLabel(labels[k]!)}"`).join(',')}}`;
}

export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

function keyOf(labels: Labels): string {
  return formatLabels(labels);
}

function checkLabels(labels: Labels): void {
  for (const k of Object.keys(labels))
    if (!LABEL.test(k) || k.startsWith('__')) throw new Error(`invalid label name ${k}`);
}

export class Counter implements Metric {
  readonly type = 'counter';
  private readonly values = new Map<string, { labels: Labels; value: number }>();

  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  inc(labels: Labels = {}, by = 1): void {
    if (by < 0) throw new Error('a counter only goes up');
    const key = keyOf(labels);
    const current = this.values.get(key);
    if (current) current.value += by;
    else {
      checkLabels(labels);
      this.values.set(key, { labels, value: by });
    }
  }

  get(labels: Labels = {}): number {
    return this.values.get(keyOf(labels))?.value ?? 0;
  }

  lines(): string[] {
    return [...this.values.values()].map(
      (v) => `${this.name}${formatLabels(v.labels)} ${formatValue(v.value)}`,
    );
  }
}

export class Gauge implements Metric {
  readonly type = 'gauge';
  private values = new Map<string, { labels: Labels; value: number }>();

  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  set(value: number, labels: Labels = {}): void {
    checkLabels(labels);
    this.values.set(keyOf(labels), { labels, value });
  }

  /** Replaces every labelled value at once (a scrape-time reading where rows may disappear). */
  replace(samples: readonly { labels: Labels; value: number }[]): void {
    const next = new Map<string, { labels: Labels; value: number }>();
    for (const s of samples) {
      checkLabels(s.labels);
      next.set(keyOf(s.labels), s);
    }
    this.values = next;
  }

  get(labels: Labels = {}): number | undefined {
    return this.values.get(keyOf(labels))?.value;
  }

  lines(): string[] {
    return [...this.values.values()].map(
      (v) => `${this.name}${formatLabels(v.labels)} ${formatValue(v.value)}`,
    );
  }
}

export class Histogram implements Metric {
  readonly type = 'histogram';
  private readonly series = new Map<
    string,
    { labels: Labels; counts: number[]; sum: number; count: number }
  >();

  constructor(
    readonly name: string,
    readonly help: string,
    /** Upper bounds, ascending; +Inf is added. */
    readonly buckets: readonly number[],
  ) {
    for (let i = 1; i < buckets.length; i++)
      if (!(buckets[i]! > buckets[i - 1]!)) throw new Error('buckets must ascend');
  }

  observe(value: number, labels: Labels = {}): void {
    const key = keyOf(labels);
    let s = this.series.get(key);
    if (!s) {
      checkLabels(labels);
      s = { labels, counts: this.buckets.map(() => 0), sum: 0, count: 0 };
      this.series.set(key, s);
    }
    for (let i = 0; i < this.buckets.length; i++) if (value <= this.buckets[i]!) s.counts[i]!++;
    s.sum += value;
    s.count++;
  }

  lines(): string[] {
    const out: string[] = [];
    for (const s of this.series.values()) {
      this.buckets.forEach((le, i) =>
        out.push(
          `${this.name}_bucket${formatLabels({ ...s.labels, le: formatValue(le) })} ${s.counts[i]}`,
        ),
      );
      out.push(`${this.name}_bucket${formatLabels({ ...s.labels, le: '+Inf' })} ${s.count}`);
      out.push(`${this.name}_sum${formatLabels(s.labels)} ${formatValue(s.sum)}`);
      out.push(`${this.name}_count${formatLabels(s.labels)} ${s.count}`);
    }
    return out;
  }
}

export class Registry {
  private readonly metrics = new Map<string, Metric>();
  private readonly collectors: (() => Promise<void> | void)[] = [];

  counter(name: string, help: string): Counter {
    return this.add(new Counter(name, help));
  }

  gauge(name: string, help: string): Gauge {
    return this.add(new Gauge(name, help));
  }

  histogram(name: string, help: string, buckets: readonly number[]): Histogram {
    return this.add(new Histogram(name, help, buckets));
  }

  /** Runs before every exposition: reads values kept elsewhere into gauges. */
  collect(collector: () => Promise<void> | void): void {
    this.collectors.push(collector);
  }

  /** The text exposition format 0.0.4. */
  async expose(): Promise<string> {
    for (const collect of this.collectors) await collect();
    const out: string[] = [];
    for (const m of this.metrics.values()) {
      out.push(
        `# HELP ${m.name} ${escapeHelp(m.help)}`,
        `# TYPE ${m.name} ${m.type}`,
        ...m.lines(),
      );
    }
    return `${out.join('\n')}\n`;
  }

  private add<M extends Metric>(metric: M): M {
    if (!NAME.test(metric.name)) throw new Error(`invalid metric name ${metric.name}`);
    if (this.metrics.has(metric.name)) throw new Error(`metric ${metric.name} registered twice`);
    this.metrics.set(metric.name, metric);
    return metric;
  }
}

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
