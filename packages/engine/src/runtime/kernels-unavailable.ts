// Other runtimes (browsers): compiling wasm is the host's business, so the caller passes a
// ready kernels instance or a WebAssembly.Module as `loadModel(source, { kernels })`.
import type { Kernels, KernelsOptions } from "@edgeformers/kernels";

export const runtimeName = "other";

export function loadKernels(_options: KernelsOptions = {}): Kernels {
  throw new TypeError(
    "loadModel: no kernels for this runtime; pass options.kernels (a Kernels instance from @edgeformers/kernels or a compiled WebAssembly.Module)",
  );
}
