import { Counter, type Registry } from 'prom-client';

/*
 * Metrics whose hot path is plain arithmetic: what an API call at tens of thousands per second
 * adds to its floor. prom-client formats them when Prometheus scrapes (lib/platform/metrics.ts).
 */

/** One label set's count: its owner looks it up once, then only adds. */
export interface Tally {
  inc(): void;
}

/**
 * A prom-client Counter whose hot path is a plain addition: each label set's count is a number
 * here, handed to prom-client when Prometheus scrapes (prom-client's own inc hashes the labels on
 * every call, which an API call at tens of thousands per second feels).
 */
export class TallyCounter<L extends string> {
  private readonly tallies = new Map<string, { labels: Partial<Record<L, string>>; n: number; inc(): void }>();

  constructor(registry: Registry, config: { name: string; help: string; labelNames?: readonly L[] }) {
    const tallies = this.tallies;
    new Counter<L>({
      name: config.name,
      help: config.help,
      labelNames: config.labelNames ?? [],
      registers: [registry],
      collect() {
        this.reset();
        for (const tally of tallies.values()) this.inc(tally.labels, tally.n);
      },
    });
  }

  /** The count of one label set; callers keep it, so the lookup happens once. */
  of(labels: Partial<Record<L, string>> = {}): Tally {
    const key = Object.values(labels).join('\u0000');
    let tally = this.tallies.get(key);
    if (!tally) {
      tally = {
        labels,
        n: 0,
        inc() {
          this.n++;
        },
      };
      this.tallies.set(key, tally);
    }
    return tally;
  }
}

/** One label value's observations: bucket counts (not cumulative), sum and count. */
interface Observations {
  counts: number[];
  sum: number;
  count: number;
}

/**
 * A histogram with one label whose hot path is a bucket search and three additions, written
 * out in Prometheus's histogram form when scraped (prom-client's observe validates and hashes the
 * labels on every call). Registered with prom-client's registry as a metric of its own.
 */
export class TallyHistogram {
  private readonly series = new Map<string, Observations>();

  constructor(
    registry: Registry,
    private readonly config: { name: string; help: string; labelName: string; buckets: number[] },
  ) {
    const series = this.series;
    const { name, help, labelName, buckets } = config;
    registry.registerMetric({
      name,
      help,
      type: 'histogram',
      aggregator: 'sum',
      get: async () => ({
        name,
        help,
        type: 'histogram',
        aggregator: 'sum',
        values: [...series].flatMap(([value, o]) => {
          let cumulative = 0;
          const bucketLines = [...buckets, Number.POSITIVE_INFINITY].map((le, i) => {
            cumulative += o.counts[i];
            return {
              metricName: `${name}_bucket`,
              labels: { [labelName]: value, le: le === Number.POSITIVE_INFINITY ? '+Inf' : le },
              value: cumulative,
            };
          });
          return [
            ...bucketLines,
            { metricName: `${name}_sum`, labels: { [labelName]: value }, value: o.sum },
            { metricName: `${name}_count`, labels: { [labelName]: value }, value: o.count },
          ];
        }),
      }),
      reset: () => series.clear(),
    } as unknown as Parameters<Registry['registerMetric']>[0]);
  }

  observe(labelValue: string, value: number): void {
    let o = this.series.get(labelValue);
    if (!o) this.series.set(labelValue, (o = { counts: new Array<number>(this.config.buckets.length + 1).fill(0), sum: 0, count: 0 }));
    const { buckets } = this.config;
    let i = 0;
    while (i < buckets.length && value > buckets[i]) i++;
    o.counts[i]++;
    o.sum += value;
    o.count++;
  }
}
