import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createServiceApp, type ProblemDetails, readValidJson, type ServerBindings } from "../src/index.js";

function makeApp() {
  const app = createServiceApp({ name: "test-service", version: "9.9.9" });
  const Echo = z.object({ text: z.string(), top_k: z.number().int().positive().optional() });
  app.post("/echo", async (c) => c.json(await readValidJson(c, Echo)));
  app.get("/boom", () => {
    throw new Error("kaboom");
  });
  return app;
}

async function problem(res: Response): Promise<ProblemDetails> {
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  const body = (await res.json()) as ProblemDetails;
  expect(body.status).toBe(res.status);
  expect(body.type).toMatch(/^urn:edgeformers:problem:/);
  expect(typeof body.title).toBe("string");
  return body;
}

const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(body),
});

describe("createServiceApp inside workerd", () => {
  it("serves /health and /info with the configured models", async () => {
    const app = makeApp();
    const env: ServerBindings = {
      MODEL_CONFIG: { mini: { source: "r2:models/mini/", task: "feature-extraction", backend: "kernels" } },
    };
    const health = await app.request("/health", {}, env);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok", service: "test-service", version: "9.9.9" });
    const info = await app.request("/info", {}, env);
    expect(await info.json()).toEqual({
      name: "test-service",
      version: "9.9.9",
      models: [{ name: "mini", source: "r2:models/mini/", task: "feature-extraction", backend: "kernels" }],
    });
  });

  it("accepts MODEL_CONFIG as a JSON string and rejects a broken one with a 503 naming the field", async () => {
    const app = makeApp();
    const ok = await app.request(
      "/info",
      {},
      { MODEL_CONFIG: '{"a":{"source":"https://x.test/m/","task":"fill-mask"}}' },
    );
    expect(((await ok.json()) as { models: unknown[] }).models).toHaveLength(1);
    const bad = await app.request("/info", {}, { MODEL_CONFIG: { a: { source: "ftp://x", task: "fill-mask" } } });
    expect(bad.status).toBe(503);
    expect((await problem(bad)).field).toBe("MODEL_CONFIG.a.source");
  });

  it("answers unknown routes with 404 and wrong methods with 405 + Allow", async () => {
    const app = makeApp();
    const missing = await app.request("/nope");
    expect(missing.status).toBe(404);
    expect((await problem(missing)).detail).toContain("/nope");
    const wrong = await app.request("/health", { method: "POST" });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toContain("GET");
    await problem(wrong);
    const wrongPost = await app.request("/echo", { method: "GET" });
    expect(wrongPost.status).toBe(405);
    expect(wrongPost.headers.get("allow")).toBe("POST");
  });

  it("rejects invalid JSON and wrong content types with 400, schema violations with 422 naming the field", async () => {
    const app = makeApp();
    const broken = await app.request("/echo", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{oops",
    });
    expect(broken.status).toBe(400);
    expect((await problem(broken)).type).toBe("urn:edgeformers:problem:invalid-json");
    const text = await app.request("/echo", { method: "POST", headers: { "content-type": "text/plain" }, body: "{}" });
    expect(text.status).toBe(400);
    expect((await problem(text)).field).toBe("content-type");
    const invalid = await app.request("/echo", json({ text: "a", top_k: -1 }));
    expect(invalid.status).toBe(422);
    expect((await problem(invalid)).field).toBe("top_k");
    const good = await app.request("/echo", json({ text: "héllo", top_k: 2 }));
    expect(good.status).toBe(200);
    expect(await good.json()).toEqual({ text: "héllo", top_k: 2 });
  });

  it("rejects bodies over the limit with 413, whether declared or streamed", async () => {
    const app = makeApp();
    const env: ServerBindings = { MAX_BODY_BYTES: "64" };
    const declared = await app.request("/echo", json({ text: "x".repeat(100) }), env);
    expect(declared.status).toBe(413);
    expect((await problem(declared)).field).toBe("body");
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(`{"text":"${"y".repeat(200)}"}`));
        controller.close();
      },
    });
    const streamed = await app.request(
      "/echo",
      { method: "POST", headers: { "content-type": "application/json" }, body: stream, duplex: "half" } as RequestInit,
      env,
    );
    expect(streamed.status).toBe(413);
    const small = await app.request("/echo", json({ text: "ok" }), env);
    expect(small.status).toBe(200);
  });

  it("enforces bearer keys from API_KEYS when set, leaving /health open", async () => {
    const app = makeApp();
    const env: ServerBindings = { API_KEYS: "alpha-key, beta-key" };
    const none = await app.request("/info", {}, env);
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toContain("Bearer");
    expect((await problem(none)).field).toBe("authorization");
    const wrong = await app.request("/info", { headers: { authorization: "Bearer alpha-kez" } }, env);
    expect(wrong.status).toBe(401);
    const basic = await app.request("/info", { headers: { authorization: "Basic YWxwaGE=" } }, env);
    expect(basic.status).toBe(401);
    const second = await app.request("/info", { headers: { authorization: "Bearer beta-key" } }, env);
    expect(second.status).toBe(200);
    const health = await app.request("/health", {}, env);
    expect(health.status).toBe(200);
    const open = await app.request("/info", {}, {});
    expect(open.status).toBe(200);
  });

  it("propagates a caller's request id and generates one otherwise", async () => {
    const app = makeApp();
    const given = await app.request("/health", { headers: { "x-request-id": "req-123" } });
    expect(given.headers.get("x-request-id")).toBe("req-123");
    const generated = await app.request("/health", { headers: { "x-request-id": "bad id with spaces" } });
    expect(generated.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const missing = await app.request("/nope", { headers: { "x-request-id": "req-404" } });
    expect((await problem(missing)).instance).toBe("req-404");
  });

  it("answers CORS preflights for allowed origins", async () => {
    const app = makeApp();
    const env: ServerBindings = { CORS_ORIGINS: "https://a.example, https://b.example" };
    const preflight = await app.request(
      "/echo",
      { method: "OPTIONS", headers: { origin: "https://b.example", "access-control-request-method": "POST" } },
      env,
    );
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("https://b.example");
    const other = await app.request("/health", { headers: { origin: "https://evil.example" } }, env);
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("turns an unexpected exception into a 500 problem and keeps serving", async () => {
    const app = makeApp();
    const boom = await app.request("/boom");
    expect(boom.status).toBe(500);
    expect((await problem(boom)).detail).not.toContain("kaboom");
    expect((await app.request("/health")).status).toBe(200);
  });
});
