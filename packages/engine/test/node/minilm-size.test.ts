/**
 * A model of MiniLM-L6's shape (vocab 30522, hidden 384, 6 layers, 12 heads, intermediate 1536;
 * random weights) under the default 100 MiB budget: what the memory accounting and batching do at
 * the size a Worker actually serves, f32 and int8.
 */
import { describe, expect, it } from "vitest";
import { BundleSource, DEFAULT_MEMORY_BUDGET_BYTES, loadModel } from "../../src/index.js";
import { generateTinyEncoder, MINILM_L6_SHAPE } from "../../src/testing/tiny-encoder.js";
import { cosine } from "../helpers/ort-compare.js";

describe("MiniLM-L6-sized BERT under the default memory budget", () => {
  it("f32 fits, a batch of 6 × 128 tokens is split to stay inside, int8 is 2.6× (i16) or 3.8× (dot) smaller and close", {
    timeout: 120_000,
  }, async () => {
    // weightStd: BERT's initializer_range; at this width 0.2 would saturate every softmax.
    const tiny = generateTinyEncoder({ seed: 400, ...MINILM_L6_SHAPE, weightStd: 0.02 });
    const source = new BundleSource(tiny.files);
    const f32 = await loadModel(source);
    const rows = Array.from({ length: 6 }, (_, b) =>
      Array.from({ length: 128 }, (_, s) => (s === 0 ? 2 : s === 127 ? 3 : 5 + ((b * 131 + s * 17) % 30000))),
    );
    const a = await f32.forward({ inputIds: rows });
    const s = f32.stats();
    console.info(`[minilm-size] f32 stats ${JSON.stringify(s)}`);
    expect(s.budgetBytes).toBe(DEFAULT_MEMORY_BUDGET_BYTES);
    expect(s.weightsBytes).toBeGreaterThan(85e6);
    expect(s.weightsBytes).toBeLessThan(DEFAULT_MEMORY_BUDGET_BYTES);
    expect(s.batches).toBeGreaterThan(1);
    expect(s.peakBytes).toBeLessThanOrEqual(s.budgetBytes);

    const int8 = await loadModel(source, { dtype: "int8" });
    const b = await int8.forward({ inputIds: rows });
    const s8 = int8.stats();
    console.info(`[minilm-size] int8 stats ${JSON.stringify(s8)}`);
    // Measured wasm memory: the i16 path widens the 10.6 M Linear weights to 2 bytes each (21 MB),
    // the word embeddings stay int8 in JS (11.7 MB); the dot path packs 1 byte per weight.
    expect(s8.int8Kernel).toBe("i16");
    expect(s8.weightsBytes).toBeLessThan(s.weightsBytes / 2.5);
    const dot = await loadModel(source, { dtype: "int8", int8Kernel: "dot" });
    expect(dot.stats().weightsBytes).toBeLessThan(s.weightsBytes / 3.5);
    expect(dot.stats().weightsBytes).toBeLessThan(s8.weightsBytes - 10e6);
    // Quantising the 30522-row embedding table went through the arena in slices, not all at once.
    expect(s8.arenaBytes).toBeLessThan(16 * 1024 * 1024);
    expect(s8.batches).toBe(1);
    const c = cosine(a.last_hidden_state.data, b.last_hidden_state.data);
    console.info(`[minilm-size] int8 vs f32 last_hidden_state cosine ${c.toFixed(5)}`);
    expect(c).toBeGreaterThan(0.999);
  });
});
