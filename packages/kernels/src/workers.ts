// Cloudflare Workers entry: the .wasm files are imported as WebAssembly.Module (bundled by
// wrangler), so nothing is compiled at request time.

import relaxed from "../dist/kernels.relaxed.wasm";
import simd from "../dist/kernels.simd.wasm";
import { supportsRelaxedSimd } from "./feature-detect.ts";
import { chooseModule, createKernels, type Kernels, type KernelsOptions } from "./kernels.ts";

export * from "./index.ts";

export function loadKernels(options: KernelsOptions = {}): Kernels {
  const { module, flavour } = chooseModule({ simd, relaxed }, supportsRelaxedSimd());
  return createKernels(module, { ...options, flavour });
}
