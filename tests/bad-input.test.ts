/**
 * The bad-input matrix: malformed requests to every worker, through the gateway, each answered
 * with the right 4xx as problem+json naming what is wrong — never a 500 — and the deployment
 * keeps serving after all of them.
 */
import { rmSync } from "node:fs";
import type { ProblemDetails } from "@edgeformers/server";
import type { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalStack } from "../infra/local.mjs";
import { TASK_CATALOGUE, writeTaskModels } from "./models.js";

interface Case {
  name: string;
  path: string;
  method?: string;
  body?: unknown;
  /** Send this exact text as the body instead of JSON. */
  raw?: string;
  contentType?: string;
  headers?: Record<string, string>;
  status: number;
  field?: string;
  /** Use the deployment with API_KEYS set. */
  guarded?: boolean;
}

const HUGE = "w5 ".repeat(600_000); // 1.8 MB: over the 1 MiB body limit
const LONG = "w5 ".repeat(40_000); // 120 000 characters: over the 100 000 per input

const CASES: Case[] = [
  // invalid JSON and content types, per worker
  ...["/v1/tokenize", "/v1/embeddings", "/v1/classify", "/embed", "/predict"].map((path) => ({
    name: `invalid JSON to ${path}`,
    path,
    raw: '{"inputs": [1, 2',
    status: 400,
    field: "body",
  })),
  ...["/v1/tokenize", "/v1/embeddings", "/v1/ner", "/rerank", "/v1/fill-mask"].map((path) => ({
    name: `text/plain to ${path}`,
    path,
    raw: "hello",
    contentType: "text/plain",
    status: 400,
    field: "content-type",
  })),
  {
    name: "form-encoded body",
    path: "/tokenize",
    raw: "inputs=hi",
    contentType: "application/x-www-form-urlencoded",
    status: 400,
    field: "content-type",
  },
  {
    name: "no content-type",
    path: "/embed",
    raw: '{"inputs":"hi"}',
    contentType: "",
    status: 400,
    field: "content-type",
  },
  // wrong types
  { name: "tokenize text as a number", path: "/v1/tokenize", body: { text: 42 }, status: 422, field: "text" },
  { name: "tokenize text as an object", path: "/v1/tokenize", body: { text: { a: 1 } }, status: 422, field: "text" },
  {
    name: "tokenize add_special_tokens as a string",
    path: "/v1/tokenize",
    body: { text: "w5", add_special_tokens: "yes" },
    status: 422,
    field: "add_special_tokens",
  },
  {
    name: "tokenize truncation as a number",
    path: "/v1/tokenize",
    body: { text: "w5", truncation: 3 },
    status: 422,
    field: "truncation",
  },
  {
    name: "tokenize offsets unit unknown",
    path: "/v1/tokenize",
    body: { text: "w5", offsets: "bytes" },
    status: 422,
    field: "offsets",
  },
  { name: "tokenize unknown field", path: "/v1/tokenize", body: { text: "w5", colour: "red" }, status: 422 },
  {
    name: "tokenize both text and texts",
    path: "/v1/tokenize",
    body: { text: "a", texts: ["b"] },
    status: 422,
    field: "text",
  },
  {
    name: "tokenize negative stride",
    path: "/v1/tokenize",
    body: { text: "a", stride: -2 },
    status: 422,
    field: "stride",
  },
  {
    name: "tokenize max_length zero",
    path: "/v1/tokenize",
    body: { text: "a", max_length: 0 },
    status: 422,
    field: "max_length",
  },
  {
    name: "tokenize text_pair length mismatch",
    path: "/v1/tokenize",
    body: { text: ["a", "b"], text_pair: ["c"] },
    status: 422,
    field: "text_pair",
  },
  { name: "embeddings input as a boolean", path: "/v1/embeddings", body: { input: true }, status: 422, field: "input" },
  { name: "embeddings input null", path: "/v1/embeddings", body: { input: null }, status: 422, field: "input" },
  {
    name: "embeddings encoding_format unknown",
    path: "/v1/embeddings",
    body: { input: "w5", encoding_format: "hex" },
    status: 422,
    field: "encoding_format",
  },
  {
    name: "embeddings dimensions negative",
    path: "/v1/embeddings",
    body: { input: "w5", dimensions: -4 },
    status: 422,
    field: "dimensions",
  },
  {
    name: "embeddings dimensions too large",
    path: "/v1/embeddings",
    body: { model: "tiny-st", input: "w5", dimensions: 9999 },
    status: 422,
    field: "dimensions",
  },
  {
    name: "embed normalize as a string",
    path: "/embed",
    body: { inputs: "w5", normalize: "true" },
    status: 422,
    field: "normalize",
  },
  {
    name: "similarity without sentences",
    path: "/similarity",
    body: { inputs: { source_sentence: "w5" } },
    status: 422,
    field: "inputs.sentences",
  },
  {
    name: "rerank texts as a string",
    path: "/rerank",
    body: { query: "w5", texts: "w6" },
    status: 422,
    field: "texts",
  },
  {
    name: "rerank with an embedding model",
    path: "/rerank",
    body: { model: "tiny-st", query: "w5", texts: ["w6"] },
    status: 422,
    field: "model",
  },
  { name: "classify inputs as a number", path: "/v1/classify", body: { inputs: 7 }, status: 422, field: "inputs" },
  {
    name: "classify function_to_apply unknown",
    path: "/v1/classify",
    body: { inputs: "w5", function_to_apply: "relu" },
    status: 422,
    field: "function_to_apply",
  },
  {
    name: "zero-shot without candidate labels",
    path: "/v1/zero-shot",
    body: { inputs: "w5" },
    status: 422,
    field: "candidate_labels",
  },
  {
    name: "ner unknown aggregation",
    path: "/v1/ner",
    body: { inputs: "w5", aggregation_strategy: "mean" },
    status: 422,
    field: "aggregation_strategy",
  },
  {
    name: "qa without context",
    path: "/v1/question-answering",
    body: { inputs: { question: "w5" } },
    status: 422,
    field: "inputs",
  },
  { name: "fill-mask without a mask token", path: "/v1/fill-mask", body: { inputs: "w5 w6" }, status: 422 },
  {
    name: "HF inference unknown parameter",
    path: "/models/tiny-sst",
    body: { inputs: "w5", parameters: { temperature: 1 } },
    status: 422,
  },
  { name: "workers AI text as a number", path: "/ai/run/tiny-st", body: { text: 5 }, status: 422, field: "text" },
  {
    name: "TEI predict with three-element input",
    path: "/predict",
    body: { inputs: ["a", "b", "c"] },
    status: 422,
    field: "inputs",
  },
  { name: "decode ids as strings", path: "/v1/decode", body: { ids: ["a"] }, status: 422, field: "ids" },
  // empty lists
  { name: "tokenize empty texts", path: "/v1/tokenize", body: { texts: [] }, status: 422, field: "texts" },
  { name: "embeddings empty input", path: "/v1/embeddings", body: { input: [] }, status: 422, field: "input" },
  { name: "embed empty inputs", path: "/embed", body: { inputs: [] }, status: 422, field: "inputs" },
  { name: "classify empty inputs", path: "/v1/classify", body: { inputs: [] }, status: 422, field: "inputs" },
  {
    name: "zero-shot empty labels",
    path: "/v1/zero-shot",
    body: { inputs: "w5", candidate_labels: [] },
    status: 422,
    field: "candidate_labels",
  },
  { name: "rerank empty texts", path: "/rerank", body: { query: "q", texts: [] }, status: 422, field: "texts" },
  // negative / zero top_k
  {
    name: "classify negative top_k",
    path: "/v1/classify",
    body: { inputs: "w5", top_k: -1 },
    status: 422,
    field: "top_k",
  },
  {
    name: "fill-mask top_k zero",
    path: "/v1/fill-mask",
    body: { inputs: "w5 [MASK]", top_k: 0 },
    status: 422,
    field: "top_k",
  },
  {
    name: "qa negative top_k",
    path: "/v1/question-answering",
    body: { inputs: { question: "a", context: "b" }, top_k: -3 },
    status: 422,
    field: "top_k",
  },
  // out-of-range token ids
  {
    name: "embeddings token id out of range",
    path: "/v1/embeddings",
    body: { model: "tiny-static", input: [[5, 99999]] },
    status: 422,
  },
  {
    name: "embeddings negative token id",
    path: "/v1/embeddings",
    body: { input: [-1] },
    status: 422,
    field: "input.0",
  },
  {
    name: "decode id out of vocabulary",
    path: "/v1/decode",
    body: { model: "tiny-tok", ids: [5, 100000] },
    status: 422,
    field: "ids.0.1",
  },
  { name: "TEI decode negative id", path: "/decode", body: { ids: [-5] }, status: 422, field: "ids.0" },
  // unknown models
  {
    name: "tokenize unknown model",
    path: "/v1/tokenize",
    body: { model: "gpt-9", text: "a" },
    status: 404,
    field: "model",
  },
  {
    name: "embeddings unknown model",
    path: "/v1/embeddings",
    body: { model: "gpt-9", input: "a" },
    status: 404,
    field: "model",
  },
  {
    name: "classify unknown model",
    path: "/v1/classify",
    body: { model: "gpt-9", inputs: "a" },
    status: 404,
    field: "model",
  },
  { name: "HF inference unknown model", path: "/models/gpt-9", body: { inputs: "a" }, status: 404, field: "model" },
  { name: "workers AI unknown model", path: "/ai/run/@cf/nope", body: { text: "a" }, status: 404, field: "model" },
  {
    name: "classify with a fill-mask model",
    path: "/v1/classify",
    body: { model: "tiny-mlm", inputs: "w5" },
    status: 422,
    field: "model",
  },
  // huge strings and too many inputs
  { name: "body over 1 MiB", path: "/v1/embeddings", body: { input: HUGE }, status: 413, field: "body" },
  {
    name: "input over 100 000 characters",
    path: "/v1/tokenize",
    body: { texts: ["w5", LONG] },
    status: 413,
    field: "texts.1",
  },
  {
    name: "embed input over 100 000 characters",
    path: "/embed",
    body: { inputs: LONG },
    status: 413,
    field: "inputs.0",
  },
  {
    name: "too many inputs",
    path: "/v1/embeddings",
    body: { input: Array(300).fill("w5") },
    status: 413,
    field: "input",
  },
  {
    name: "embed input over the model's tokens",
    path: "/embed",
    body: { model: "tiny-st", inputs: "w5 ".repeat(200) },
    status: 413,
    field: "inputs.0",
  },
  // routing
  { name: "unknown route", path: "/v2/everything", body: {}, status: 404 },
  { name: "wrong method on a task route", path: "/v1/tokenize", method: "GET", status: 405 },
  { name: "unknown worker under /apps", path: "/apps/translate/health", method: "GET", status: 404, field: "service" },
  // unauthenticated with auth on
  { name: "no key", path: "/v1/embeddings", body: { input: "w5" }, status: 401, field: "authorization", guarded: true },
  {
    name: "wrong key",
    path: "/v1/tokenize",
    body: { text: "w5" },
    headers: { authorization: "Bearer wrong" },
    status: 401,
    field: "authorization",
    guarded: true,
  },
  {
    name: "basic auth instead of bearer",
    path: "/v1/classify",
    body: { inputs: "w5" },
    headers: { authorization: "Basic dTpw" },
    status: 401,
    field: "authorization",
    guarded: true,
  },
  {
    name: "no key on the HF route",
    path: "/models/tiny-sst",
    body: { inputs: "w5" },
    status: 401,
    field: "authorization",
    guarded: true,
  },
];

const modelsDir = writeTaskModels();
let open: { mf: Miniflare; base: string };
let guarded: { mf: Miniflare; base: string };

async function start(vars: Record<string, unknown>) {
  const bindings: Record<string, Record<string, unknown>> = Object.fromEntries(
    Object.entries(TASK_CATALOGUE).map(([app, config]) => [app, { MODEL_CONFIG: config }]),
  );
  bindings.tokenize = {
    ...bindings.tokenize,
    MODEL_CONFIG: { "tiny-tok": { source: "r2:tiny/static/", task: "tokenize" } },
  };
  bindings.gateway = vars;
  const { mf, url } = await startLocalStack({ port: 0, bindings, seedDir: modelsDir });
  return { mf, base: url.href.replace(/\/$/, "") };
}

beforeAll(async () => {
  open = await start({});
  guarded = await start({ API_KEYS: "the-key" });
});
afterAll(async () => {
  await open?.mf.dispose();
  await guarded?.mf.dispose();
  rmSync(modelsDir, { recursive: true, force: true });
});

describe(`the bad-input matrix (${CASES.length} malformed requests)`, () => {
  it("has at least 50 cases", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(50);
  });

  for (const c of CASES) {
    it(`${c.name} → ${c.status}${c.field ? ` naming ${c.field}` : ""}`, async () => {
      const method = c.method ?? "POST";
      const headers: Record<string, string> = { ...c.headers };
      if (method !== "GET") {
        const type = c.contentType ?? "application/json";
        if (type) headers["content-type"] = type;
      }
      const body = method === "GET" ? undefined : (c.raw ?? JSON.stringify(c.body));
      const base = c.guarded ? guarded.base : open.base;
      const res = await fetch(`${base}${c.path}`, { method, headers, body });
      expect(res.status).toBe(c.status);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      const problem = (await res.json()) as ProblemDetails;
      expect(problem.status).toBe(c.status);
      expect(problem.type).toMatch(/^urn:edgeformers:problem:[a-z0-9-]+$/);
      expect(problem.detail?.length ?? 0).toBeGreaterThan(0);
      if (c.field) expect(problem.field).toBe(c.field);
    });
  }

  it("keeps serving afterwards", async () => {
    expect((await fetch(`${open.base}/health`)).status).toBe(200);
    const ok = await fetch(`${open.base}/v1/tokenize`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "tiny-tok", text: "hello world" }),
    });
    expect(ok.status).toBe(200);
    const authed = await fetch(`${guarded.base}/v1/embeddings`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer the-key" },
      body: JSON.stringify({ model: "tiny-st", input: "w5" }),
    });
    expect(authed.status).toBe(200);
  });
});
