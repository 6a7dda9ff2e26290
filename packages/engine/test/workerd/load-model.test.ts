/**
 * loadModel inside workerd: the main entry resolves "#kernels-runtime" to the Workers loader,
 * which imports the kernels' .wasm as a module (no compiling bytes at request time), and the
 * outputs equal Node's for the same generated model (computed in vitest.config.ts).
 */
import { env } from "cloudflare:test";
import { describe, expect, inject, it } from "vitest";
import { BundleSource, loadModel, R2Source } from "../../src/index.js";
import { generateTinyEncoder } from "../../src/testing/tiny-encoder.js";
import { WORKERD_CASE } from "./case.js";

describe("loadModel inside workerd", () => {
  it("runs a tiny RoBERTa sequence classifier from R2 with the same logits as Node", async () => {
    const tiny = generateTinyEncoder(WORKERD_CASE.options);
    for (const [name, content] of Object.entries(tiny.files)) await env.MODELS.put(`tiny-roberta/${name}`, content);
    const model = await loadModel(new R2Source(env.MODELS, { prefix: "tiny-roberta/", name: "MODELS" }));
    const out = await model.forward(WORKERD_CASE.inputs);
    const node = inject("engineNodeLogits");
    expect(out.logits.dims).toEqual([2, 3]);
    expect(node).toHaveLength(6);
    for (let i = 0; i < node.length; i++) expect(Math.abs(out.logits.data[i] - node[i])).toBeLessThan(1e-5);
    // And from a bundle, int8 too (quantised at load with the kernels' routines): workerd runs the
    // relaxed-SIMD byte dot product natively, so "auto" picks it, with Node's (emulated) results.
    const int8 = await loadModel(new BundleSource(tiny.files), { dtype: "int8" });
    expect(int8.stats().int8Kernel).toBe("dot");
    const logits = (await int8.forward(WORKERD_CASE.inputs)).logits;
    expect(logits.dims).toEqual([2, 3]);
    const dot = inject("engineNodeDotLogits");
    for (let i = 0; i < dot.length; i++) expect(Math.abs(logits.data[i] - dot[i])).toBeLessThan(1e-5);
    // "dot8": 8-bit activations on the native byte dot, Node's i16 results (the f32 parts of the
    // two builds differ in the last bits: fused multiply-add in workerd's relaxed build).
    const dot8 = await loadModel(new BundleSource(tiny.files), { dtype: "int8", int8Kernel: "dot8" });
    const logits8 = (await dot8.forward(WORKERD_CASE.inputs)).logits;
    const i16 = inject("engineNodeI16Logits");
    for (let i = 0; i < i16.length; i++) expect(Math.abs(logits8.data[i] - i16[i])).toBeLessThan(1e-5);
    expect(Array.from(logits8.data)).not.toEqual(Array.from(logits.data)); // not the 7-bit path
  });
});

declare module "vitest" {
  interface ProvidedContext {
    engineNodeLogits: number[];
    engineNodeDotLogits: number[];
    engineNodeI16Logits: number[];
  }
}
