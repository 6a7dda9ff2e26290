// globalSetup of the workerd project, run in Node: the logits Node computes for WORKERD_CASE.
import type { TestProject } from "vitest/node";
import { BundleSource, loadModel } from "../../src/index.js";
import { generateTinyEncoder } from "../../src/testing/tiny-encoder.js";
import { WORKERD_CASE } from "./case.js";

export default async function setup(project: TestProject): Promise<void> {
  const model = await loadModel(new BundleSource(generateTinyEncoder(WORKERD_CASE.options).files));
  project.provide("engineNodeLogits", Array.from((await model.forward(WORKERD_CASE.inputs)).logits.data));
}
