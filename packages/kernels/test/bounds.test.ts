// Edge tiles must never write outside their output: surround each output with guard bytes in
// raw wasm memory, run the kernel on shapes that are not multiples of the tiles, check guards.
import { describe, expect, it } from "vitest";
import { loadModule } from "../src/node.ts";
import type { KernelExports } from "../src/wasm-exports.ts";
import { randomF32, rng } from "./helpers.ts";

const GUARD = 256;
const SENTINEL = 0xa5;

function rawKernels(): {
  wasm: KernelExports;
  alloc: (bytes: number) => number;
  guard: (ptr: number, bytes: number) => () => void;
} {
  const instance = new WebAssembly.Instance(loadModule("simd"), { env: { abort: () => {} } });
  const wasm = instance.exports as unknown as KernelExports;
  let top = (wasm.heapBase() + 63) & ~63;
  const alloc = (bytes: number): number => {
    const ptr = top + GUARD;
    top = (ptr + bytes + GUARD + 63) & ~63;
    const need = top + 64 - wasm.memory.buffer.byteLength;
    if (need > 0) wasm.memory.grow(Math.ceil(need / 65536));
    return ptr;
  };
  /** Fills the guard bands around [ptr, ptr + bytes) and returns a checker. */
  const guard = (ptr: number, bytes: number) => {
    new Uint8Array(wasm.memory.buffer, ptr - GUARD, GUARD).fill(SENTINEL);
    new Uint8Array(wasm.memory.buffer, ptr + bytes, GUARD).fill(SENTINEL);
    return () => {
      const before = new Uint8Array(wasm.memory.buffer, ptr - GUARD, GUARD);
      const after = new Uint8Array(wasm.memory.buffer, ptr + bytes, GUARD);
      expect(
        before.every((b) => b === SENTINEL),
        "bytes before the output were written",
      ).toBe(true);
      expect(
        after.every((b) => b === SENTINEL),
        "bytes after the output were written",
      ).toBe(true);
    };
  };
  return { wasm, alloc, guard };
}

function put(wasm: KernelExports, ptr: number, data: Float32Array): void {
  new Float32Array(wasm.memory.buffer, ptr, data.length).set(data);
}

describe("kernels write only inside their outputs", () => {
  it("f32 and int8 GEMM edge tiles (M % 4 != 0, N % 8 != 0)", () => {
    const { wasm, alloc, guard } = rawKernels();
    const random = rng(200);
    for (const [m, k, n] of [
      [1, 1, 1],
      [5, 7, 9],
      [13, 33, 15],
      [6, 64, 30],
    ]) {
      const a = alloc(m * k * 4);
      put(wasm, a, randomF32(random, m * k));
      const b = alloc(k * n * 4);
      put(wasm, b, randomF32(random, k * n));
      const packed = alloc(wasm.packedBBytes(k, n));
      wasm.packB(b, k, n, 0, packed);
      const c = alloc(m * n * 4);
      const check = guard(c, m * n * 4);
      wasm.gemmF32(a, packed, c, m, n, k, 0, 0, 1);
      check();

      const q8 = alloc(k * n);
      const scales = alloc(n * 4);
      wasm.quantizeWeights(b, k, n, 0, q8, scales);
      const packed8 = alloc(wasm.packedInt8Bytes(k, n));
      wasm.packInt8(q8, k, n, 0, packed8);
      const q16 = alloc(wasm.quantizedRowsBytes(m, k));
      const rowScales = alloc(m * 4);
      const checkQ = guard(q16, wasm.quantizedRowsBytes(m, k));
      wasm.quantizeRows(a, m, k, 0, q16, rowScales);
      checkQ();
      const out = alloc(m * n * 4);
      const check8 = guard(out, m * n * 4);
      wasm.int8Gemm(q16, rowScales, packed8, scales, 0, out, m, n, k, 0);
      check8();
    }
  });

  it("attention with odd lengths and head_dim, and its scratch", () => {
    const { wasm, alloc, guard } = rawKernels();
    const random = rng(201);
    for (const [lq, lk, heads, d] of [
      [1, 1, 1, 8],
      [5, 13, 2, 12],
      [19, 70, 3, 32],
    ]) {
      const hd = heads * d;
      const q = alloc(lq * hd * 4);
      put(wasm, q, randomF32(random, lq * hd));
      const k = alloc(lk * hd * 4);
      put(wasm, k, randomF32(random, lk * hd));
      const v = alloc(lk * hd * 4);
      put(wasm, v, randomF32(random, lk * hd));
      const out = alloc(lq * hd * 4);
      const scratchBytes = wasm.attentionScratchBytes(lk, d);
      const scratch = alloc(scratchBytes);
      const probs = alloc(heads * lq * lk * 4);
      const checks = [guard(out, lq * hd * 4), guard(scratch, scratchBytes), guard(probs, heads * lq * lk * 4)];
      wasm.attention(q, k, v, out, 1, lq, lk, heads, d, 0.3, 0, 1, 0, probs, scratch);
      for (const check of checks) check();
    }
  });

  it("row kernels with lengths that are not multiples of 4", () => {
    const { wasm, alloc, guard } = rawKernels();
    const random = rng(202);
    const [rows, dim] = [3, 37];
    const x = alloc(rows * dim * 4);
    put(wasm, x, randomF32(random, rows * dim));
    const params = alloc(dim * 4);
    put(wasm, params, randomF32(random, dim));
    const out = alloc(rows * dim * 4);
    const check = guard(out, rows * dim * 4);
    wasm.layerNorm(x, 0, params, params, out, rows, dim, 1e-5);
    wasm.gelu(x, out, rows * dim, 0);
    wasm.softmax(x, out, rows, dim);
    wasm.biasAdd(x, params, out, rows, dim);
    wasm.l2Normalize(x, out, rows, dim, 1e-12);
    check();
    const pooled = alloc(dim * 4);
    const checkPool = guard(pooled, dim * 4);
    wasm.pool(x, 0, pooled, 1, rows, dim, 0);
    checkPool();
  });
});
