import { createServiceApp, type ServerBindings } from "@edgeformers/server";
import packageJson from "../package.json";

/** Bindings of the embed worker (see wrangler.jsonc). */
export interface EmbedBindings extends ServerBindings {
  /** R2 bucket holding model folders (tokenizer.json, config.json, weights). */
  MODELS?: R2Bucket;
}

/** The embed worker. Its task routes arrive with their issue; today it serves /health and /info. */
export const app = createServiceApp<EmbedBindings>({ name: "embed", version: packageJson.version });

export default app;
