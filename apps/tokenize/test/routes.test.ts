import { env } from "cloudflare:test";
import type { ProblemDetails } from "@edgeformers/server";
import { expectProblem } from "@edgeformers/server/testing";
import { beforeAll, describe, expect, it } from "vitest";
import app from "../src/index.js";
import { TINY_TOKENIZER } from "./tiny-tokenizer.js";

const MODEL_CONFIG = {
  tiny: { source: "r2:tiny/", task: "tokenize" },
  broken: { source: "r2:broken/", task: "tokenize" },
  missing: { source: "r2:nothing-here/", task: "tokenize" },
};

const post = (path: string, body: unknown, extraEnv: Record<string, unknown> = {}) =>
  app.request(
    path,
    { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) },
    { ...env, MODEL_CONFIG, ...extraEnv },
  );

beforeAll(async () => {
  await env.MODELS.put("tiny/tokenizer.json", JSON.stringify(TINY_TOKENIZER));
  await env.MODELS.put("broken/tokenizer.json", JSON.stringify({ model: { type: "NoSuchModel" } }));
});

describe("POST /v1/tokenize", () => {
  it("encodes one text like Python's tokenizer(text): flat lists, hand-derived ids and offsets", async () => {
    const res = await post("/v1/tokenize", {
      model: "tiny",
      text: "Héllo, worlds!",
      return_offsets_mapping: true,
      return_word_ids: true,
      return_special_tokens_mask: true,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      model: "tiny",
      input_ids: [2, 5, 12, 6, 7, 8, 3],
      tokens: ["[CLS]", "hello", ",", "world", "##s", "!", "[SEP]"],
      token_type_ids: [0, 0, 0, 0, 0, 0, 0],
      attention_mask: [1, 1, 1, 1, 1, 1, 1],
      special_tokens_mask: [1, 0, 0, 0, 0, 0, 1],
      offset_mapping: [
        [0, 0],
        [0, 5],
        [5, 6],
        [7, 12],
        [12, 13],
        [13, 14],
        [0, 0],
      ],
      word_ids: [null, 0, 1, 2, 2, 3, null],
      usage: { tokens: 7 },
    });
  });

  it("reports offsets in UTF-16 units, code points or UTF-8 bytes", async () => {
    const text = "🤗 hello";
    const offsetsIn = async (offsets: string) => {
      const res = await post("/v1/tokenize", {
        text,
        offsets,
        return_offsets_mapping: true,
        add_special_tokens: false,
      });
      return ((await res.json()) as { offset_mapping: number[][] }).offset_mapping;
    };
    expect(await offsetsIn("utf16")).toEqual([
      [0, 2],
      [3, 8],
    ]);
    expect(text.slice(3, 8)).toBe("hello");
    expect(await offsetsIn("codepoint")).toEqual([
      [0, 1],
      [2, 7],
    ]);
    expect(await offsetsIn("utf8")).toEqual([
      [0, 4],
      [5, 10],
    ]);
  });

  it("encodes pairs and batches with type and sequence ids", async () => {
    const res = await post("/v1/tokenize", {
      text: ["hello", "a"],
      text_pair: ["world", "hello world"],
      return_sequence_ids: true,
    });
    const body = (await res.json()) as Record<string, unknown>;
    expect(body.input_ids).toEqual([
      [2, 5, 3, 6, 3],
      [2, 13, 3, 5, 6, 3],
    ]);
    expect(body.token_type_ids).toEqual([
      [0, 0, 0, 1, 1],
      [0, 0, 0, 1, 1, 1],
    ]);
    expect(body.sequence_ids).toEqual([
      [null, 0, null, 1, null],
      [null, 0, null, 1, 1, null],
    ]);
  });

  it("pads to the longest input and truncates with stride into overflowing windows", async () => {
    const padded = (await (
      await post("/v1/tokenize", { texts: ["hello", "hello world !"], padding: true })
    ).json()) as {
      input_ids: number[][];
      attention_mask: number[][];
      usage: { tokens: number };
    };
    expect(padded.input_ids).toEqual([
      [2, 5, 3, 0, 0],
      [2, 5, 6, 8, 3],
    ]);
    expect(padded.attention_mask).toEqual([
      [1, 1, 1, 0, 0],
      [1, 1, 1, 1, 1],
    ]);
    expect(padded.usage.tokens).toBe(8);

    // max_length 4 leaves 2 content tokens per window; stride 1 overlaps one token.
    const windows = (await (
      await post("/v1/tokenize", {
        text: "hello world hello world",
        truncation: true,
        max_length: 4,
        stride: 1,
        return_overflowing_tokens: true,
      })
    ).json()) as { input_ids: number[][]; overflow_to_sample_mapping: number[] };
    expect(windows.input_ids).toEqual([
      [2, 5, 6, 3],
      [2, 6, 5, 3],
      [2, 5, 6, 3],
    ]);
    expect(windows.overflow_to_sample_mapping).toEqual([0, 0, 0]);
  });

  it("answers bad input with problem+json naming the field", async () => {
    const broken = await app.request(
      "/v1/tokenize",
      { method: "POST", headers: { "content-type": "application/json" }, body: "{text:" },
      { ...env, MODEL_CONFIG },
    );
    await expectProblem(broken, 400);
    const form = await app.request(
      "/v1/tokenize",
      { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "text=hi" },
      { ...env, MODEL_CONFIG },
    );
    expect((await expectProblem(form, 400)).field).toBe("content-type");
    expect((await expectProblem(await post("/v1/tokenize", { text: 3 }), 422)).field).toBe("text");
    expect((await expectProblem(await post("/v1/tokenize", { text: "a", texts: ["b"] }), 422)).field).toBe("text");
    expect((await expectProblem(await post("/v1/tokenize", { text: "a", stride: -1 }), 422)).field).toBe("stride");
    expect((await expectProblem(await post("/v1/tokenize", { text: "a", bogus: 1 }), 422)).detail).toContain("bogus");
    const mismatch = await post("/v1/tokenize", { text: ["a", "b"], text_pair: ["c"] });
    expect((await expectProblem(mismatch, 422)).field).toBe("text_pair");
    const unknown = await expectProblem(await post("/v1/tokenize", { model: "nope", text: "a" }), 404);
    expect(unknown.field).toBe("model");
    expect(unknown.detail).toContain("tiny");
  });

  it("enforces inputs-per-request, characters-per-input and tokens-per-request limits with 413", async () => {
    const limits = { MAX_INPUTS: "2", MAX_INPUT_CHARS: "20", MAX_TOKENS_PER_REQUEST: "6" };
    const many = await post("/v1/tokenize", { texts: ["a", "a", "a"] }, limits);
    expect((await expectProblem(many, 413)).field).toBe("texts");
    const long = await post("/v1/tokenize", { texts: ["a", "hello ".repeat(5)] }, limits);
    expect((await expectProblem(long, 413)).field).toBe("texts.1");
    const tokens = await post("/v1/tokenize", { texts: ["hello world", "hello world"] }, limits);
    expect((await expectProblem(tokens, 413)).detail).toContain("8 tokens");
    expect((await post("/v1/tokenize", { texts: ["hello", "a"] }, limits)).status).toBe(200);
  });

  it("reports a model whose files are missing or unloadable as 503, and keeps serving", async () => {
    const missing = await expectProblem(await post("/v1/tokenize", { model: "missing", text: "a" }), 503);
    expect(missing.detail).toContain("tokenizer.json");
    const broken = await expectProblem(await post("/v1/tokenize", { model: "broken", text: "a" }), 503);
    expect(broken.detail).toContain("NoSuchModel");
    expect((await post("/v1/tokenize", { model: "tiny", text: "a" })).status).toBe(200);
  });
});

describe("POST /v1/decode", () => {
  it("decodes like Python's decode and batch_decode", async () => {
    const one = await post("/v1/decode", { ids: [2, 5, 12, 6, 7, 8, 3] });
    expect(await one.json()).toEqual({ model: "tiny", text: "[CLS] hello, worlds! [SEP]" });
    const batch = await post("/v1/decode", { ids: [[2, 9, 10, 11, 3], [13]], skip_special_tokens: true });
    expect(await batch.json()).toEqual({ model: "tiny", text: ["unbelievable", "a"] });
  });

  it("rejects ids outside the vocabulary naming the position", async () => {
    const res = await post("/v1/decode", {
      ids: [
        [5, 6],
        [5, 999],
      ],
    });
    expect(((await expectProblem(res, 422)) as ProblemDetails).field).toBe("ids.1.1");
  });
});

describe("TEI routes", () => {
  it("POST /tokenize answers TEI's shape with UTF-8 byte offsets", async () => {
    const res = await post("/tokenize", { inputs: "é hello" });
    expect(await res.json()).toEqual([
      [
        { id: 2, text: "[CLS]", special: true, start: null, stop: null },
        { id: 1, text: "é", special: false, start: 0, stop: 2 },
        { id: 5, text: "hello", special: false, start: 3, stop: 8 },
        { id: 3, text: "[SEP]", special: true, start: null, stop: null },
      ],
    ]);
  });

  it("POST /decode skips special tokens by default and always answers a list", async () => {
    expect(await (await post("/decode", { ids: [2, 5, 6, 3] })).json()).toEqual(["hello world"]);
    expect(await (await post("/decode", { ids: [[2, 5], [6]], skip_special_tokens: false })).json()).toEqual([
      "[CLS] hello",
      "world",
    ]);
  });
});

describe("GET /v1/models", () => {
  it("lists the configured models in the OpenAI list shape", async () => {
    const res = await app.request("/v1/models", {}, { ...env, MODEL_CONFIG });
    expect(await res.json()).toEqual({
      object: "list",
      data: ["tiny", "broken", "missing"].map((id) => ({
        id,
        object: "model",
        created: 0,
        owned_by: "edgeformers",
        task: "tokenize",
      })),
    });
  });
});

describe("observability of the tokenize routes", () => {
  it("documents the task routes in /openapi.json from the same zod schemas", async () => {
    const document = (await (await app.request("/openapi.json", {}, { ...env, MODEL_CONFIG })).json()) as {
      paths: Record<
        string,
        { post?: { requestBody?: { content: Record<string, { schema: { properties: Record<string, unknown> } }> } } }
      >;
    };
    const body = document.paths["/v1/tokenize"]?.post?.requestBody?.content["application/json"]?.schema;
    expect(Object.keys(body?.properties ?? {})).toEqual(
      expect.arrayContaining(["text", "text_pair", "truncation", "stride"]),
    );
    expect(document.paths["/tokenize"]?.post).toBeDefined();
  });

  it("counts tokens and records the model load time in /metrics", async () => {
    await post("/v1/tokenize", { model: "tiny", text: "hello world" });
    const text = await (await app.request("/metrics", {}, { ...env, MODEL_CONFIG })).text();
    const tokens = text
      .split("\n")
      .find((l) => l.startsWith('edgeformers_tokens_total{service="tokenize",model="tiny"}'));
    expect(Number(tokens?.split(" ").pop())).toBeGreaterThanOrEqual(4);
    expect(text).toMatch(/edgeformers_model_load_seconds\{service="tokenize",model="tiny"\} [\d.e-]+/);
  });
});

describe("a model's own limits from MODEL_CONFIG", () => {
  it("answers 413 over maxBatch inputs or maxTokens tokens, naming the field", async () => {
    const limited = { tiny: { source: "r2:tiny/", task: "tokenize", maxBatch: 2, maxTokens: 8 } };
    const many = await post("/v1/tokenize", { texts: ["a", "a", "a"] }, { MODEL_CONFIG: limited });
    expect((await expectProblem(many, 413)).detail).toContain("maxBatch of 2");
    const long = await post(
      "/v1/tokenize",
      { texts: ["hello world hello", "world hello world"] },
      { MODEL_CONFIG: limited },
    );
    const problem = await expectProblem(long, 413);
    expect(problem.field).toBe("texts");
    expect(problem.detail).toContain("maxTokens of 8");
    expect((await post("/v1/tokenize", { texts: ["hello", "world"] }, { MODEL_CONFIG: limited })).status).toBe(200);
  });
});
