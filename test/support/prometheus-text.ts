// Reading GET /metrics as Prometheus would: the text is parsed by
// parse-prometheus-text-format (a port of the Prometheus Python client's parser),
// not by this repo's code, and looked up by metric name and labels.

// @ts-expect-error: the package ships no types; its output is typed below.
import parsePrometheusTextFormat from 'parse-prometheus-text-format';

interface Sample {
  value?: string;
  labels?: Record<string, string>;
  buckets?: Record<string, string>;
  count?: string;
  sum?: string;
}

export interface MetricFamily {
  name: string;
  help: string;
  type: 'COUNTER' | 'GAUGE' | 'HISTOGRAM' | 'SUMMARY' | 'UNTYPED';
  metrics: Sample[];
}

export class Scrape {
  readonly families: MetricFamily[];

  constructor(text: string) {
    this.families = (parsePrometheusTextFormat as (text: string) => MetricFamily[])(text);
  }

  family(name: string): MetricFamily {
    const found = this.families.find((f) => f.name === name);
    if (!found) throw new Error(`no metric ${name} in the scrape; it has ${this.families.map((f) => f.name).join(', ')}`);
    return found;
  }

  /** The value of a counter or gauge sample whose labels include `labels`; 0 when none has them (a counter not yet counted). */
  value(name: string, labels: Record<string, string> = {}): number {
    const sample = this.family(name).metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
    return sample === undefined ? 0 : Number(sample.value);
  }

  /** A histogram's count, sum and cumulative buckets by `le`. */
  histogram(name: string): { count: number; sum: number; buckets: Record<string, number> } {
    const sample = this.family(name).metrics[0]!;
    const buckets = Object.fromEntries(Object.entries(sample.buckets ?? {}).map(([le, n]) => [le, Number(n)]));
    return { count: Number(sample.count), sum: Number(sample.sum), buckets };
  }
}

export async function scrape(url: string, headers: Record<string, string> = {}): Promise<Scrape> {
  const response = await fetch(`${url}/metrics`, { headers });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET /metrics answered ${response.status}: ${text}`);
  return new Scrape(text);
}
