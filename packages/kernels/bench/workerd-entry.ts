// Worker for bench/workerd.mjs: times nothing itself (time does not advance inside a Workers
// request); it runs one case `iters` times per request and the runner times the requests.
import * as ortWeb from "onnxruntime-web/wasm";
import { createKernels, type Kernels } from "../src/index.ts";
import * as graphs from "./graphs.mjs";
// @ts-expect-error: see above
import relaxedModule from "./kernels.relaxed.wasm";
// @ts-expect-error: see above
import simdModule from "./kernels.simd.wasm";
// @ts-expect-error: bundled as CompiledWasm modules by the runner
import ortWasm from "./ort.wasm";

/** ORT on the supplied compiled Module (workerd cannot compile bytes; see engine/src/ort-web). */
async function initOrt(): Promise<typeof ortWeb> {
  const marker = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x65, 0x66]);
  ortWeb.env.wasm.numThreads = 1;
  ortWeb.env.wasm.proxy = false;
  ortWeb.env.wasm.wasmBinary = marker;
  const original = WebAssembly.instantiate;
  WebAssembly.instantiate = (async (source: unknown, imports?: WebAssembly.Imports) => {
    if (source instanceof Uint8Array && source.length === marker.length) {
      return { instance: await original.call(WebAssembly, ortWasm, imports), module: ortWasm };
    }
    return original.call(WebAssembly, source as BufferSource, imports);
  }) as typeof WebAssembly.instantiate;
  return ortWeb;
}
let ort: Promise<typeof ortWeb> | undefined;

function random(n: number, scale = 1): Float32Array {
  let s = 12345;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    out[i] = ((s / 4294967296) * 2 - 1) * scale;
  }
  return out;
}

const kernelsByFlavour: Record<string, Kernels> = {};
const cases = new Map<string, { run: () => unknown; info: string }>();

async function prepare(name: string, m: number, k: number, n: number) {
  const key = `${name}/${m}x${k}x${n}`;
  const existing = cases.get(key);
  if (existing) return existing;
  const flavour = name.endsWith(":simd") ? "simd" : "relaxed-simd";
  kernelsByFlavour[flavour] ??= createKernels(flavour === "simd" ? simdModule : relaxedModule, { flavour });
  const kernels = kernelsByFlavour[flavour];
  if (name === "peak" || name === "peakFused") {
    // k = iterations of the 112-flop probe body.
    const kind = name === "peak" ? "mul+add" : "fused";
    const c = { run: () => kernels.peakProbe(k, kind), info: "" };
    cases.set(key, c);
    return c;
  }
  if (name === "attention" || name === "ortAttentionMms" || name === "ortAttentionMha") {
    // Shape "seq x heads x headDim": self-attention over [1, seq, heads·headDim].
    const [seq, heads, headDim] = [m, k, n];
    const q = random(seq * heads * headDim);
    const kk = random(seq * heads * headDim, 0.5);
    const v = random(seq * heads * headDim);
    let run: () => unknown;
    if (name === "attention") {
      run = () => kernels.attention(q, kk, v, { batch: 1, qLen: seq, heads, headDim });
    } else {
      ort ??= initOrt();
      const o = await ort;
      const graph = name === "ortAttentionMms" ? graphs.attentionMatMulSoftmaxGraph : graphs.multiHeadAttentionGraph;
      const s = await o.InferenceSession.create(graph(seq, heads, headDim), {
        intraOpNumThreads: 1,
        interOpNumThreads: 1,
        executionMode: "sequential",
        graphOptimizationLevel: "all",
      });
      const dims = [1, seq, heads * headDim];
      const feeds = {
        Q: new o.Tensor("float32", q, dims),
        K: new o.Tensor("float32", kk, dims),
        V: new o.Tensor("float32", v, dims),
      };
      run = () => s.run(feeds);
    }
    const c = { run, info: "" };
    cases.set(key, c);
    return c;
  }
  const a = random(m * k);
  const w = random(k * n, 0.05);
  const qw = kernels.quantizeWeights(w, { k, n });
  const qa = kernels.quantizeRows(a, { rows: m, cols: k });
  const base = name.replace(/:simd$/, "");
  let run: () => unknown;
  let info = "";
  if (base === "gemm") {
    const p = kernels.packMatrix(w, { k, n });
    const out = new Float32Array(m * n);
    run = () => kernels.gemm(a, p, { m, out });
  } else if (base === "int8MatMul") {
    const p = kernels.packInt8Matrix(qw, { k, n });
    run = () => kernels.int8MatMul(qa.values, p, { m });
  } else if (base === "int8Gemm") {
    const p = kernels.packInt8Matrix(qw, { k, n });
    run = () => kernels.int8Gemm(a, p, { m });
  } else if (base === "int8DotMatMul") {
    const qa7 = kernels.quantizeRows7(a, { rows: m, cols: k });
    const p = kernels.packInt8DotMatrix(qw, { k, n });
    run = () => kernels.int8DotMatMul(qa7.values, p, { m });
    info = `native=${kernels.int8DotNative()}`;
  } else if (base === "int8DotGemm") {
    const p = kernels.packInt8DotMatrix(qw, { k, n });
    run = () => kernels.int8DotGemm(a, p, { m });
    info = `native=${kernels.int8DotNative()}`;
  } else if (base === "int8DotMatMul8") {
    // 8-bit activations (int8MatMul's qa) on the dot instruction, split into two 7-bit halves.
    const p = kernels.packInt8DotMatrix(qw, { k, n });
    run = () => kernels.int8DotMatMul(qa.values, p, { m, activationBits: 8 });
    info = `native=${kernels.int8DotNative()}`;
  } else if (base === "int8DotGemm8") {
    const p = kernels.packInt8DotMatrix(qw, { k, n });
    run = () => kernels.int8DotGemm(a, p, { m, activationBits: 8 });
    info = `native=${kernels.int8DotNative()}`;
  } else {
    ort ??= initOrt();
    const o = await ort;
    const options = {
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      executionMode: "sequential",
      graphOptimizationLevel: "all",
    } as const;
    if (base === "ortMatMul") {
      const s = await o.InferenceSession.create(graphs.matmulGraph(m, k, n, w), options);
      const t = new o.Tensor("float32", a, [m, k]);
      run = () => s.run({ A: t });
    } else if (base === "ortMatMulInteger") {
      const s = await o.InferenceSession.create(graphs.matmulIntegerGraph(m, k, n, qw.values), options);
      const t = new o.Tensor(
        "uint8",
        Uint8Array.from(qa.values, (v) => v + 128),
        [m, k],
      );
      run = () => s.run({ A: t });
    } else if (base === "ortDynamicQuant") {
      const s = await o.InferenceSession.create(graphs.dynamicQuantMatmulGraph(m, k, n, qw.values, qw.scales), options);
      const t = new o.Tensor("float32", a, [m, k]);
      run = () => s.run({ A: t });
    } else {
      throw new Error(`unknown case ${name}`);
    }
  }
  const c = { run, info };
  cases.set(key, c);
  return c;
}

export default {
  async fetch(request: Request): Promise<Response> {
    try {
      const url = new URL(request.url);
      const [m, k, n] = (url.searchParams.get("shape") ?? "").split("x").map(Number);
      const c = await prepare(url.searchParams.get("case") ?? "", m, k, n);
      const iters = Number(url.searchParams.get("iters"));
      for (let i = 0; i < iters; i++) await c.run();
      return new Response(`ok ${c.info}`);
    } catch (e) {
      return new Response(String((e as Error)?.stack ?? e), { status: 500 });
    }
  },
};
