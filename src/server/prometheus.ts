/** Just enough of the Prometheus text exposition format for our own metrics. */

type Labels = Readonly<Record<string, string>>;

const escapeLabel = (value: string) =>
  value.replaceAll('\\', '\\\\').replaceAll('\n', '\\n').replaceAll('"', '\\"');

function labelText(labels: Labels): string {
  const entries = Object.entries(labels);
  return entries.length === 0 ? '' : `{${entries.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}`;
}

function header(name: string, help: string, type: string): string {
  return `# HELP ${name} ${help}\n# TYPE ${name} ${type}\n`;
}

export interface Metric {
  render(): string | Promise<string>;
}

export class Counter implements Metric {
  private readonly values = new Map<string, number>();
  private readonly name: string;
  private readonly help: string;

  constructor(name: string, help: string) {
    this.name = name;
    this.help = help;
  }

  inc(labels: Labels = {}, by = 1): void {
    const key = labelText(labels);
    this.values.set(key, (this.values.get(key) ?? 0) + by);
  }

  render(): string {
    let out = header(this.name, this.help, 'counter');
    for (const [labels, value] of this.values) out += `${this.name}${labels} ${value}\n`;
    return out;
  }
}

export class Histogram implements Metric {
  private readonly counts: number[];
  private sum = 0;
  private count = 0;
  private readonly name: string;
  private readonly help: string;
  private readonly buckets: readonly number[];

  constructor(name: string, help: string, buckets: readonly number[]) {
    this.name = name;
    this.help = help;
    this.buckets = buckets;
    this.counts = buckets.map(() => 0);
  }

  observe(value: number): void {
    this.sum += value;
    this.count++;
    const i = this.buckets.findIndex((upper) => value <= upper);
    if (i !== -1) this.counts[i]!++;
  }

  render(): string {
    let out = header(this.name, this.help, 'histogram');
    let cumulative = 0;
    this.buckets.forEach((upper, i) => {
      cumulative += this.counts[i]!;
      out += `${this.name}_bucket{le="${upper}"} ${cumulative}\n`;
    });
    out += `${this.name}_bucket{le="+Inf"} ${this.count}\n`;
    return `${out}${this.name}_sum ${this.sum}\n${this.name}_count ${this.count}\n`;
  }
}

export type GaugeSample = { labels?: Labels; value: number };

/** A gauge read when scraped, from whatever holds the value (a queue, the store, a job queue). */
export class Gauge implements Metric {
  private readonly name: string;
  private readonly help: string;
  private readonly collect: () => GaugeSample[] | Promise<GaugeSample[]>;

  constructor(name: string, help: string, collect: () => GaugeSample[] | Promise<GaugeSample[]>) {
    this.name = name;
    this.help = help;
    this.collect = collect;
  }

  async render(): Promise<string> {
    let out = header(this.name, this.help, 'gauge');
    for (const sample of await this.collect())
      out += `${this.name}${labelText(sample.labels ?? {})} ${sample.value}\n`;
    return out;
  }
}

export async function renderMetrics(metrics: readonly Metric[]): Promise<string> {
  const parts: string[] = [];
  for (const metric of metrics) parts.push(await metric.render());
  return parts.join('');
}
