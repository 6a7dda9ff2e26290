/**
 * A conformance suite for the foundation contract every edgeformers worker keeps:
 * /health, /info, problem+json for 404/405/413/401, request ids. Apps, the gateway and the
 * cross-app tests run it against their real fetch path (inside workerd or Miniflare).
 */
import { expect, it } from "vitest";
import type { ProblemDetails } from "./problem.js";

export type FetchLike = (path: string, init?: RequestInit) => Response | Promise<Response>;

export interface ConformanceOptions {
  /** Expected `name` in /health and /info. */
  service: string;
  /** Fetch through the worker as deployed (no API_KEYS). */
  fetch: FetchLike;
  /** Fetch through the same worker with API_KEYS set to `keys`. */
  fetchWithKeys?: (keys: string) => FetchLike;
  /** Body limit the worker is configured with. */
  maxBodyBytes?: number;
}

export async function expectProblem(res: Response, status: number): Promise<ProblemDetails> {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  const body = (await res.json()) as ProblemDetails;
  expect(body.status).toBe(status);
  expect(body.type).toMatch(/^urn:edgeformers:problem:[a-z0-9-]+$/);
  expect(body.title.length).toBeGreaterThan(0);
  return body;
}

export function serviceConformance(options: ConformanceOptions): void {
  const { service, fetch } = options;
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;

  it(`${service}: GET /health answers ok`, async () => {
    const res = await fetch("/health");
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; service: string; version: string };
    expect(body.status).toBe("ok");
    expect(body.service).toBe(service);
    expect(body.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(res.headers.get("x-request-id")).toBeTruthy();
  });

  it(`${service}: GET /info names the service and lists its models`, async () => {
    const res = await fetch("/info");
    expect(res.status).toBe(200);
    const body = (await res.json()) as { name: string; version: string; models: unknown };
    expect(body.name).toBe(service);
    expect(Array.isArray(body.models)).toBe(true);
  });

  it(`${service}: unknown route is a 404 problem, wrong method a 405 with Allow`, async () => {
    const missing = await expectProblem(await fetch("/definitely/not/here"), 404);
    expect(missing.detail).toContain("/definitely/not/here");
    const wrong = await fetch("/health", { method: "DELETE" });
    expect(wrong.headers.get("allow")).toContain("GET");
    await expectProblem(wrong, 405);
  });

  it(`${service}: a body over the limit is a 413 problem and the worker keeps serving`, async () => {
    const body = "x".repeat(maxBodyBytes + 1);
    const res = await fetch("/v1/anything", { method: "POST", headers: { "content-type": "application/json" }, body });
    const problem = await expectProblem(res, 413);
    expect(problem.field).toBe("body");
    expect((await fetch("/health")).status).toBe(200);
  });

  it(`${service}: request ids are echoed and appear in problems`, async () => {
    const res = await fetch("/nope", { headers: { "x-request-id": "conformance-1" } });
    expect(res.headers.get("x-request-id")).toBe("conformance-1");
    expect((await expectProblem(res, 404)).instance).toBe("conformance-1");
  });

  it(`${service}: GET /metrics counts requests in the Prometheus text format`, async () => {
    await fetch("/health");
    const res = await fetch("/metrics");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain; version=0.0.4");
    const text = await res.text();
    expect(text).toContain("# TYPE edgeformers_requests_total counter");
    const line = text
      .split("\n")
      .find((l) =>
        l.startsWith(`edgeformers_requests_total{service="${service}",route="/health",method="GET",status="200"}`),
      );
    expect(Number(line?.split(" ").pop())).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/edgeformers_request_duration_seconds_bucket\{[^}]*le="\+Inf"\} \d+/);
  });

  it(`${service}: GET /openapi.json and /docs describe its routes`, async () => {
    const res = await fetch("/openapi.json");
    const document = (await res.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(document.openapi).toBe("3.1.0");
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(["/health", "/info", "/metrics"]));
    const docs = await fetch("/docs");
    expect(docs.headers.get("content-type")).toContain("text/html");
    expect(await docs.text()).toContain("GET /health");
  });

  const { fetchWithKeys } = options;
  if (fetchWithKeys) {
    it(`${service}: with API_KEYS set, a missing or wrong key is a 401 problem`, async () => {
      const guarded = fetchWithKeys("key-one,key-two");
      const none = await expectProblem(await guarded("/info"), 401);
      expect(none.field).toBe("authorization");
      await expectProblem(await guarded("/info", { headers: { authorization: "Bearer key-three" } }), 401);
      const ok = await guarded("/info", { headers: { authorization: "Bearer key-two" } });
      expect(ok.status).toBe(200);
      expect((await guarded("/health")).status).toBe(200);
    });
  }
}
