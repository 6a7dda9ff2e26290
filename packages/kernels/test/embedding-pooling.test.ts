import { describe, expect, it } from "vitest";
import { loadKernels } from "../src/node.ts";
import { referenceEmbed } from "../src/reference/embedding.ts";
import { referencePool } from "../src/reference/pooling.ts";
import { expectClose, randomF32, rng } from "./helpers.ts";

const kernels = loadKernels();

describe("embedding gather", () => {
  const random = rng(40);
  const [vocab, maxPos, types, dim] = [50, 20, 2, 37];
  const tables = {
    word: randomF32(random, vocab * dim),
    position: randomF32(random, maxPos * dim),
    tokenType: randomF32(random, types * dim),
  };
  const uploaded = kernels.uploadEmbeddings({ dim, ...tables });

  it("word + position + token type matches the reference", () => {
    const [batch, seq] = [3, 11];
    const ids = new Int32Array(batch * seq).map(() => Math.floor(random() * vocab));
    const typeIds = new Int32Array(batch * seq).map((_, i) => (i % seq > 5 ? 1 : 0));
    expectClose(
      kernels.embed(uploaded, ids, { batch, seq, tokenTypeIds: typeIds }),
      referenceEmbed(ids, batch, seq, dim, tables, typeIds),
    );
    expectClose(
      kernels.embed(uploaded, ids, { batch, seq, positionOffset: 2 }),
      referenceEmbed(ids, batch, seq, dim, tables, undefined, 2),
    );
  });

  it("rejects out-of-range ids and over-long sequences", () => {
    expect(() => kernels.embed(uploaded, new Int32Array([1, 50]), { batch: 1, seq: 2 })).toThrow(
      /inputIds\[1\] = 50 is out of range for the word embedding table with 50 rows/,
    );
    expect(() => kernels.embed(uploaded, new Int32Array(21), { batch: 1, seq: 21 })).toThrow(
      /exceeds the 20 position embeddings/,
    );
    expect(() =>
      kernels.embed(uploaded, new Int32Array(2), { batch: 1, seq: 2, tokenTypeIds: new Int32Array([0, 2]) }),
    ).toThrow(/tokenTypeIds\[1\] = 2/);
    expect(() => kernels.uploadEmbeddings({ dim, word: new Float32Array(dim * 2 + 1) })).toThrow(
      /not a non-zero multiple of dim=37/,
    );
  });
});

describe("pooling", () => {
  it.each(["mean", "max", "cls"] as const)(
    "%s pooling matches the reference; an all-padding sequence pools to zeros",
    (mode) => {
      const random = rng(41);
      const [batch, seq, dim] = [3, 13, 29];
      const hidden = randomF32(random, batch * seq * dim);
      const mask = new Int32Array(batch * seq).map((_, i) => (i < seq ? 1 : i < 2 * seq ? (i % seq < 5 ? 1 : 0) : 0));
      const got = kernels.pool(hidden, mode, { batch, seq, dim, mask });
      expectClose(got, referencePool(hidden, mode, batch, seq, dim, mask));
      if (mode !== "cls") expect(got.subarray(2 * dim).every((x) => x === 0)).toBe(true);
      expectClose(kernels.pool(hidden, mode, { batch, seq, dim }), referencePool(hidden, mode, batch, seq, dim));
    },
  );

  it("rejects bad masks", () => {
    expect(() =>
      kernels.pool(new Float32Array(12), "mean", { batch: 2, seq: 3, dim: 2, mask: new Uint8Array(5) }),
    ).toThrow(/mask has length 5, expected 6/);
    expect(() => kernels.pool(new Float32Array(12), "sum" as "mean", { batch: 2, seq: 3, dim: 2 })).toThrow(
      /mode must be/,
    );
  });
});
