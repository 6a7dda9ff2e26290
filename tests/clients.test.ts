/**
 * The clients people already use, pointed at the deployment (every worker in one Miniflare
 * behind the gateway, reached over HTTP on 127.0.0.1): the `openai` SDK and Hugging Face's
 * `@huggingface/inference` InferenceClient with an endpoint URL.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { LocalDirSource, loadModel } from "@edgeformers/engine";
import { featureExtraction, pipeline } from "@edgeformers/pipelines";
import { InferenceClient } from "@huggingface/inference";
import type { Miniflare } from "miniflare";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalStack } from "../infra/local.mjs";
import { TASK_CATALOGUE, writeTaskModels } from "./models.js";

const modelsDir = writeTaskModels();
let mf: Miniflare;
let base: string;

beforeAll(async () => {
  const bindings = Object.fromEntries(
    Object.entries(TASK_CATALOGUE).map(([app, config]) => [app, { MODEL_CONFIG: config }]),
  );
  const stack = await startLocalStack({ port: 0, bindings, seedDir: modelsDir });
  mf = stack.mf;
  base = stack.url.href.replace(/\/$/, "");
});
afterAll(async () => {
  await mf?.dispose();
  rmSync(modelsDir, { recursive: true, force: true });
});

/**
 * Deep equality with numbers within 1e-5: workerd runs the kernels' relaxed-SIMD build while
 * Node 20 runs the plain one, so scores differ in the last float bits; labels, spans, words and
 * order must be identical.
 */
function expectNear(actual: unknown, expected: unknown, path = "result"): void {
  if (typeof expected === "number") {
    expect(typeof actual, path).toBe("number");
    expect(Math.abs((actual as number) - expected), path).toBeLessThan(1e-5);
  } else if (Array.isArray(expected)) {
    expect(Array.isArray(actual), path).toBe(true);
    expect((actual as unknown[]).length, path).toBe(expected.length);
    expected.forEach((item, i) => expectNear((actual as unknown[])[i], item, `${path}[${i}]`));
  } else if (expected !== null && typeof expected === "object") {
    expect(Object.keys(actual as object).sort(), path).toEqual(Object.keys(expected).sort());
    for (const [key, value] of Object.entries(expected))
      expectNear((actual as Record<string, unknown>)[key], value, `${path}.${key}`);
  } else {
    expect(actual, path).toBe(expected);
  }
}

const local = (name: string) => loadModel(new LocalDirSource(join(modelsDir, "tiny", name)));

function close(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  let error = 0;
  for (let i = 0; i < actual.length; i++) error = Math.max(error, Math.abs(actual[i]! - expected[i]!));
  expect(error).toBeLessThan(tolerance);
}

describe("the openai SDK", () => {
  const client = () => new OpenAI({ apiKey: "unused", baseURL: `${base}/v1`, maxRetries: 0 });
  const texts = ["w5 w6 w7", "w8 w9"];

  it("creates embeddings in float, equal to the engine called directly", async () => {
    const response = await client().embeddings.create({ model: "tiny-st", input: texts, encoding_format: "float" });
    const expected = (await featureExtraction(await local("tiny-st"), texts)) as number[][];
    expect(response.data.map((d) => d.index)).toEqual([0, 1]);
    close(response.data[0]!.embedding, expected[0]!);
    close(response.data[1]!.embedding, expected[1]!);
    expect(response.usage.prompt_tokens).toBe(9);
  });

  it("creates embeddings in base64 (the SDK decodes them) with the same vectors", async () => {
    const float = await client().embeddings.create({ model: "tiny-st", input: texts, encoding_format: "float" });
    // Without encoding_format the SDK asks for base64 and decodes it to numbers itself.
    const decoded = await client().embeddings.create({ model: "tiny-st", input: texts });
    close(decoded.data[0]!.embedding, float.data[0]!.embedding, 1e-7);
    const raw = await client().embeddings.create({ model: "tiny-st", input: texts[0]!, encoding_format: "base64" });
    const bytes = Buffer.from(raw.data[0]!.embedding as unknown as string, "base64");
    close(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4), float.data[0]!.embedding, 1e-7);
  });

  it("lists the models", async () => {
    const ids = [];
    for await (const model of client().models.list()) ids.push(model.id);
    expect(ids).toEqual(expect.arrayContaining(["tiny-st", "tiny-sst", "tiny-ner"]));
  });

  it("surfaces a bad request as the SDK's APIError with the problem's status", async () => {
    const error = await client()
      .embeddings.create({ model: "nope", input: "w5" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(404);
  });
});

describe("@huggingface/inference InferenceClient with an endpoint URL", () => {
  const endpoint = (model: string) => new InferenceClient().endpoint(`${base}/models/${model}`);
  const run = async (
    name: string,
    task: Parameters<typeof pipeline>[0],
    inputs: unknown,
    options: Record<string, unknown> = {},
  ) => (await pipeline(task, await local(name), options as never))(inputs as never);

  it("featureExtraction", async () => {
    const vector = await endpoint("tiny-st").featureExtraction({ inputs: "w5 w6" });
    close(vector as number[], (await featureExtraction(await local("tiny-st"), "w5 w6")) as number[]);
  });

  it("textClassification", async () => {
    const labels = await endpoint("tiny-sst").textClassification({ inputs: "w5 w6 w7" });
    expectNear(labels, await run("tiny-sst", "text-classification", "w5 w6 w7", { topK: null }));
    expect(labels.map((l) => l.label).sort()).toEqual(["NEGATIVE", "POSITIVE"]);
  });

  it("tokenClassification (grouped entities, as the API answers by default)", async () => {
    const entities = await endpoint("tiny-ner").tokenClassification({
      inputs: "w5 w6 w7 w8",
      parameters: { ignore_labels: [] },
    });
    expectNear(
      entities,
      await run("tiny-ner", "token-classification", "w5 w6 w7 w8", { aggregationStrategy: "simple", ignoreLabels: [] }),
    );
  });

  it("zeroShotClassification", async () => {
    const result = await endpoint("tiny-nli").zeroShotClassification({
      inputs: "w5 w6",
      parameters: { candidate_labels: ["w7", "w8"] },
    });
    const expected = (await run("tiny-nli", "zero-shot-classification", "w5 w6", {
      candidateLabels: ["w7", "w8"],
    })) as {
      labels: string[];
      scores: number[];
    };
    expectNear(
      result,
      expected.labels.map((label, i) => ({ label, score: expected.scores[i] })),
    );
  });

  it("fillMask", async () => {
    const filled = await endpoint("tiny-mlm").fillMask({ inputs: "w5 [MASK] w7" });
    expectNear(filled, await run("tiny-mlm", "fill-mask", "w5 [MASK] w7"));
    expect(filled).toHaveLength(5);
  });

  it("questionAnswering", async () => {
    const inputs = { question: "w5 w6", context: "w7 w8 w9 w10 w11" };
    const answer = await endpoint("tiny-qa").questionAnswering({ inputs });
    expectNear(answer, await run("tiny-qa", "question-answering", inputs));
    expect(inputs.context.slice(answer.start, answer.end)).toBe(answer.answer);
  });
});
