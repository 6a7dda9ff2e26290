// Every kernel against onnxruntime-node (1 thread) running the equivalent standard ONNX graph.
import { describe, expect, it } from "vitest";
import { loadKernels } from "../src/node.ts";
import { referenceDequantize, referenceQuantizeRows } from "../src/reference/int8-gemm.ts";
import { expectClose, randomF32, rng } from "./helpers.ts";
import { GraphBuilder } from "./onnx-builder.ts";
import { f32, runOnnx } from "./ort.ts";

const kernels = loadKernels();

/** x/2·(1+erf(x/√2)) as plain ONNX ops (what exporters emit for nn.GELU()). */
function geluErfNodes(g: GraphBuilder, x: string): string {
  const erf = g.node("Erf", [g.node("Div", [x, g.scalar(Math.SQRT2)])]);
  return g.node("Mul", [g.node("Mul", [x, g.node("Add", [erf, g.scalar(1)])]), g.scalar(0.5)]);
}

/** x/2·(1+tanh(√(2/π)(x+0.044715x³))) as plain ONNX ops. */
function geluTanhNodes(g: GraphBuilder, x: string): string {
  const cube = g.node("Mul", [g.node("Mul", [x, x]), x]);
  const inner = g.node("Mul", [
    g.node("Add", [x, g.node("Mul", [cube, g.scalar(0.044715)])]),
    g.scalar(Math.sqrt(2 / Math.PI)),
  ]);
  const tanh = g.node("Tanh", [inner]);
  return g.node("Mul", [g.node("Mul", [x, g.node("Add", [tanh, g.scalar(1)])]), g.scalar(0.5)]);
}

describe("f32 gemm vs onnxruntime", () => {
  it("MatMul with odd shapes", async () => {
    const random = rng(100);
    const [m, k, n] = [37, 61, 29];
    const a = randomF32(random, m * k);
    const b = randomF32(random, k * n);
    const g = new GraphBuilder();
    g.node("MatMul", [g.input("A", "float32", [m, k]), g.constant("float32", [k, n], b)], {
      outputs: [g.output("Y", "float32", [m, n])],
    });
    const { Y } = await runOnnx(g.build(), { A: f32(a, [m, k]) });
    expectClose(kernels.gemm(a, kernels.packMatrix(b, { k, n }), { m }), Y.data as Float32Array);
  });

  it("Gemm(transB=1) + bias, then Erf GELU, then residual Add", async () => {
    const random = rng(101);
    const [m, k, n] = [19, 96, 45];
    const a = randomF32(random, m * k);
    const w = randomF32(random, n * k, 0.2); // [N, K] like nn.Linear
    const bias = randomF32(random, n);
    const residual = randomF32(random, m * n);
    const g = new GraphBuilder();
    const y = g.node(
      "Gemm",
      [g.input("A", "float32", [m, k]), g.constant("float32", [n, k], w), g.constant("float32", [n], bias)],
      { attributes: { transB: { int: 1 } } },
    );
    g.node("Add", [geluErfNodes(g, y), g.input("R", "float32", [m, n])], {
      outputs: [g.output("Y", "float32", [m, n])],
    });
    const { Y } = await runOnnx(g.build(), { A: f32(a, [m, k]), R: f32(residual, [m, n]) });
    const got = kernels.gemm(a, kernels.packMatrix(w, { k, n, transposed: true }), {
      m,
      bias,
      activation: "gelu",
      residual,
    });
    expectClose(got, Y.data as Float32Array);
  });

  it("MatMul + Add bias + tanh GELU", async () => {
    const random = rng(102);
    const [m, k, n] = [8, 40, 24];
    const a = randomF32(random, m * k, 2);
    const b = randomF32(random, k * n);
    const bias = randomF32(random, n);
    const g = new GraphBuilder();
    const y = g.node("Add", [
      g.node("MatMul", [g.input("A", "float32", [m, k]), g.constant("float32", [k, n], b)]),
      g.constant("float32", [n], bias),
    ]);
    g.node("Identity", [geluTanhNodes(g, y)], { outputs: [g.output("Y", "float32", [m, n])] });
    const { Y } = await runOnnx(g.build(), { A: f32(a, [m, k]) });
    expectClose(
      kernels.gemm(a, kernels.packMatrix(b, { k, n }), { m, bias, activation: "gelu_tanh" }),
      Y.data as Float32Array,
    );
  });
});

describe("int8 gemm vs onnxruntime MatMulInteger", () => {
  it("i32 accumulators are identical; dequantized output bit-exact from ORT's integers", async () => {
    const random = rng(110);
    const [m, k, n] = [23, 131, 37];
    const a = randomF32(random, m * k, 3);
    const w = randomF32(random, k * n, 0.1);
    const bias = randomF32(random, n);
    const qw = kernels.quantizeWeights(w, { k, n });
    const packed = kernels.packInt8Matrix(qw, { k, n });
    const qa = referenceQuantizeRows(a, m, k);
    // ORT takes u8 activations: shift the symmetric int8 values by a zero point of 128.
    const au8 = Uint8Array.from(qa.values, (v) => v + 128);
    const g = new GraphBuilder();
    g.node(
      "MatMulInteger",
      [
        g.input("A", "uint8", [m, k]),
        g.constant("int8", [k, n], qw.values),
        g.constant("uint8", [], new Uint8Array([128])),
      ],
      {
        outputs: [g.output("Y", "int32", [m, n])],
      },
    );
    const { Y } = await runOnnx(g.build(), { A: { type: "uint8", data: au8, dims: [m, k] } });
    const ortAcc = Y.data as Int32Array;
    expect(kernels.int8GemmAccumulators(a, packed, { m })).toEqual(ortAcc);
    expect(kernels.int8MatMul(qa.values, packed, { m })).toEqual(ortAcc);
    // The byte-dot path with 8-bit activations: the same integers.
    const packedDot8 = kernels.packInt8DotMatrix(qw, { k, n });
    expect(kernels.int8DotMatMul(qa.values, packedDot8, { m, activationBits: 8 })).toEqual(ortAcc);
    expect(kernels.int8DotGemmAccumulators(a, packedDot8, { m, activationBits: 8 })).toEqual(ortAcc);
    expect(kernels.int8DotGemm(a, packedDot8, { m, bias, activationBits: 8 })).toEqual(
      referenceDequantize(ortAcc, qa.scales, qw.scales, m, n, bias),
    );
    // The 7-bit path on the same weights: ORT's MatMulInteger on 7-bit activations.
    const qa7 = referenceQuantizeRows(a, m, k, 63);
    const { Y: Y7 } = await runOnnx(g.build(), {
      A: { type: "uint8", data: Uint8Array.from(qa7.values, (v) => v + 128), dims: [m, k] },
    });
    const packedDot = kernels.packInt8DotMatrix(qw, { k, n });
    expect(kernels.int8DotMatMul(qa7.values, packedDot, { m })).toEqual(Y7.data);
    expect(kernels.int8DotGemmAccumulators(a, packedDot, { m })).toEqual(Y7.data);
    expect(kernels.int8DotGemm(a, packedDot, { m, bias })).toEqual(
      referenceDequantize(Y7.data as Int32Array, qa7.scales, qw.scales, m, n, bias),
    );
    expect(kernels.int8Gemm(a, packed, { m, bias })).toEqual(
      referenceDequantize(ortAcc, qa.scales, qw.scales, m, n, bias),
    );
  });
});

describe("attention vs onnxruntime MatMul–Softmax–MatMul", () => {
  async function ortAttention(
    q: Float32Array,
    k: Float32Array,
    v: Float32Array,
    o: {
      batch: number;
      qLen: number;
      kLen: number;
      heads: number;
      headDim: number;
      mask?: Uint8Array;
      bias?: Float32Array;
      causal?: boolean;
    },
  ) {
    const { batch, qLen, kLen, heads, headDim } = o;
    const hd = heads * headDim;
    const g = new GraphBuilder();
    const split = (x: string, len: number, perm: number[]) =>
      g.node("Transpose", [g.node("Reshape", [x, g.int64s([batch, len, heads, headDim])])], {
        attributes: { perm: { ints: perm } },
      });
    const qh = split(g.input("Q", "float32", [batch, qLen, hd]), qLen, [0, 2, 1, 3]);
    const kt = split(g.input("K", "float32", [batch, kLen, hd]), kLen, [0, 2, 3, 1]);
    const vh = split(g.input("V", "float32", [batch, kLen, hd]), kLen, [0, 2, 1, 3]);
    let scores = g.node("Mul", [g.node("MatMul", [qh, kt]), g.scalar(1 / Math.sqrt(headDim))]);
    // Masks as additive -Infinity terms (broadcast over heads / batch).
    const additive = new Float32Array(batch * qLen * kLen);
    for (let b = 0; b < batch; b++)
      for (let i = 0; i < qLen; i++)
        for (let j = 0; j < kLen; j++)
          if ((o.mask && o.mask[b * kLen + j] === 0) || (o.causal && j > i))
            additive[(b * qLen + i) * kLen + j] = -Infinity;
    scores = g.node("Add", [scores, g.constant("float32", [batch, 1, qLen, kLen], additive)]);
    if (o.bias) scores = g.node("Add", [scores, g.constant("float32", [heads, qLen, kLen], o.bias)]);
    const probs = g.node("Softmax", [scores], {
      attributes: { axis: { int: -1 } },
      outputs: [g.output("P", "float32", [batch, heads, qLen, kLen])],
    });
    const ctx = g.node("Transpose", [g.node("MatMul", [probs, vh])], { attributes: { perm: { ints: [0, 2, 1, 3] } } });
    g.node("Reshape", [ctx, g.int64s([batch, qLen, hd])], { outputs: [g.output("Y", "float32", [batch, qLen, hd])] });
    const r = await runOnnx(g.build(), {
      Q: f32(q, [batch, qLen, hd]),
      K: f32(k, [batch, kLen, hd]),
      V: f32(v, [batch, kLen, hd]),
    });
    return { output: r.Y.data as Float32Array, probabilities: r.P.data as Float32Array };
  }

  it.each([
    { name: "self, mask, head_dim 64", batch: 2, qLen: 45, kLen: 45, heads: 3, headDim: 64, masked: true },
    { name: "cross, bias, head_dim 96", batch: 1, qLen: 7, kLen: 33, heads: 2, headDim: 96, bias: true },
    { name: "causal, head_dim 32, one head", batch: 1, qLen: 70, kLen: 70, heads: 1, headDim: 32, causal: true },
    { name: "seq 1, head_dim 128", batch: 2, qLen: 1, kLen: 1, heads: 4, headDim: 128 },
  ])("$name", async ({ batch, qLen, kLen, heads, headDim, masked, bias: withBias, causal }) => {
    const random = rng(120 + qLen);
    const hd = heads * headDim;
    const q = randomF32(random, batch * qLen * hd, 2);
    const k = randomF32(random, batch * kLen * hd, 2);
    const v = randomF32(random, batch * kLen * hd);
    const mask = masked
      ? new Uint8Array(batch * kLen).map((_, i) => (i % kLen < kLen - 3 * (1 + Math.floor(i / kLen)) ? 1 : 0))
      : undefined;
    const bias = withBias ? randomF32(random, heads * qLen * kLen, 2) : undefined;
    const want = await ortAttention(q, k, v, { batch, qLen, kLen, heads, headDim, mask, bias, causal });
    const got = kernels.attention(q, k, v, {
      batch,
      qLen,
      kLen,
      heads,
      headDim,
      keyPaddingMask: mask,
      bias,
      causal,
      returnProbabilities: true,
    });
    expectClose(got.output, want.output);
    expectClose(got.probabilities ?? [], want.probabilities);
  });
});

describe("normalisation and element-wise ops vs onnxruntime", () => {
  it("Add + LayerNormalization (opset 17)", async () => {
    const random = rng(130);
    const [rows, dim] = [11, 389];
    const x = randomF32(random, rows * dim, 4);
    const r = randomF32(random, rows * dim, 2);
    const gamma = randomF32(random, dim);
    const beta = randomF32(random, dim);
    const g = new GraphBuilder();
    const sum = g.node("Add", [g.input("X", "float32", [rows, dim]), g.input("R", "float32", [rows, dim])]);
    g.node("LayerNormalization", [sum, g.constant("float32", [dim], gamma), g.constant("float32", [dim], beta)], {
      attributes: { axis: { int: -1 }, epsilon: { float: 1e-5 } },
      outputs: [g.output("Y", "float32", [rows, dim])],
    });
    const { Y } = await runOnnx(g.build({ opset: 17 }), { X: f32(x, [rows, dim]), R: f32(r, [rows, dim]) });
    expectClose(kernels.layerNorm(x, gamma, beta, { rows, residual: r, eps: 1e-5 }), Y.data as Float32Array);
  });

  it("Erf GELU, tanh GELU, Softmax and bias Add", async () => {
    const random = rng(131);
    const [rows, cols] = [9, 77];
    const x = randomF32(random, rows * cols, 6);
    const bias = randomF32(random, cols);
    const g = new GraphBuilder();
    const X = g.input("X", "float32", [rows, cols]);
    g.node("Identity", [geluErfNodes(g, X)], { outputs: [g.output("GE", "float32", [rows, cols])] });
    g.node("Identity", [geluTanhNodes(g, X)], { outputs: [g.output("GT", "float32", [rows, cols])] });
    g.node("Softmax", [X], { attributes: { axis: { int: -1 } }, outputs: [g.output("S", "float32", [rows, cols])] });
    g.node("Add", [X, g.constant("float32", [cols], bias)], { outputs: [g.output("B", "float32", [rows, cols])] });
    const out = await runOnnx(g.build(), { X: f32(x, [rows, cols]) });
    expectClose(kernels.gelu(x, "erf"), out.GE.data as Float32Array);
    expectClose(kernels.gelu(x, "tanh"), out.GT.data as Float32Array);
    expectClose(kernels.softmax(x, { rows, cols }), out.S.data as Float32Array);
    expectClose(kernels.biasAdd(x, bias, { rows }), out.B.data as Float32Array);
  });
});

describe("embeddings, pooling and similarity vs onnxruntime", () => {
  it("Gather word + position + token type, then Add", async () => {
    const random = rng(140);
    const [vocab, maxPos, dim, batch, seq] = [100, 16, 24, 2, 9];
    const word = randomF32(random, vocab * dim);
    const position = randomF32(random, maxPos * dim);
    const tokenType = randomF32(random, 2 * dim);
    const ids = new Int32Array(batch * seq).map(() => Math.floor(random() * vocab));
    const types = new Int32Array(batch * seq).map((_, i) => i % 2);
    const g = new GraphBuilder();
    const w = g.node("Gather", [g.constant("float32", [vocab, dim], word), g.input("ids", "int64", [batch, seq])]);
    const p = g.node("Gather", [
      g.constant("float32", [maxPos, dim], position),
      g.int64s(Array.from({ length: seq }, (_, i) => i)),
    ]);
    const t = g.node("Gather", [g.constant("float32", [2, dim], tokenType), g.input("types", "int64", [batch, seq])]);
    g.node("Add", [g.node("Add", [w, p]), t], { outputs: [g.output("Y", "float32", [batch, seq, dim])] });
    const { Y } = await runOnnx(g.build(), {
      ids: { type: "int64", data: BigInt64Array.from(ids, BigInt), dims: [batch, seq] },
      types: { type: "int64", data: BigInt64Array.from(types, BigInt), dims: [batch, seq] },
    });
    const tables = kernels.uploadEmbeddings({ dim, word, position, tokenType });
    expectClose(kernels.embed(tables, ids, { batch, seq, tokenTypeIds: types }), Y.data as Float32Array);
  });

  it("masked mean (ReduceSum/Div), ReduceMean, ReduceMax and CLS pooling", async () => {
    const random = rng(141);
    const [batch, seq, dim] = [3, 10, 33];
    const hidden = randomF32(random, batch * seq * dim);
    const mask = new Float32Array(batch * seq).map((_, i) => (i % seq < 4 + 2 * Math.floor(i / seq) ? 1 : 0));
    const g = new GraphBuilder();
    const H = g.input("H", "float32", [batch, seq, dim]);
    const M = g.input("M", "float32", [batch, seq, 1]);
    const summed = g.node("ReduceSum", [g.node("Mul", [H, M]), g.int64s([1])], {
      attributes: { keepdims: { int: 0 } },
    });
    const count = g.node("ReduceSum", [M, g.int64s([1])], { attributes: { keepdims: { int: 0 } } });
    g.node("Div", [summed, count], { outputs: [g.output("MEAN", "float32", [batch, dim])] });
    g.node("ReduceMean", [H], {
      attributes: { axes: { ints: [1] }, keepdims: { int: 0 } },
      outputs: [g.output("AVG", "float32", [batch, dim])],
    });
    g.node("ReduceMax", [H], {
      attributes: { axes: { ints: [1] }, keepdims: { int: 0 } },
      outputs: [g.output("MAX", "float32", [batch, dim])],
    });
    g.node("Gather", [H, g.constant("int64", [], new BigInt64Array([0n]))], {
      attributes: { axis: { int: 1 } },
      outputs: [g.output("CLS", "float32", [batch, dim])],
    });
    const out = await runOnnx(g.build({ opset: 17 }), {
      H: f32(hidden, [batch, seq, dim]),
      M: f32(mask, [batch, seq, 1]),
    });
    const maskU8 = Uint8Array.from(mask);
    expectClose(kernels.pool(hidden, "mean", { batch, seq, dim, mask: maskU8 }), out.MEAN.data as Float32Array);
    expectClose(kernels.pool(hidden, "mean", { batch, seq, dim }), out.AVG.data as Float32Array);
    expectClose(kernels.pool(hidden, "max", { batch, seq, dim }), out.MAX.data as Float32Array);
    expectClose(kernels.pool(hidden, "cls", { batch, seq, dim, mask: maskU8 }), out.CLS.data as Float32Array);
  });

  it("LpNormalization, cosine similarity (normalised MatMul) and TopK", async () => {
    const random = rng(142);
    const [q, n, dim, topk] = [3, 50, 31, 7];
    const a = randomF32(random, q * dim);
    const b = randomF32(random, n * dim);
    const g = new GraphBuilder();
    const A = g.input("A", "float32", [q, dim]);
    const an = g.node("LpNormalization", [A], {
      attributes: { p: { int: 2 }, axis: { int: -1 } },
      outputs: [g.output("AN", "float32", [q, dim])],
    });
    const bn = g.node("LpNormalization", [g.constant("float32", [n, dim], b)], {
      attributes: { p: { int: 2 }, axis: { int: -1 } },
    });
    const sims = g.node("MatMul", [an, g.node("Transpose", [bn], { attributes: { perm: { ints: [1, 0] } } })], {
      outputs: [g.output("S", "float32", [q, n])],
    });
    g.node("TopK", [sims, g.int64s([topk])], {
      attributes: { axis: { int: -1 }, largest: { int: 1 }, sorted: { int: 1 } },
      outputs: [g.output("TV", "float32", [q, topk]), g.output("TI", "int64", [q, topk])],
    });
    const out = await runOnnx(g.build(), { A: f32(a, [q, dim]) });
    expectClose(kernels.l2Normalize(a, { rows: q, dim }), out.AN.data as Float32Array);
    const scores = kernels.cosineSimilarity(a, b, { dim });
    expectClose(scores, out.S.data as Float32Array);
    const top = kernels.topK(scores, topk, { rows: q });
    expect(Array.from(top.indices)).toEqual(Array.from(out.TI.data as BigInt64Array, Number));
    expectClose(top.values, out.TV.data as Float32Array);
  });
});
