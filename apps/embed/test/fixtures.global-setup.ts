/**
 * Runs in Node before the workerd tests: reads the real Model2Vec fixture and the reference
 * output of the Python `model2vec` package, and provides them to the tests inside workerd.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { TestProject } from "vitest/node";

export interface Model2VecFixture {
  /** file name → base64 bytes (provide() needs structured-cloneable data). */
  files: Record<string, string>;
  reference: number[];
}

declare module "vitest" {
  export interface ProvidedContext {
    model2vec: Model2VecFixture | { skipped: string };
  }
}

export default function setup(project: TestProject): void {
  const fixtures = resolve(process.env.FIXTURES_DIR ?? resolve(import.meta.dirname, "../../../../shared/fixtures"));
  const dir = join(fixtures, "models", "model2vec");
  if (!existsSync(dir)) {
    project.provide("model2vec", { skipped: `fixtures not found at ${dir} (set FIXTURES_DIR)` });
    return;
  }
  const model = join(dir, "test-model-vocab-quantized");
  const files: Record<string, string> = {};
  for (const file of ["config.json", "tokenizer.json", "model.safetensors", "modules.json"]) {
    if (existsSync(join(model, file))) files[file] = readFileSync(join(model, file)).toString("base64");
  }
  const [reference] = JSON.parse(readFileSync(join(dir, "embeddings_vocab_quantized.json"), "utf8")) as number[][];
  project.provide("model2vec", { files, reference: reference as number[] });
}
