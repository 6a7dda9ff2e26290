/**
 * The real Model2Vec models from the shared fixtures against the reference outputs of the Python
 * model2vec package (model2vec-rs tests/fixtures; inputs from its test_rust_matches_python.rs:
 * "hello world" for embeddings_short.json, "hello" × 1000 joined by spaces for
 * embeddings_vocab_quantized.json).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DirectorySource, loadModelFolder, StaticEmbeddingModel } from "../../src/node.js";
import { fixture } from "../helpers/fixtures.js";

const root = fixture("models", "model2vec");

function maxAbsError(actual: ArrayLike<number>, expected: number[]): number {
  expect(actual.length).toBe(expected.length);
  let max = 0;
  for (let i = 0; i < expected.length; i++) max = Math.max(max, Math.abs(actual[i] - expected[i]));
  return max;
}

function reference(name: string): number[][] {
  return JSON.parse(readFileSync(join(root.path, name), "utf8")) as number[][];
}

describe.skipIf(!root.available)(`Model2Vec fixtures (${root.label})`, () => {
  it("test-model-float32 reproduces embeddings_short.json for 'hello world' within 1e-6", async () => {
    const model = await StaticEmbeddingModel.load(new DirectorySource(join(root.path, "test-model-float32")));
    const [expected] = reference("embeddings_short.json");
    const err = maxAbsError(model.embed("hello world"), expected);
    console.info(`[model2vec] test-model-float32 max abs error ${err.toExponential(3)}`);
    expect(err).toBeLessThan(1e-6);
  });

  it("test-model-vocab-quantized reproduces embeddings_vocab_quantized.json for 'hello' × 1000 within 1e-6", async () => {
    const source = new DirectorySource(join(root.path, "test-model-vocab-quantized"));
    const folder = await loadModelFolder(source);
    expect(folder.weights!.info("mapping")).toMatchObject({ dtype: "I32", shape: [29524] });
    expect(folder.weights!.info("weights")).toMatchObject({ dtype: "F64", shape: [29524] });
    const model = StaticEmbeddingModel.fromFolder(folder);
    expect(model.normalize).toBe(true);
    const [expected] = reference("embeddings_vocab_quantized.json");
    const err = maxAbsError(model.embed(Array(1000).fill("hello").join(" ")), expected);
    console.info(`[model2vec] test-model-vocab-quantized max abs error ${err.toExponential(3)}`);
    expect(err).toBeLessThan(1e-6);
  });

  it("test-model-int8 (I8 table, no scale) stays close to the float32 reference, as model2vec-rs checks", async () => {
    const model = await StaticEmbeddingModel.load(new DirectorySource(join(root.path, "test-model-int8")));
    const [expected] = reference("embeddings_short.json");
    const actual = model.embed("hello world");
    // model2vec-rs asserts a relative error below 1e-1 for the quantised models.
    for (let i = 0; i < expected.length; i++)
      expect(Math.abs(actual[i] - expected[i])).toBeLessThan(0.1 * Math.abs(expected[i]));
    console.info(
      `[model2vec] test-model-int8 max abs error vs float32 reference ${maxAbsError(actual, expected).toExponential(3)}`,
    );
  });

  it("gives unit vectors, and a zero vector for empty input", async () => {
    const model = await StaticEmbeddingModel.load(new DirectorySource(join(root.path, "test-model-vocab-quantized")));
    const v = model.embed("The quick brown fox jumps over the lazy dog");
    expect(Math.hypot(...v)).toBeCloseTo(1, 6);
    expect(Array.from(model.embed("")).every((x) => x === 0)).toBe(true);
  });
});
