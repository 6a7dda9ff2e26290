import { createServiceApp, type LimitBindings, type ServerBindings } from "@edgeformers/server";
import packageJson from "../package.json";
import type { ModelBindings } from "./models.js";
import { HF_TASKS, registerRoutes } from "./routes.js";

/** Bindings of the classify worker (see wrangler.jsonc). */
export interface ClassifyBindings extends ServerBindings, LimitBindings, ModelBindings {}

/**
 * The classify worker: the Transformers pipelines over HTTP — text classification, zero-shot,
 * NER, fill-mask and question answering — in Python's shapes, TEI's `/predict`, and the Hugging
 * Face Inference task shape at `/models/{model}`.
 */
export const app = createServiceApp<ClassifyBindings>({
  name: "classify",
  version: packageJson.version,
  tasks: Object.keys(HF_TASKS),
});
registerRoutes(app);

export default app;
