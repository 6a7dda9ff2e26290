import { createServiceApp, type ServerBindings } from "@edgeformers/server";
import packageJson from "../package.json";

/** Bindings of the tokenize worker (see wrangler.jsonc). */
export interface TokenizeBindings extends ServerBindings {
  /** R2 bucket holding model folders (tokenizer.json, config.json, weights). */
  MODELS?: R2Bucket;
}

/** The tokenize worker. Its task routes arrive with their issue; today it serves /health and /info. */
export const app = createServiceApp<TokenizeBindings>({ name: "tokenize", version: packageJson.version });

export default app;
