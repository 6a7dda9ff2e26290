import { env } from "cloudflare:test";
import { encoderOnnx, generateTinyEncoder, sentenceTransformersFiles } from "@edgeformers/engine/testing";
import { describe, expect, it } from "vitest";
import ortBuild from "../src/ort.js";

/**
 * The ORT build (src/ort.ts, wrangler.ort.jsonc) inside workerd: an encoder configured with
 * `backend: "ort"` runs its ONNX export on onnxruntime-web and embeds what the kernels backend
 * embeds from the same weights' safetensors.
 */
const tiny = generateTinyEncoder({ seed: 9, vocabSize: 40, maxPositions: 64 });
const config = tiny.config as Record<string, number>;
const { model: onnx } = encoderOnnx({
  modelType: "bert",
  head: "base",
  tensors: tiny.tensors,
  prefix: "",
  hiddenSize: config.hidden_size as number,
  numHeads: config.num_attention_heads as number,
  numLayers: config.num_hidden_layers as number,
  layerNormEps: config.layer_norm_eps as number,
  hiddenAct: "gelu",
  padTokenId: 0,
  hasTokenTypes: true,
});
const files = { ...tiny.files, ...sentenceTransformersFiles(config.hidden_size as number), "onnx/model.onnx": onnx };
const MODEL_CONFIG = {
  "st-ort": { source: "r2:ort/st/", task: "feature-extraction", backend: "ort" },
  "st-kernels": { source: "r2:ort/st/", task: "feature-extraction" },
};

const embed = (model: string) =>
  ortBuild.request(
    "/v1/embeddings",
    {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model, input: ["w5 w6 w7", "w8"] }),
    },
    { ...env, MODEL_CONFIG },
  );

describe("the embed worker's ORT build", () => {
  it("embeds with a backend: ort encoder on onnxruntime-web as the kernels backend does", async () => {
    for (const [file, content] of Object.entries(files)) await env.MODELS.put(`ort/st/${file}`, content);
    const viaOrt = await embed("st-ort");
    expect(viaOrt.status).toBe(200);
    const ort = (await viaOrt.json()) as { data: { embedding: number[] }[] };
    const kernels = (await (await embed("st-kernels")).json()) as typeof ort;
    for (const [i, row] of ort.data.entries()) {
      const other = kernels.data[i]?.embedding ?? [];
      expect(row.embedding).toHaveLength(other.length);
      expect(Math.max(...row.embedding.map((v, k) => Math.abs(v - (other[k] as number))))).toBeLessThan(1e-5);
    }
  });
});
