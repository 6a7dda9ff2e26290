import { env } from "cloudflare:test";
import { BundleSource, loadModel } from "@edgeformers/engine";
import { generateTinyEncoder } from "@edgeformers/engine/testing";
import { pipeline } from "@edgeformers/pipelines";
import { expectProblem } from "@edgeformers/server/testing";
import { beforeAll, describe, expect, it } from "vitest";
import app from "../src/index.js";

/**
 * Seeded tiny models (the engine's generator: real architectures, random weights, a WordPiece
 * vocabulary of "w5", "w6", …). The HTTP answers must equal what the pipelines give in-process
 * for the same model: the pipelines themselves are checked against Python's algorithms in
 * packages/pipelines, so this checks the worker's wiring, shapes and errors.
 */
type Head = "ForSequenceClassification" | "ForTokenClassification" | "ForQuestionAnswering" | "ForMaskedLM";
const MODELS: Record<string, { head: Head; task: string; id2label?: Record<string, string> }> = {
  sst: { head: "ForSequenceClassification", task: "text-classification", id2label: { 0: "NEGATIVE", 1: "POSITIVE" } },
  nli: {
    head: "ForSequenceClassification",
    task: "zero-shot-classification",
    id2label: { 0: "contradiction", 1: "neutral", 2: "entailment" },
  },
  ner: { head: "ForTokenClassification", task: "token-classification", id2label: { 0: "O", 1: "B-PER", 2: "I-PER" } },
  qa: { head: "ForQuestionAnswering", task: "question-answering" },
  mlm: { head: "ForMaskedLM", task: "fill-mask" },
};
const MODEL_CONFIG = Object.fromEntries(
  Object.entries(MODELS).map(([name, m]) => [name, { source: `r2:tiny/${name}/`, task: m.task }]),
);
const files: Record<string, Record<string, string | Uint8Array>> = {};

beforeAll(async () => {
  for (const [name, m] of Object.entries(MODELS)) {
    const numLabels = m.id2label ? Object.keys(m.id2label).length : 2;
    const generated = generateTinyEncoder({ seed: 11, head: m.head, numLabels, vocabSize: 40, maxPositions: 64 });
    const config = {
      ...generated.config,
      ...(m.id2label
        ? {
            id2label: m.id2label,
            label2id: Object.fromEntries(Object.entries(m.id2label).map(([k, v]) => [v, Number(k)])),
          }
        : {}),
    };
    files[name] = { ...generated.files, "config.json": JSON.stringify(config) };
    for (const [file, content] of Object.entries(files[name] as Record<string, string | Uint8Array>)) {
      await env.MODELS.put(`tiny/${name}/${file}`, content);
    }
  }
});

const post = (path: string, body: unknown) =>
  app.request(
    path,
    { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) },
    { ...env, MODEL_CONFIG },
  );

async function inProcess(
  name: string,
  task: Parameters<typeof pipeline>[0],
  inputs: unknown,
  options: Record<string, unknown> = {},
) {
  const model = await loadModel(new BundleSource(files[name] as Record<string, string | Uint8Array>));
  const pipe = await pipeline(task, model, options as never);
  return (pipe as (i: unknown) => Promise<unknown>)(inputs);
}

describe("classify routes answer what the pipelines answer", () => {
  it("POST /v1/classify: single text, pair, top_k null", async () => {
    const one = await post("/v1/classify", { model: "sst", inputs: "w5 w6 w7" });
    expect(one.status).toBe(200);
    expect(await one.json()).toEqual(await inProcess("sst", "text-classification", "w5 w6 w7"));
    const all = await post("/v1/classify", { inputs: [{ text: "w5", text_pair: "w9 w10" }], top_k: null });
    const body = (await all.json()) as { label: string; score: number }[][];
    expect(body).toEqual(
      await inProcess("sst", "text-classification", [{ text: "w5", text_pair: "w9 w10" }], { topK: null }),
    );
    expect(body[0]?.map((r) => r.label).sort()).toEqual(["NEGATIVE", "POSITIVE"]);
  });

  it("POST /v1/zero-shot with candidate labels as a comma-separated string", async () => {
    const res = await post("/v1/zero-shot", { inputs: "w5 w6", candidate_labels: "w7, w8", multi_label: true });
    const body = (await res.json()) as { sequence: string; labels: string[]; scores: number[] };
    expect(body).toEqual(
      await inProcess("nli", "zero-shot-classification", "w5 w6", { candidateLabels: "w7, w8", multiLabel: true }),
    );
    expect(body.labels.sort()).toEqual(["w7", "w8"]);
  });

  it("POST /v1/ner with an aggregation strategy; spans slice the input", async () => {
    const text = "w5 w6 w7 w8";
    const res = await post("/v1/ner", { inputs: text, aggregation_strategy: "first", ignore_labels: [] });
    const body = (await res.json()) as { word: string; start: number; end: number }[];
    expect(body).toEqual(
      await inProcess("ner", "token-classification", text, { aggregationStrategy: "first", ignoreLabels: [] }),
    );
    for (const entity of body) expect(text.slice(entity.start, entity.end).toLowerCase()).toBe(entity.word);
  });

  it("POST /v1/question-answering: the answer is the context's own span", async () => {
    const input = { question: "w5 w6", context: "w7 w8 w9 w10 w11 w12" };
    const res = await post("/v1/question-answering", { inputs: input, top_k: 2 });
    const body = (await res.json()) as { answer: string; start: number; end: number }[];
    expect(body).toEqual(await inProcess("qa", "question-answering", input, { topK: 2 }));
    for (const answer of body) expect(input.context.slice(answer.start, answer.end)).toBe(answer.answer);
  });

  it("POST /v1/fill-mask with targets", async () => {
    const res = await post("/v1/fill-mask", { inputs: "w5 [MASK] w7", targets: ["w8", "w9"] });
    const body = (await res.json()) as { token_str: string }[];
    expect(body).toEqual(await inProcess("mlm", "fill-mask", "w5 [MASK] w7", { targets: ["w8", "w9"] }));
    expect(body.map((r) => r.token_str).sort()).toEqual(["w8", "w9"]);
  });

  it("TEI POST /predict: every label sorted, pairs, batches and raw scores", async () => {
    const single = (await (await post("/predict", { inputs: "w5 w6" })).json()) as { score: number; label: string }[];
    expect(single).toEqual(await inProcess("sst", "text-classification", "w5 w6", { topK: null }));
    expect(single[0]!.score).toBeGreaterThanOrEqual(single[1]!.score);
    const batch = (await (
      await post("/predict", { inputs: [["w5"], ["w6", "w7"]], raw_scores: true })
    ).json()) as unknown[];
    expect(batch).toEqual(
      await inProcess("sst", "text-classification", ["w5", { text: "w6", text_pair: "w7" }], {
        topK: null,
        functionToApply: "none",
      }),
    );
  });

  it("POST /models/{model}: the Hugging Face Inference shape per task", async () => {
    const classified = await post("/models/sst", { inputs: "w5 w6" });
    expect(await classified.json()).toEqual([await inProcess("sst", "text-classification", "w5 w6", { topK: null })]);
    const entities = await post("/models/ner", {
      inputs: "w5 w6",
      parameters: { aggregation_strategy: "simple", ignore_labels: [] },
    });
    expect(await entities.json()).toEqual(
      await inProcess("ner", "token-classification", "w5 w6", { aggregationStrategy: "simple", ignoreLabels: [] }),
    );
    const answered = await post("/models/qa", { inputs: { question: "w5", context: "w6 w7 w8" } });
    expect(await answered.json()).toEqual(
      await inProcess("qa", "question-answering", { question: "w5", context: "w6 w7 w8" }),
    );
  });

  it("answers bad input with problem+json naming the field", async () => {
    expect((await expectProblem(await post("/v1/classify", { inputs: 3 }), 422)).field).toBe("inputs");
    const wrongTask = await expectProblem(await post("/v1/classify", { model: "mlm", inputs: "w5" }), 422);
    expect(wrongTask.field).toBe("model");
    expect(wrongTask.detail).toContain("fill-mask");
    expect((await expectProblem(await post("/v1/zero-shot", { inputs: "w5" }), 422)).field).toBe("candidate_labels");
    // An option the pipeline does not know is the client's error, named in the detail.
    const unknown = await expectProblem(
      await post("/models/sst", { inputs: "w5", parameters: { temperature: 2 } }),
      422,
    );
    expect(unknown.detail).toContain("temperature");
    expect((await expectProblem(await post("/models/nope", { inputs: "w5" }), 404)).field).toBe("model");
    expect((await expectProblem(await post("/v1/fill-mask", { inputs: "no mask here" }), 422)).detail).toMatch(/mask/i);
  });
});

describe("the default build without onnxruntime", () => {
  it("answers 501 for a backend: ort model, naming the ORT build", async () => {
    const res = await app.request(
      "/v1/ner",
      {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: "ort-ner", inputs: "w5" }),
      },
      { ...env, MODEL_CONFIG: { "ort-ner": { source: "r2:tiny/ner/", task: "token-classification", backend: "ort" } } },
    );
    const problem = await expectProblem(res, 501);
    expect(problem.detail).toContain("wrangler.ort.jsonc");
    expect(problem.field).toBe("model");
  });
});
