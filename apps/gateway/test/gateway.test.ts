import { env, SELF } from "cloudflare:test";
import { expectProblem, serviceConformance } from "@edgeformers/server/testing";
import { describe, expect, it } from "vitest";
import serviceBindingGateway from "../src/index.js";
import { ROUTE_PREFIXES, SERVICES, serviceForPath } from "../src/routes.js";
import singleWorkerGateway from "../src/single.js";

describe("route table", () => {
  it("sends each public route to the worker that owns it", () => {
    expect(serviceForPath("/v1/tokenize")).toBe("tokenize");
    expect(serviceForPath("/tokenize")).toBe("tokenize");
    expect(serviceForPath("/v1/embeddings")).toBe("embed");
    expect(serviceForPath("/embed_all")).toBe("embed");
    expect(serviceForPath("/ai/run/bge-small")).toBe("embed");
    expect(serviceForPath("/models/distilbert-sst2")).toBe("classify");
    expect(serviceForPath("/v1/ner")).toBe("classify");
    // Prefixes match whole segments only.
    expect(serviceForPath("/tokenizer")).toBeUndefined();
    expect(serviceForPath("/v1/embeddingsX")).toBeUndefined();
    expect(serviceForPath("/health")).toBeUndefined();
  });

  it("has no prefix owned by two workers", () => {
    const all = SERVICES.flatMap((service) => ROUTE_PREFIXES[service]);
    expect(new Set(all).size).toBe(all.length);
  });
});

const modes = [
  {
    mode: "service-bindings",
    // Through workerd's real service bindings to the three deployed-style bundles.
    fetch: (path: string, init?: RequestInit) => SELF.fetch(`https://gateway.test${path}`, init),
    fetchWithKeys: (keys: string) => (path: string, init?: RequestInit) =>
      serviceBindingGateway.request(path, init, { ...env, API_KEYS: keys }),
  },
  {
    mode: "single-worker",
    fetch: (path: string, init?: RequestInit) => singleWorkerGateway.request(path, init, env),
    fetchWithKeys: (keys: string) => (path: string, init?: RequestInit) =>
      singleWorkerGateway.request(path, init, { ...env, API_KEYS: keys }),
  },
] as const;

for (const { mode, fetch, fetchWithKeys } of modes) {
  describe(`gateway in ${mode} mode inside workerd`, () => {
    it("aggregates the health of every worker", async () => {
      const res = await fetch("/health");
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({
        status: "ok",
        service: "gateway",
        mode,
        services: { tokenize: "ok", embed: "ok", classify: "ok" },
      });
    });

    it("aggregates /info of every worker", async () => {
      const res = await fetch("/info");
      const body = (await res.json()) as { name: string; mode: string; services: Record<string, { name: string }> };
      expect(body.name).toBe("gateway");
      expect(body.mode).toBe(mode);
      for (const service of SERVICES) expect(body.services[service]?.name).toBe(service);
    });

    it("reaches each worker directly under /apps/<name>/", async () => {
      for (const service of SERVICES) {
        const res = await fetch(`/apps/${service}/health`);
        expect(res.status).toBe(200);
        expect(res.headers.get("x-edgeformers-service")).toBe(service);
        expect(((await res.json()) as { service: string }).service).toBe(service);
      }
      const unknown = await expectProblem(await fetch("/apps/translate/health"), 404);
      expect(unknown.field).toBe("service");
    });

    it("forwards task routes to their worker with the gateway's request id", async () => {
      // The workers here have no models configured, so each answers its own problem; the
      // service header and the echoed request id prove the request crossed to the right one.
      const cases = [
        ["/v1/tokenize", "tokenize", { text: "hello" }, "model-not-found"],
        ["/tokenize", "tokenize", { inputs: "hello" }, "model-not-found"],
        ["/v1/embeddings", "embed", { input: "hello" }, "model-not-found"],
        ["/v1/classify", "classify", { inputs: "hello" }, "model-not-found"],
      ] as const;
      for (const [path, service, body, slug] of cases) {
        const res = await fetch(path, {
          method: "POST",
          headers: { "content-type": "application/json", "x-request-id": `fwd-${service}` },
          body: JSON.stringify(body),
        });
        expect(res.headers.get("x-edgeformers-service")).toBe(service);
        const problem = await expectProblem(res, 404);
        expect(problem.type).toBe(`urn:edgeformers:problem:${slug}`);
        expect(problem.instance).toBe(`fwd-${service}`);
      }
    });

    serviceConformance({ service: "gateway", fetch, fetchWithKeys });
  });
}

describe("rate limiting per worker's routes", () => {
  it("answers 429 with Retry-After when the worker's limiter says no, keyed by client", async () => {
    const seen: string[] = [];
    const limiter = (success: boolean) => ({
      limit: async ({ key }: { key: string }) => {
        seen.push(key);
        return { success };
      },
    });
    const limitedEnv = { ...env, RATE_LIMIT_EMBED: limiter(false), RATE_LIMIT_TOKENIZE: limiter(true) };
    const limited = await serviceBindingGateway.request(
      "/v1/embeddings",
      {
        method: "POST",
        headers: { "content-type": "application/json", "cf-connecting-ip": "203.0.113.7" },
        body: "{}",
      },
      limitedEnv,
    );
    expect(limited.headers.get("retry-after")).toBe("60");
    expect((await expectProblem(limited, 429)).type).toBe("urn:edgeformers:problem:rate-limited");
    expect(seen).toEqual(["embed:ip:203.0.113.7"]);

    // Another worker's routes have their own limiter; API keys are counted by their hash.
    const allowed = await singleWorkerGateway.request(
      "/apps/tokenize/health",
      { headers: { authorization: "Bearer some-key" } },
      limitedEnv,
    );
    expect(allowed.status).toBe(200);
    expect(seen[1]).toMatch(/^tokenize:key:[0-9a-f]{24}$/);
    expect(seen[1]).not.toContain("some-key");
    // Gateway routes of its own (health, info) are not limited.
    expect((await serviceBindingGateway.request("/health", {}, limitedEnv)).status).toBe(200);
  });
});
