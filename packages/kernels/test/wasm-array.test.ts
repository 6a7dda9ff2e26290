import { describe, expect, it } from "vitest";
import { loadKernels } from "../src/node.ts";
import { referenceGemm } from "../src/reference/gemm.ts";
import { WasmArray } from "../src/wasm-array.ts";
import { expectClose, randomF32, rng } from "./helpers.ts";

const kernels = loadKernels();

describe("WasmArray: kernels chained in wasm memory", () => {
  it("a BERT layer's chain of kernels on WasmArrays gives the Float32Array results bit for bit", () => {
    const random = rng(60);
    const [batch, seq, heads, headDim] = [2, 11, 3, 8];
    const [rows, h, ffn] = [batch * seq, heads * headDim, 37];
    const x = randomF32(random, rows * h);
    const wq = kernels.packMatrix(randomF32(random, h * h, 0.3), { k: h, n: h });
    const w1 = kernels.packMatrix(randomF32(random, h * ffn, 0.3), { k: h, n: ffn });
    const w2 = kernels.packMatrix(randomF32(random, ffn * h, 0.3), { k: ffn, n: h });
    const q8 = kernels.packInt8Matrix(kernels.quantizeWeights(randomF32(random, h * h), { k: h, n: h }), {
      k: h,
      n: h,
    });
    const gamma = randomF32(random, h);
    const beta = randomF32(random, h);
    const bias = randomF32(random, ffn);
    const mask = new Uint8Array(batch * seq).fill(1).fill(0, seq + 7);
    const attn = { batch, qLen: seq, heads, headDim, keyPaddingMask: mask };

    const q = kernels.gemm(x, wq, { m: rows });
    const context = kernels.attention(q, x, x, attn).output;
    const y = kernels.layerNorm(kernels.int8Gemm(context, q8, { m: rows }), gamma, beta, { rows, residual: x });
    const hidden = kernels.gemm(y, w1, { m: rows, bias, activation: "gelu" });
    const want = kernels.layerNorm(kernels.gemm(hidden, w2, { m: rows, residual: y }), gamma, beta, { rows });

    const { got, xAfter, scratchInside } = kernels.withArrays((s) => {
      const xa = s.upload(x);
      const qa = kernels.gemm(xa, wq, { m: rows, out: s.array(rows * h) });
      const ctx = kernels.attention(qa, xa, xa, { ...attn, out: s.array(rows * h) }).output;
      const ya = kernels.int8Gemm(ctx, q8, { m: rows, out: ctx }); // out may be a: quantized first
      kernels.layerNorm(ya, gamma, beta, { rows, residual: xa, out: ya }); // in place
      const ha = kernels.gemm(ya, w1, { m: rows, bias, activation: "gelu", out: s.array(rows * ffn) });
      const za = kernels.gemm(ha, w2, { m: rows, residual: ya, out: ya }); // out may be the residual
      kernels.layerNorm(za, gamma, beta, { rows, out: za });
      expect(za).toBeInstanceOf(WasmArray);
      return { got: za.read(), xAfter: xa.read(), scratchInside: kernels.memory.stats().scratchBytes };
    });
    expect(got).toEqual(want);
    expect(xAfter).toEqual(x); // kernels never write their inputs
    expect(scratchInside).toBeGreaterThan(0);
    expect(kernels.memory.stats().scratchBytes).toBe(0); // released with the scope
  });

  it("survives memory growth inside the scope (pointers stay, views are made fresh)", () => {
    const random = rng(61);
    const [m, k, n] = [5, 9, 7];
    const a = randomF32(random, m * k);
    const b = randomF32(random, k * n);
    const packed = kernels.packMatrix(b, { k, n });
    const got = kernels.withArrays((s) => {
      const aa = s.upload(a);
      const before = kernels.memory.stats().memoryBytes;
      s.array(8 << 20); // 32 MB: grows the memory, detaching every earlier view
      expect(kernels.memory.stats().memoryBytes).toBeGreaterThan(before);
      return kernels.gemm(aa, packed, { m, out: s.array(m * n) }).read();
    });
    expectClose(got, referenceGemm({ a, b, m, k, n }));
  });

  it("row blocks with subarray, read into a given array, write at an offset", () => {
    const random = rng(62);
    const [m, k, n] = [6, 5, 4];
    const a = randomF32(random, m * k);
    const packed = kernels.packMatrix(randomF32(random, k * n), { k, n });
    const want = kernels.gemm(a, packed, { m });
    const got = new Float32Array(m * n);
    kernels.withArrays((s) => {
      const aa = s.array(m * k);
      aa.write(a.subarray(0, 10));
      aa.write(a.subarray(10), 10);
      const c = s.array(m * n);
      kernels.gemm(aa.subarray(0, 3 * k), packed, { m: 3, out: c.subarray(0, 3 * n) });
      kernels.gemm(aa.subarray(3 * k, m * k), packed, { m: 3, out: c.subarray(3 * n, m * n) });
      c.read(got);
    });
    expect(got).toEqual(want);
  });

  it("refuses overlapping outputs, ended scopes, foreign arrays, wrong lengths and async callbacks", () => {
    const [m, k] = [4, 8];
    const packed = kernels.packMatrix(new Float32Array(k * k), { k, n: k });
    let escaped: WasmArray | undefined;
    kernels.withArrays((s) => {
      const a = s.array(m * k);
      expect(() => kernels.gemm(a, packed, { m, out: a })).toThrow(/out must not overlap a/);
      const big = s.array(2 * m * k);
      expect(() => kernels.gemm(big.subarray(0, m * k), packed, { m, out: big.subarray(8, 8 + m * k) })).toThrow(
        /out must not overlap a/,
      );
      expect(() =>
        kernels.attention(a, a, a, { batch: 1, qLen: m, heads: 1, headDim: k, out: a.subarray(0, m * k) }),
      ).toThrow(/out must not overlap q/);
      const norm = [new Float32Array(k), new Float32Array(k)] as const;
      // LayerNorm may write over x exactly, not over x shifted by a few elements.
      expect(() =>
        kernels.layerNorm(big.subarray(0, m * k), ...norm, { rows: m, out: big.subarray(4, 4 + m * k) }),
      ).toThrow(/out must not overlap x/);
      expect(() => kernels.gemm(s.array(m * k + 1), packed, { m })).toThrow(
        /a has length 33, expected 32 \(\[m=4, k=8\]\)/,
      );
      const other = loadKernels();
      other.withArrays((t) => {
        expect(() => kernels.gemm(t.array(m * k), packed, { m })).toThrow(
          /a is a WasmArray of a different Kernels instance/,
        );
      });
      expect(() => a.subarray(0, m * k + 1)).toThrow(RangeError);
      escaped = a;
    });
    expect(() => escaped?.read()).toThrow(/withArrays scope has ended/);
    expect(() => kernels.gemm(escaped as WasmArray, packed, { m })).toThrow(/whose withArrays scope has ended/);
    expect(() => kernels.withArrays(async () => 1)).toThrow(/must be synchronous/);
    expect(kernels.memory.stats().scratchBytes).toBe(0);
  });
});
