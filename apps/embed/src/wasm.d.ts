// wrangler imports .wasm files as compiled modules (its CompiledWasm rule).
declare module "*.wasm" {
  const module: WebAssembly.Module;
  export default module;
}
