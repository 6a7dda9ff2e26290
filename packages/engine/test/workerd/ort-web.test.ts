/**
 * onnxruntime-web inside workerd through `@edgeformers/engine/ort-web`: ort's .wasm is imported as a
 * compiled module (CompiledWasm rule, as wrangler bundles it), `import.meta.url` is no help and
 * `WebAssembly.instantiate(bytes)` is refused, and the logits equal onnxruntime-node's (computed in
 * Node by node-reference.ts) within 1e-5.
 */
import { describe, expect, inject, it } from "vitest";
import { BundleSource, loadModel } from "../../src/index.js";
import { loadOrtWeb } from "../../src/ort-web/workers.js";
import { ortCase } from "./ort-case.js";

describe("onnxruntime-web inside workerd", () => {
  it("refuses to compile wasm from bytes here (why the imported module is needed)", async () => {
    await expect(WebAssembly.instantiate(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]))).rejects.toThrow();
  });

  it("runs a tiny BERT token classifier's ONNX export with onnxruntime-node's logits", async () => {
    const { files, inputs } = ortCase();
    const onnxruntime = await loadOrtWeb();
    expect(onnxruntime.env.wasm.numThreads).toBe(1);
    const model = await loadModel(new BundleSource(files), { backend: "ort", onnxruntime });
    const out = await model.forward(inputs);
    const node = inject("ortNodeLogits");
    expect(out.logits.dims).toEqual(node.dims);
    expect(node.data.length).toBe(3 * 7 * 3);
    let max = 0;
    for (let i = 0; i < node.data.length; i++) max = Math.max(max, Math.abs(out.logits.data[i] - node.data[i]));
    console.info(`[ort-web in workerd] max abs error vs onnxruntime-node: ${max}`);
    expect(max).toBeLessThanOrEqual(1e-5);
  });
});

declare module "vitest" {
  interface ProvidedContext {
    ortNodeLogits: { data: number[]; dims: number[] };
  }
}
