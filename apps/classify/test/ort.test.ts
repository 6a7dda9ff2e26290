import { env } from "cloudflare:test";
import { encoderOnnx, generateTinyEncoder } from "@edgeformers/engine/testing";
import { describe, expect, it } from "vitest";
import defaultBuild from "../src/index.js";
import ortBuild from "../src/ort.js";

/**
 * The ORT build (src/ort.ts, wrangler.ort.jsonc) inside workerd: a model configured with
 * `backend: "ort"` runs its ONNX export on onnxruntime-web, and answers what the kernels backend
 * answers from the same weights' safetensors. (routes.test.ts checks the default build's 501.)
 */
const tiny = generateTinyEncoder({
  seed: 5,
  head: "ForTokenClassification",
  numLabels: 3,
  vocabSize: 40,
  maxPositions: 64,
});
const config: Record<string, unknown> = { ...tiny.config, id2label: { 0: "O", 1: "B-PER", 2: "I-PER" } };
const { model: onnx } = encoderOnnx({
  modelType: "bert",
  head: "ForTokenClassification",
  tensors: tiny.tensors,
  prefix: "bert.",
  hiddenSize: config.hidden_size as number,
  numHeads: config.num_attention_heads as number,
  numLayers: config.num_hidden_layers as number,
  layerNormEps: config.layer_norm_eps as number,
  hiddenAct: "gelu",
  padTokenId: 0,
  hasTokenTypes: true,
});
const files = { ...tiny.files, "config.json": JSON.stringify(config), "onnx/model.onnx": onnx };
const MODEL_CONFIG = {
  "ner-ort": { source: "r2:ort/ner/", task: "token-classification", backend: "ort" },
  "ner-kernels": { source: "r2:ort/ner/", task: "token-classification" },
};

async function seed(): Promise<void> {
  for (const [file, content] of Object.entries(files)) await env.MODELS.put(`ort/ner/${file}`, content);
}

const ner = (app: typeof defaultBuild, model: string) =>
  app.request(
    "/v1/ner",
    {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model, inputs: "w5 w6 w7 w8 w9", aggregation_strategy: "none", ignore_labels: [] }),
    },
    { ...env, MODEL_CONFIG },
  );

describe("the classify worker's ORT build", () => {
  it("runs a backend: ort model on onnxruntime-web with the kernels backend's answer", async () => {
    await seed();
    const viaOrt = await ner(ortBuild, "ner-ort");
    expect(viaOrt.status).toBe(200);
    const ortEntities = (await viaOrt.json()) as {
      entity: string;
      word: string;
      start: number;
      end: number;
      score: number;
    }[];
    const kernelEntities = (await (await ner(defaultBuild, "ner-kernels")).json()) as typeof ortEntities;
    expect(ortEntities).toHaveLength(5);
    expect(ortEntities.map(({ entity, word, start, end }) => ({ entity, word, start, end }))).toEqual(
      kernelEntities.map(({ entity, word, start, end }) => ({ entity, word, start, end })),
    );
    for (const [i, e] of ortEntities.entries())
      expect(Math.abs(e.score - (kernelEntities[i]?.score ?? 0))).toBeLessThan(1e-4);
  });
});
