// globalSetup of the workerd project, run in Node: the logits Node computes for WORKERD_CASE.
import type { TestProject } from "vitest/node";
import { BundleSource, loadModel } from "../../src/index.js";
import { generateTinyEncoder } from "../../src/testing/tiny-encoder.js";
import { WORKERD_CASE } from "./case.js";
import { ortCase } from "./ort-case.js";

export default async function setup(project: TestProject): Promise<void> {
  const model = await loadModel(new BundleSource(generateTinyEncoder(WORKERD_CASE.options).files));
  project.provide("engineNodeLogits", Array.from((await model.forward(WORKERD_CASE.inputs)).logits.data));
  // The dot int8 kernel, emulated exactly by Node's plain-SIMD build: what workerd runs natively.
  const tiny = generateTinyEncoder(WORKERD_CASE.options);
  const dot = await loadModel(new BundleSource(tiny.files), { dtype: "int8", int8Kernel: "dot" });
  project.provide("engineNodeDotLogits", Array.from((await dot.forward(WORKERD_CASE.inputs)).logits.data));
  // The i16 kernel: what "dot8" (8-bit activations on the byte dot) must reproduce.
  const i16 = await loadModel(new BundleSource(tiny.files), { dtype: "int8", int8Kernel: "i16" });
  project.provide("engineNodeI16Logits", Array.from((await i16.forward(WORKERD_CASE.inputs)).logits.data));
  // onnxruntime-node on the ort case, the oracle of test/workerd/ort-web.test.ts.
  const { files, inputs } = ortCase();
  const onnxruntime = await import("onnxruntime-node");
  const ort = await loadModel(new BundleSource(files), { backend: "ort", onnxruntime });
  const logits = (await ort.forward(inputs)).logits;
  project.provide("ortNodeLogits", { data: Array.from(logits.data), dims: [...logits.dims] });
}
