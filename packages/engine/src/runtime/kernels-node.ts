// Node: @edgeformers/kernels reads its .wasm from disk and compiles it once per process.
// Selected through the "#kernels-runtime" import condition "node" (package.json "imports").
import { loadKernels } from "@edgeformers/kernels/node";

export const runtimeName = "node";
export { loadKernels };
