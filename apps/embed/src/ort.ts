import { loadOrtWeb } from "@edgeformers/engine/ort-web";
import { useOnnxRuntime } from "./embedders.js";
import app from "./index.js";

/**
 * The embed worker with onnxruntime-web, for encoders configured with `backend: "ort"` (any
 * ONNX export in the optimum / transformers.js layout). A separate build (wrangler.ort.jsonc):
 * ort's 14 MB .wasm needs the Workers paid plan's 10 MB compressed limit.
 */
useOnnxRuntime(loadOrtWeb);

export { app };
export default app;
