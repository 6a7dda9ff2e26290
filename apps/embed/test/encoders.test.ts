import { env } from "cloudflare:test";
import { BundleSource, loadModel } from "@edgeformers/engine";
import { generateTinyEncoder, sentenceTransformersFiles } from "@edgeformers/engine/testing";
import { featureExtraction, rerank } from "@edgeformers/pipelines";
import { expectProblem } from "@edgeformers/server/testing";
import { beforeAll, describe, expect, it } from "vitest";
import app from "../src/index.js";

/**
 * Transformer encoders on the kernels backend: a seeded tiny sentence-transformers BERT (mean
 * pooling + Normalize) and a tiny cross-encoder. The worker must answer what the pipelines
 * answer in-process for the same files (the pipelines are checked against sentence-transformers'
 * algorithms in packages/pipelines; the engine against onnxruntime in packages/engine).
 */
const bert = generateTinyEncoder({ seed: 3, vocabSize: 40, maxPositions: 64 });
const st = {
  ...bert.files,
  ...sentenceTransformersFiles(16),
  "config_sentence_transformers.json": JSON.stringify({ prompts: { query: "w20 " }, default_prompt_name: null }),
};
const crossEncoder = generateTinyEncoder({
  seed: 4,
  head: "ForSequenceClassification",
  numLabels: 1,
  vocabSize: 40,
  maxPositions: 64,
}).files;

const MODEL_CONFIG = {
  st: { source: "r2:enc/st/", task: "feature-extraction", backend: "kernels" },
  ce: { source: "r2:enc/ce/", task: "rerank", backend: "kernels" },
};

beforeAll(async () => {
  for (const [file, content] of Object.entries(st)) await env.MODELS.put(`enc/st/${file}`, content);
  for (const [file, content] of Object.entries(crossEncoder)) await env.MODELS.put(`enc/ce/${file}`, content);
});

const post = (path: string, body: unknown) =>
  app.request(
    path,
    { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) },
    {
      ...env,
      MODEL_CONFIG,
    },
  );

const stModel = () => loadModel(new BundleSource(st));

function close(actual: number[], expected: number[]): void {
  expect(actual).toHaveLength(expected.length);
  expect(Math.max(...actual.map((v, i) => Math.abs(v - (expected[i] as number))))).toBeLessThan(1e-6);
}

describe("embed worker on transformer encoders", () => {
  it("POST /v1/embeddings equals sentence-transformers-style pooling in-process, unit length", async () => {
    const res = await post("/v1/embeddings", { model: "st", input: ["w5 w6 w7", "w8"] });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: { embedding: number[] }[]; usage: { prompt_tokens: number } };
    const expected = (await featureExtraction(await stModel(), ["w5 w6 w7", "w8"])) as number[][];
    close(body.data[0]?.embedding ?? [], expected[0] as number[]);
    close(body.data[1]?.embedding ?? [], expected[1] as number[]);
    expect(Math.hypot(...(body.data[0]?.embedding ?? []))).toBeCloseTo(1, 6);
    // [CLS] w5 w6 w7 [SEP] + [CLS] w8 [SEP]
    expect(body.usage.prompt_tokens).toBe(8);
  });

  it("POST /embed with prompt_name and dimensions", async () => {
    const res = await post("/embed", { model: "st", inputs: "w5", prompt_name: "query", dimensions: 8 });
    const [vector] = (await res.json()) as number[][];
    const [full] = (await featureExtraction(await stModel(), ["w5"], { promptName: "query" })) as number[][];
    const cut = (full as number[]).slice(0, 8);
    const norm = Math.hypot(...cut);
    close(
      vector ?? [],
      cut.map((v) => v / norm),
    );
    expect(
      (await expectProblem(await post("/embed", { model: "st", inputs: "w5", prompt_name: "nope" }), 422)).detail,
    ).toContain("nope");
  });

  it("POST /embed_all returns one vector per token", async () => {
    const res = await post("/embed_all", { model: "st", inputs: ["w5 w6"] });
    const body = (await res.json()) as number[][][];
    expect(body).toEqual(await featureExtraction(await stModel(), ["w5 w6"], { pooling: "none" }));
    expect(body[0]).toHaveLength(4);
    expect(body[0]?.[0]).toHaveLength(16);
  });

  it("POST /rerank scores (query, text) pairs with the cross-encoder, best first", async () => {
    const texts = ["w5 w6", "w7", "w8 w9 w10"];
    const res = await post("/rerank", { model: "ce", query: "w11", texts, return_text: true });
    const body = (await res.json()) as { index: number; text: string; score: number }[];
    const expected = (await rerank(
      await loadModel(new BundleSource(crossEncoder)),
      { query: "w11", texts },
      { topK: null },
    )) as {
      index: number;
      score: number;
    }[];
    expect(body.map((r) => r.index)).toEqual(expected.map((r) => r.index));
    close(
      body.map((r) => r.score),
      expected.map((r) => r.score),
    );
    for (const r of body) expect(r.text).toBe(texts[r.index]);
    expect((await expectProblem(await post("/rerank", { model: "st", query: "a", texts: ["b"] }), 422)).field).toBe(
      "model",
    );
  });

  it("rejects inputs over the model's length unless truncate is set", async () => {
    const long = Array(100).fill("w5").join(" ");
    expect((await expectProblem(await post("/embed", { model: "st", inputs: long }), 413)).field).toBe("inputs.0");
    expect((await post("/embed", { model: "st", inputs: long, truncate: true })).status).toBe(200);
  });
});

describe("token ids and left truncation on encoders", () => {
  it("embeds OpenAI token-id input by pooling the model's own output for those ids", async () => {
    const model = await stModel();
    const ids = model.tokenizer.encode("w5 w6 w7").ids;
    const res = await post("/v1/embeddings", { model: "st", input: [ids] });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: { embedding: number[] }[] };
    // The same ids from text give the same sentence vector as the text itself.
    const [expected] = (await featureExtraction(model, ["w5 w6 w7"])) as number[][];
    close(body.data[0]?.embedding ?? [], expected as number[]);
  });

  it("cuts from the left with truncation_direction left, keeping the end of the text", async () => {
    const model = await stModel();
    const max = Math.min(model.tokenizer.modelMaxLength ?? 64, 64);
    const words = Array.from({ length: 100 }, (_, i) => `w${5 + (i % 30)}`).join(" ");
    const res = await post("/embed", { model: "st", inputs: words, truncate: true, truncation_direction: "Left" });
    expect(res.status).toBe(200);
    const [vector] = (await res.json()) as number[][];
    // Hand-derived: the kept ids are [CLS] + the last (max - 2) word ids + [SEP].
    const all = model.tokenizer.encode(words, null, { addSpecialTokens: false, truncation: false }).ids;
    const kept = [2, ...all.slice(all.length - (max - 2)), 3];
    const viaIds = (await (await post("/v1/embeddings", { model: "st", input: [kept] })).json()) as {
      data: { embedding: number[] }[];
    };
    close(vector ?? [], viaIds.data[0]?.embedding ?? []);
    const right = (await (await post("/embed", { model: "st", inputs: words, truncate: true })).json()) as number[][];
    expect(Math.max(...(right[0] ?? []).map((v, i) => Math.abs(v - (vector?.[i] ?? 0))))).toBeGreaterThan(1e-3);
    expect(
      (
        await expectProblem(
          await post("/rerank", { model: "ce", query: "a", texts: ["b"], truncation_direction: "left" }),
          422,
        )
      ).field,
    ).toBe("truncation_direction");
  });
});
