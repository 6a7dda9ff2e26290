/**
 * Prometheus metrics for one isolate: requests, a latency histogram, tokens and model load
 * time. Workers keep no state across isolates, so each scrape sees the isolate that answered
 * it; counters restart with the isolate (Prometheus' rate() copes with resets).
 */

const LATENCY_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

type Labels = Record<string, string>;

function labelKey(labels: Labels): string {
  return Object.entries(labels)
    .map(([name, value]) => `${name}="${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`)
    .join(",");
}

class Histogram {
  readonly counts = new Array<number>(LATENCY_BUCKETS_SECONDS.length).fill(0);
  sum = 0;
  count = 0;
  observe(value: number): void {
    this.sum += value;
    this.count++;
    LATENCY_BUCKETS_SECONDS.forEach((bound, i) => {
      if (value <= bound) this.counts[i]++;
    });
  }
}

export class Metrics {
  private readonly requests = new Map<string, number>();
  private readonly latency = new Map<string, Histogram>();
  private readonly tokens = new Map<string, number>();
  private readonly modelLoad = new Map<string, number>();

  constructor(private readonly service: string) {}

  /** `route` is the matched route pattern, never the raw path, to keep label sets bounded. */
  observeRequest(route: string, method: string, status: number, seconds: number): void {
    const key = labelKey({ service: this.service, route, method, status: String(status) });
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    const latencyKey = labelKey({ service: this.service, route });
    let histogram = this.latency.get(latencyKey);
    if (!histogram) {
      histogram = new Histogram();
      this.latency.set(latencyKey, histogram);
    }
    histogram.observe(seconds);
  }

  addTokens(model: string, count: number): void {
    const key = labelKey({ service: this.service, model });
    this.tokens.set(key, (this.tokens.get(key) ?? 0) + count);
  }

  recordModelLoad(model: string, seconds: number): void {
    this.modelLoad.set(labelKey({ service: this.service, model }), seconds);
  }

  /** The Prometheus text exposition format, version 0.0.4. */
  render(): string {
    const lines: string[] = [];
    lines.push("# HELP edgeformers_requests_total HTTP requests answered, by route, method and status.");
    lines.push("# TYPE edgeformers_requests_total counter");
    for (const [key, value] of this.requests) lines.push(`edgeformers_requests_total{${key}} ${value}`);
    lines.push("# HELP edgeformers_request_duration_seconds Time to answer a request.");
    lines.push("# TYPE edgeformers_request_duration_seconds histogram");
    for (const [key, histogram] of this.latency) {
      LATENCY_BUCKETS_SECONDS.forEach((bound, i) => {
        lines.push(`edgeformers_request_duration_seconds_bucket{${key},le="${bound}"} ${histogram.counts[i]}`);
      });
      lines.push(`edgeformers_request_duration_seconds_bucket{${key},le="+Inf"} ${histogram.count}`);
      lines.push(`edgeformers_request_duration_seconds_sum{${key}} ${histogram.sum}`);
      lines.push(`edgeformers_request_duration_seconds_count{${key}} ${histogram.count}`);
    }
    lines.push("# HELP edgeformers_tokens_total Tokens processed, by model.");
    lines.push("# TYPE edgeformers_tokens_total counter");
    for (const [key, value] of this.tokens) lines.push(`edgeformers_tokens_total{${key}} ${value}`);
    lines.push("# HELP edgeformers_model_load_seconds Time the isolate took to load each model.");
    lines.push("# TYPE edgeformers_model_load_seconds gauge");
    for (const [key, value] of this.modelLoad) lines.push(`edgeformers_model_load_seconds{${key}} ${value}`);
    return `${lines.join("\n")}\n`;
  }
}
