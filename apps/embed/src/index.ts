import { createServiceApp, type LimitBindings, type ServerBindings } from "@edgeformers/server";
import packageJson from "../package.json";
import type { EmbedBindings as ModelBindings } from "./embedders.js";
import { EMBEDDING_TASKS, registerRoutes } from "./routes.js";

/** Bindings of the embed worker (see wrangler.jsonc). */
export interface EmbedBindings extends ServerBindings, LimitBindings, ModelBindings {}

/**
 * The embed worker: sentence embeddings in the shapes clients already speak — OpenAI
 * `/v1/embeddings`, TEI `/embed` and `/similarity`, and Workers AI `/ai/run/{model}`.
 */
export const app = createServiceApp<EmbedBindings>({
  name: "embed",
  version: packageJson.version,
  tasks: EMBEDDING_TASKS,
});
registerRoutes(app);

export default app;
