// Cloudflare Workers: the .wasm files are imported as WebAssembly.Module by the bundler, so no
// bytes are compiled at request time. Selected through the "workerd"/"worker" import conditions.
import { loadKernels } from "@edgeformers/kernels/workers";

export const runtimeName = "workers";
export { loadKernels };
