/**
 * The real engine end to end: `loadModel` on the shared Model2Vec fixtures (static backend) through
 * feature-extraction must reproduce the Python model2vec / sentence-transformers reference
 * embeddings ("hello world" → embeddings_short.json; "hello" × 1000 → embeddings_vocab_quantized.json,
 * the inputs of model2vec-rs' test_rust_matches_python.rs). This checks the PipelineModel contract
 * against the engine's actual model, and that StaticEmbedding inputs carry no special tokens.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { PipelineModel } from "../src/model.js";
import { featureExtraction } from "../src/tasks/feature-extraction.js";
import { fixture, needsFixtures } from "./helpers.js";

interface EngineNode {
  loadModel(source: unknown): Promise<PipelineModel>;
  DirectorySource: new (dir: string) => unknown;
}

// Imported by a computed name so the engine's sources (WebAssembly, Workers types) stay out of this
// package's typecheck; at run time the workspace link resolves it.
const ENGINE = "@edgeformers/engine/node";
const root = fixture("models", "model2vec");

function maxAbsError(actual: number[], expected: number[]): number {
  expect(actual).toHaveLength(expected.length);
  return Math.max(...actual.map((x, i) => Math.abs(x - expected[i])));
}

describe("engine integration (Model2Vec fixtures)", () => {
  it.skipIf(!root)(
    needsFixtures("feature-extraction on loadModel reproduces the Python references within 1e-6", root),
    async () => {
      if (!root) return;
      const engine = (await import(/* @vite-ignore */ ENGINE)) as EngineNode;
      const reference = (name: string) => (JSON.parse(readFileSync(join(root, name), "utf8")) as number[][])[0];

      const float32 = await engine.loadModel(new engine.DirectorySource(join(root, "test-model-float32")));
      const short = (await featureExtraction(float32, "hello world")) as number[];
      expect(maxAbsError(short, reference("embeddings_short.json"))).toBeLessThan(1e-6);

      const quantized = await engine.loadModel(new engine.DirectorySource(join(root, "test-model-vocab-quantized")));
      const long = (await featureExtraction(quantized, Array(1000).fill("hello").join(" "))) as number[];
      expect(maxAbsError(long, reference("embeddings_vocab_quantized.json"))).toBeLessThan(1e-6);

      // Matryoshka cut + normalize_embeddings (64 → 8 dims): the first 8 values, renormalised.
      const cut = (await featureExtraction(quantized, Array(1000).fill("hello").join(" "), {
        dimensions: 8,
        normalize: true,
      })) as number[];
      const head = reference("embeddings_vocab_quantized.json").slice(0, 8);
      const norm = Math.hypot(...head);
      expect(
        maxAbsError(
          cut,
          head.map((x) => x / norm),
        ),
      ).toBeLessThan(1e-6);
    },
  );
});
