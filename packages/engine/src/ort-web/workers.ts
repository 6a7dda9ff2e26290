/**
 * `@edgeformers/engine/ort-web` in Workers (conditions "workerd"/"worker", and the default): the
 * bundler imports ort's .wasm as a compiled WebAssembly.Module (wrangler's CompiledWasm rule), so
 * nothing is compiled from bytes at request time. A separate entry so that apps not using it never
 * bundle onnxruntime-web (~73 kB of JS plus a 14 MB .wasm).
 *
 * ```ts
 * import { loadModel } from "@edgeformers/engine";
 * import { loadOrtWeb } from "@edgeformers/engine/ort-web";
 * const model = await loadModel(source, { backend: "ort", onnxruntime: await loadOrtWeb() });
 * ```
 */
import ortWasm from "onnxruntime-web/ort-wasm-simd-threaded.wasm";
import { initOrtWeb, type OrtWeb } from "./configure.js";

export type { OrtWeb };

/** onnxruntime-web on one wasm thread, ready for `loadModel(…, { backend: "ort", onnxruntime })`. */
export function loadOrtWeb(wasm: WebAssembly.Module = ortWasm): Promise<OrtWeb> {
  return initOrtWeb(wasm);
}
