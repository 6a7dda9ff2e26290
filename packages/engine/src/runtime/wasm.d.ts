// The Workers entry of @edgeformers/kernels imports its .wasm files as modules (see kernels-workers.ts).
declare module "*.wasm" {
  const module: WebAssembly.Module;
  export default module;
}
