import { env } from "cloudflare:test";
import { serializeSafetensors } from "@edgeformers/engine";
import { expectProblem } from "@edgeformers/server/testing";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { TINY_TOKENIZER, TINY_VOCAB } from "../../tokenize/test/tiny-tokenizer.js";
import app from "../src/index.js";

/**
 * A tiny static model: row r of the table is [r, 1, 0, 0], so every expected vector is worked
 * out by hand. "hello world" → ids [5, 6] → mean [5.5, 1, 0, 0], norm √31.25 = 5.590170,
 * unit vector [0.983870, 0.178885, 0, 0].
 */
const DIM = 4;
const table = new Float32Array(TINY_VOCAB.length * DIM);
for (let r = 0; r < TINY_VOCAB.length; r++) table.set([r, 1, 0, 0], r * DIM);
const HELLO_WORLD = [5.5 / Math.sqrt(31.25), 1 / Math.sqrt(31.25), 0, 0];

const MODEL_CONFIG = {
  tiny: { source: "r2:tiny-static/", task: "feature-extraction", backend: "static" },
  raw: { source: "r2:tiny-raw/", task: "feature-extraction", backend: "static" },
  encoder: { source: "r2:tiny-static/", task: "feature-extraction", backend: "kernels" },
};

const post = (path: string, body: unknown, extraEnv: Record<string, unknown> = {}) =>
  app.request(
    path,
    { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) },
    { ...env, MODEL_CONFIG, ...extraEnv },
  );

function expectClose(actual: number[], expected: number[], tolerance = 1e-6): void {
  expect(actual).toHaveLength(expected.length);
  const error = Math.max(...actual.map((value, i) => Math.abs(value - (expected[i] as number))));
  expect(error).toBeLessThan(tolerance);
}

beforeAll(async () => {
  const weights = serializeSafetensors({ embeddings: { dtype: "F32", shape: [TINY_VOCAB.length, DIM], data: table } });
  for (const [prefix, normalize] of [
    ["tiny-static/", true],
    ["tiny-raw/", false],
  ] as const) {
    await env.MODELS.put(`${prefix}config.json`, JSON.stringify({ model_type: "model2vec", normalize }));
    await env.MODELS.put(`${prefix}tokenizer.json`, JSON.stringify(TINY_TOKENIZER));
    await env.MODELS.put(`${prefix}model.safetensors`, weights);
  }
});

describe("POST /v1/embeddings (OpenAI)", () => {
  it("embeds strings with the OpenAI response shape and usage", async () => {
    const res = await post("/v1/embeddings", { model: "tiny", input: ["hello world", "a"] });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      object: string;
      model: string;
      data: { object: string; index: number; embedding: number[] }[];
      usage: { prompt_tokens: number; total_tokens: number };
    };
    expect(body.object).toBe("list");
    expect(body.model).toBe("tiny");
    expect(body.data.map((d) => [d.object, d.index])).toEqual([
      ["embedding", 0],
      ["embedding", 1],
    ]);
    expectClose(body.data[0]?.embedding ?? [], HELLO_WORLD);
    // "a" is id 13 alone: [13, 1, 0, 0] / √170.
    expectClose(body.data[1]?.embedding ?? [], [13 / Math.sqrt(170), 1 / Math.sqrt(170), 0, 0]);
    expect(body.usage).toEqual({ prompt_tokens: 3, total_tokens: 3 });
  });

  it("accepts token ids, base64 output and Matryoshka dimensions", async () => {
    const ids = (await (await post("/v1/embeddings", { input: [5, 6] })).json()) as { data: { embedding: number[] }[] };
    expectClose(ids.data[0]?.embedding ?? [], HELLO_WORLD);

    const b64 = (await (await post("/v1/embeddings", { input: "hello world", encoding_format: "base64" })).json()) as {
      data: { embedding: string }[];
    };
    const bytes = Uint8Array.from(atob(b64.data[0]?.embedding ?? ""), (ch) => ch.charCodeAt(0));
    expectClose(Array.from(new Float32Array(bytes.buffer)), HELLO_WORLD);

    // dimensions 1 keeps [5.5] and renormalises it to [1].
    const short = (await (await post("/v1/embeddings", { input: "hello world", dimensions: 1 })).json()) as {
      data: { embedding: number[] }[];
    };
    expectClose(short.data[0]?.embedding ?? [], [1]);
  });

  it("follows the model's normalize setting", async () => {
    const raw = (await (await post("/v1/embeddings", { model: "raw", input: "hello world" })).json()) as {
      data: { embedding: number[] }[];
    };
    expectClose(raw.data[0]?.embedding ?? [], [5.5, 1, 0, 0]);
  });

  it("answers bad input with problem+json naming the field", async () => {
    expect((await expectProblem(await post("/v1/embeddings", { input: 3 }), 422)).field).toBe("input");
    expect((await expectProblem(await post("/v1/embeddings", { input: "a", dimensions: 5 }), 422)).field).toBe(
      "dimensions",
    );
    expect((await expectProblem(await post("/v1/embeddings", { input: "a", encoding_format: "hex" }), 422)).field).toBe(
      "encoding_format",
    );
    expect((await expectProblem(await post("/v1/embeddings", { input: [99] }), 422)).detail).toContain("99");
    expect((await expectProblem(await post("/v1/embeddings", { model: "nope", input: "a" }), 404)).field).toBe("model");
    // A model2vec folder configured for the kernels backend: the engine refuses it by name.
    const mismatched = await expectProblem(await post("/v1/embeddings", { model: "encoder", input: "a" }), 503);
    expect(mismatched.detail).toContain("model2vec");
    const many = await post("/v1/embeddings", { input: ["a", "a", "a"] }, { MAX_INPUTS: "2" });
    expect((await expectProblem(many, 413)).field).toBe("input");
  });
});

describe("TEI and Workers AI routes", () => {
  it("POST /embed returns normalised vectors by default and raw means with normalize false", async () => {
    const unit = (await (await post("/embed", { inputs: "hello world" })).json()) as number[][];
    expectClose(unit[0] ?? [], HELLO_WORLD);
    const raw = (await (await post("/embed", { inputs: ["hello world"], normalize: false })).json()) as number[][];
    expectClose(raw[0] ?? [], [5.5, 1, 0, 0]);
  });

  it("POST /embed rejects over-long inputs unless truncate is set", async () => {
    const long = Array(600).fill("hello").join(" ");
    const rejected = await expectProblem(await post("/embed", { inputs: ["a", long] }), 413);
    expect(rejected.field).toBe("inputs.1");
    const cut = (await (await post("/embed", { inputs: long, truncate: true })).json()) as number[][];
    expectClose(cut[0] ?? [], [5 / Math.sqrt(26), 1 / Math.sqrt(26), 0, 0]);
    expect((await expectProblem(await post("/embed", { inputs: "a", prompt_name: "query" }), 422)).field).toBe(
      "prompt_name",
    );
  });

  it("POST /similarity gives cosines against the source sentence", async () => {
    const scores = (await (
      await post("/similarity", { inputs: { source_sentence: "hello world", sentences: ["hello world", "a"] } })
    ).json()) as number[];
    // cos([5.5,1],[13,1]) = (71.5 + 1) / (√31.25 · √170)
    expectClose(scores, [1, 72.5 / (Math.sqrt(31.25) * Math.sqrt(170))]);
  });

  it("POST /ai/run/{model} answers the Workers AI shape", async () => {
    const res = await post("/ai/run/tiny", { text: ["hello world", "a"] });
    const body = (await res.json()) as { shape: number[]; data: number[][] };
    expect(body.shape).toEqual([2, 4]);
    expectClose(body.data[0] ?? [], HELLO_WORLD);
  });
});

const fixture = inject("model2vec");

describe("the real Model2Vec fixture through HTTP", () => {
  if ("skipped" in fixture) {
    it.skip(`skipped: ${fixture.skipped}`, () => {});
    return;
  }
  it("reproduces the Python model2vec reference within 1e-6 (hello × 1000, truncated as model2vec does)", async () => {
    for (const [file, base64] of Object.entries(fixture.files)) {
      await env.MODELS.put(
        `m2v/${file}`,
        Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0)),
      );
    }
    const config = { m2v: { source: "r2:m2v/", task: "feature-extraction", backend: "static" } };
    const text = Array(1000).fill("hello").join(" ");
    const embedded = (await (
      await post("/embed", { inputs: text, truncate: true }, { MODEL_CONFIG: config })
    ).json()) as number[][];
    expectClose(embedded[0] ?? [], fixture.reference);
    await expectProblem(await post("/v1/embeddings", { input: text }, { MODEL_CONFIG: config }), 413);
  });
});

describe("a model's own limits from MODEL_CONFIG", () => {
  it("answers 413 over maxBatch inputs or maxTokens tokens", async () => {
    const limited = {
      tiny: { source: "r2:tiny-static/", task: "feature-extraction", backend: "static", maxBatch: 2, maxTokens: 3 },
    };
    const many = await post("/v1/embeddings", { input: ["a", "a", "a"] }, { MODEL_CONFIG: limited });
    expect((await expectProblem(many, 413)).field).toBe("input");
    const long = await post("/embed", { inputs: ["hello world", "hello world"] }, { MODEL_CONFIG: limited });
    expect((await expectProblem(long, 413)).detail).toContain("maxTokens of 3");
    expect((await post("/embed", { inputs: ["hello world"] }, { MODEL_CONFIG: limited })).status).toBe(200);
  });
});
