/**
 * onnxruntime-web (wasm, one thread) configured to run where wasm cannot be compiled from bytes
 * (workerd refuses `WebAssembly.instantiate(bytes)`) and where `import.meta.url` is empty, so
 * ort cannot locate or fetch its .wasm. The caller supplies the already compiled
 * `WebAssembly.Module` (bundled as a module in Workers, read once from disk in Node).
 *
 * How: `env.wasm.wasmBinary` is set to a marker buffer, which makes ort's emscripten glue skip
 * fetching and call `WebAssembly.instantiate(markerBytes, imports)`. While ort initialises, that
 * function is wrapped: given the marker, it instantiates the supplied Module with the same imports
 * instead. ort initialises lazily on its first session, so one is created here on a one-node
 * Identity graph, and the global is restored right after.
 */
import * as ortWeb from "onnxruntime-web/wasm";

export type OrtWeb = typeof ortWeb;

// A 107-byte ONNX model (opset 17): y = Identity(x), x: float32[1]. Written with test/helpers/onnx.ts.
const IDENTITY_ONNX =
  "CAgSGGVkZ2Vmb3JtZXJzLWVuZ2luZS10ZXN0czpHChwKAXgSAXkaCklkZW50aXR5XzAiCElkZW50aXR5EgVncmFwaFoPCgF4EgoKCAgBEgQKAggBYg8KAXkSCgoICAESBAoCCAFCBAoAEBE=";

let ready: Promise<OrtWeb> | undefined;
let initialisedWith: WebAssembly.Module | undefined;

/**
 * Returns the onnxruntime-web module, initialised on `wasm` (the compiled
 * `ort-wasm-simd-threaded.wasm` of the installed onnxruntime-web, its non-JSEP build).
 * ort's wasm runtime is process-wide: later calls return the same module, and a different
 * `wasm` after the first is refused rather than silently ignored.
 */
export function initOrtWeb(wasm: WebAssembly.Module): Promise<OrtWeb> {
  if (!(wasm instanceof WebAssembly.Module)) {
    throw new TypeError("loadOrtWeb needs the compiled ort-wasm-simd-threaded.wasm as a WebAssembly.Module");
  }
  if (ready) {
    if (wasm !== initialisedWith)
      throw new Error("onnxruntime-web is already initialised with another WebAssembly.Module");
    return ready;
  }
  initialisedWith = wasm;
  ready = initialise(wasm).catch((e: unknown) => {
    ready = undefined;
    initialisedWith = undefined;
    throw e;
  });
  return ready;
}

async function initialise(wasm: WebAssembly.Module): Promise<OrtWeb> {
  const marker = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x65, 0x66]); // "\0asm" + "ef": never a valid module
  const env = ortWeb.env.wasm;
  env.numThreads = 1; // no SharedArrayBuffer workers at the edge; also what the benchmarks compare
  env.proxy = false;
  env.wasmBinary = marker;
  const original = WebAssembly.instantiate;
  const isMarker = (x: unknown): boolean =>
    (x instanceof Uint8Array || x instanceof ArrayBuffer) &&
    sameBytes(x instanceof ArrayBuffer ? new Uint8Array(x) : x, marker);
  const patched = (async (source: unknown, imports?: WebAssembly.Imports) => {
    if (isMarker(source)) {
      const instance = await original.call(WebAssembly, wasm, imports);
      return { instance, module: wasm };
    }
    return original.call(WebAssembly, source as BufferSource, imports);
  }) as typeof WebAssembly.instantiate;
  WebAssembly.instantiate = patched;
  try {
    const model = Uint8Array.from(atob(IDENTITY_ONNX), (c) => c.charCodeAt(0));
    const session = await ortWeb.InferenceSession.create(model);
    const out = await session.run({ x: new ortWeb.Tensor("float32", new Float32Array([2.5]), [1]) });
    if ((out.y?.data as Float32Array | undefined)?.[0] !== 2.5) throw new Error("onnxruntime-web self-check failed");
    await session.release();
  } finally {
    if (WebAssembly.instantiate === patched) WebAssembly.instantiate = original;
  }
  return ortWeb;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
