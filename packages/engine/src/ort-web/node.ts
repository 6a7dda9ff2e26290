/**
 * `@edgeformers/engine/ort-web` in Node (condition "node"): the same configured onnxruntime-web,
 * with its .wasm read from the installed package and compiled once per process. Mostly for tests
 * and benchmarks (in Node, onnxruntime-node is faster).
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { initOrtWeb, type OrtWeb } from "./configure.js";

export type { OrtWeb };

// Workers' type definitions declare WebAssembly.Module abstract (no compiling there); Node can.
const compile = (bytes: Uint8Array): WebAssembly.Module =>
  new (WebAssembly.Module as unknown as new (bytes: BufferSource) => WebAssembly.Module)(bytes);

let compiled: Promise<WebAssembly.Module> | undefined;

export async function loadOrtWeb(wasm?: WebAssembly.Module): Promise<OrtWeb> {
  if (wasm) return initOrtWeb(wasm);
  compiled ??= (async () => {
    const path = createRequire(import.meta.url).resolve("onnxruntime-web/ort-wasm-simd-threaded.wasm");
    return compile(new Uint8Array(await readFile(path)));
  })();
  return initOrtWeb(await compiled);
}
