/**
 * int8 weights: quantised per output channel at load (dtype "int8") or written by quantize() and
 * reloaded, checked by cosine similarity against the f32 onnxruntime oracle.
 */
import { loadKernels } from "@edgeformers/kernels/node";
import { describe, expect, it } from "vitest";
import { BundleSource, type EncoderModelType, loadModel, parseSafetensors, quantize } from "../../src/index.js";
import { generateTinyEncoder } from "../../src/testing/tiny-encoder.js";
import { compareWithOrt, cosine, paddedPairs, runOrt } from "../helpers/ort-compare.js";

const TYPES: EncoderModelType[] = ["bert", "distilbert", "roberta", "xlm-roberta", "electra", "albert"];

/** Cosine over the real (unpadded) tokens only: padding outputs are not meaningful to compare. */
function realTokenCosine(a: Float32Array, b: Float32Array, mask: number[][], width: number): number {
  const pick = (x: Float32Array) => {
    const out: number[] = [];
    mask.flat().forEach((m, i) => {
      if (m === 1) for (let j = 0; j < width; j++) out.push(x[i * width + j]);
    });
    return Float32Array.from(out);
  };
  return cosine(pick(a), pick(b));
}

const CASES = (["i16", "dot"] as const).flatMap((int8Kernel) => TYPES.map((t) => [t, int8Kernel] as const));

describe("dtype int8 (quantised at load) against the f32 onnxruntime oracle", () => {
  // "dot" runs here on the plain build's exact emulation of the relaxed dot product: the same
  // results workerd gets natively, so its precision is checked in Node too.
  it.each(CASES)(
    "%s, %s kernel: last_hidden_state cosine ≥ 0.999, and fewer weight bytes",
    async (modelType, int8Kernel) => {
      const options = {
        seed: 300 + TYPES.indexOf(modelType),
        modelType,
        hiddenSize: 32,
        intermediateSize: 64,
        numHeads: 4,
      };
      const { ours, reference, model } = await compareWithOrt(options, undefined, { dtype: "int8", int8Kernel });
      expect(model.dtype).toBe("int8");
      expect(model.stats().int8Kernel).toBe(int8Kernel);
      const mask = paddedPairs(0, false).attentionMask;
      const whole = cosine(ours.last_hidden_state, reference.last_hidden_state);
      const real = realTokenCosine(ours.last_hidden_state, reference.last_hidden_state, mask, 32);
      console.info(
        `[int8] ${modelType} (${int8Kernel}) last_hidden_state cosine: all positions ${whole.toFixed(6)}, real tokens ${real.toFixed(6)}`,
      );
      expect(whole).toBeGreaterThanOrEqual(0.999);
      expect(whole).toBeLessThan(1); // quantisation really happened
      const f32 = await loadModel(new BundleSource(generateTinyEncoder(options).files));
      expect(model.stats().weightsBytes).toBeLessThan(f32.stats().weightsBytes);
    },
  );

  it.each(TYPES)(
    "%s: the dot8 kernel (8-bit activations on the byte dot) gives the i16 kernel's outputs exactly",
    async (modelType) => {
      const tiny = generateTinyEncoder({
        seed: 330 + TYPES.indexOf(modelType),
        modelType,
        hiddenSize: 32,
        intermediateSize: 64,
        numHeads: 4,
      });
      const input = paddedPairs(0, false);
      const run = async (int8Kernel: "i16" | "dot8") => {
        const model = await loadModel(new BundleSource(tiny.files), { dtype: "int8", int8Kernel });
        expect(model.stats().int8Kernel).toBe(int8Kernel);
        return (await model.forward(input)).last_hidden_state.data;
      };
      const [i16, dot8] = [await run("i16"), await run("dot8")];
      expect(Array.from(dot8)).toEqual(Array.from(i16));
    },
  );

  it("MLM logits of BERT stay within cosine 0.999", async () => {
    const { ours, reference } = await compareWithOrt(
      { seed: 310, head: "ForMaskedLM", hiddenSize: 32, intermediateSize: 64, numHeads: 4 },
      undefined,
      { dtype: "int8" },
    );
    const c = cosine(ours.logits, reference.logits);
    console.info(`[int8] bert ForMaskedLM logits cosine ${c.toFixed(6)}`);
    expect(c).toBeGreaterThanOrEqual(0.999);
  });
});

describe("quantize(store): int8 safetensors with per-row scales, reloadable", () => {
  it("writes I8 matrices + _scale vectors within half a step of the f32 values, and reloads", async () => {
    const options = { seed: 320, head: "ForMaskedLM" as const, hiddenSize: 32, intermediateSize: 64, numHeads: 4 };
    const tiny = generateTinyEncoder(options);
    const store = parseSafetensors(tiny.files["model.safetensors"], "model.safetensors");
    const bytes = await quantize(store, { kernels: loadKernels() });
    const q = parseSafetensors(bytes, "model.safetensors");
    const name = "bert.encoder.layer.0.attention.self.query.weight";
    expect(q.info(name).dtype).toBe("I8");
    expect(q.info(`${name}_scale`)).toMatchObject({ dtype: "F32", shape: [32] });
    expect(q.info("bert.embeddings.word_embeddings.weight").dtype).toBe("I8");
    expect(q.info("bert.embeddings.position_embeddings.weight").dtype).toBe("F32");
    expect(q.info("bert.embeddings.LayerNorm.weight").dtype).toBe("F32");
    // Hand-derived: symmetric per row, scale = max|row| / 127, |w − q·s| ≤ s/2.
    const w = store.float32(name);
    const values = q.view(name, "I8");
    const scales = q.float32(`${name}_scale`);
    for (let r = 0; r < 32; r++) {
      let max = 0;
      for (let c = 0; c < 32; c++) max = Math.max(max, Math.abs(w[r * 32 + c]));
      expect(scales[r]).toBeCloseTo(max / 127, 7);
      for (let c = 0; c < 32; c++) {
        expect(Math.abs(w[r * 32 + c] - values[r * 32 + c] * scales[r])).toBeLessThanOrEqual(scales[r] / 2 + 1e-7);
      }
    }
    expect(bytes.byteLength).toBeLessThan(tiny.files["model.safetensors"].byteLength / 2);

    const model = await loadModel(new BundleSource({ ...tiny.files, "model.safetensors": bytes }));
    const inputs = paddedPairs(0, true);
    const out = await model.forward(inputs);
    const { encoderOnnx } = await import("../../src/testing/encoder-onnx.js");
    const { model: onnx } = encoderOnnx({
      modelType: "bert",
      head: "ForMaskedLM",
      tensors: tiny.tensors,
      prefix: "bert.",
      hiddenSize: 32,
      numHeads: 4,
      numLayers: 2,
      layerNormEps: 1e-12,
      hiddenAct: "gelu",
      padTokenId: 0,
      hasTokenTypes: true,
      batch: 3,
      seq: 7,
    });
    const reference = await runOrt(onnx, inputs);
    const c = cosine(out.logits.data, reference.logits);
    console.info(`[int8] quantize() file reloaded: bert ForMaskedLM logits cosine ${c.toFixed(6)}`);
    expect(c).toBeGreaterThanOrEqual(0.999);
    const f32 = await loadModel(new BundleSource(tiny.files));
    expect(model.stats().weightsBytes).toBeLessThan(f32.stats().weightsBytes);
  });
});
