// Node entry: reads the built .wasm files from dist/ and compiles them once.
import { readFileSync } from "node:fs";
import { supportsRelaxedSimd } from "./feature-detect.ts";
import { createKernels, type KernelFlavour, type Kernels, type KernelsOptions } from "./kernels.ts";

export * from "./index.ts";

const distUrl = (file: string): URL => new URL(`../dist/${file}`, import.meta.url);
// The compiled copy (dist/js/src/node.js, used by the benchmark) finds dist/ two levels up.
const candidates = (file: string): URL[] => [distUrl(file), new URL(`../../${file}`, import.meta.url)];

function readWasm(file: string): Uint8Array<ArrayBuffer> {
  for (const url of candidates(file)) {
    try {
      const bytes = readFileSync(url);
      return new Uint8Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    } catch {
      // try the next location
    }
  }
  throw new Error(`kernels: ${file} not found next to the package; run \`npm run build -w @edgeformers/kernels\``);
}

// Workers' type definitions declare WebAssembly.Module abstract (no compiling there); Node can.
const compile = (bytes: Uint8Array<ArrayBuffer>): WebAssembly.Module =>
  new (WebAssembly.Module as unknown as new (bytes: BufferSource) => WebAssembly.Module)(bytes);

const cache = new Map<KernelFlavour, WebAssembly.Module>();

/** The compiled module of one flavour (compiled once per process). Relaxed needs engine support. */
export function loadModule(flavour: KernelFlavour): WebAssembly.Module {
  let module = cache.get(flavour);
  if (!module) {
    module = compile(readWasm(flavour === "relaxed-simd" ? "kernels.relaxed.wasm" : "kernels.simd.wasm"));
    cache.set(flavour, module);
  }
  return module;
}

/** Loads the kernels in Node: relaxed SIMD if this V8 validates it, plain SIMD otherwise. */
export function loadKernels(options: KernelsOptions & { forceFlavour?: KernelFlavour } = {}): Kernels {
  const flavour: KernelFlavour = options.forceFlavour ?? (supportsRelaxedSimd() ? "relaxed-simd" : "simd");
  return createKernels(loadModule(flavour), { ...options, flavour });
}
