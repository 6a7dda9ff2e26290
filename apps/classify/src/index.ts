import { createServiceApp, type ServerBindings } from "@edgeformers/server";
import packageJson from "../package.json";

/** Bindings of the classify worker (see wrangler.jsonc). */
export interface ClassifyBindings extends ServerBindings {
  /** R2 bucket holding model folders (tokenizer.json, config.json, weights). */
  MODELS?: R2Bucket;
}

/** The classify worker. Its task routes arrive with their issue; today it serves /health and /info. */
export const app = createServiceApp<ClassifyBindings>({ name: "classify", version: packageJson.version });

export default app;
