import { createServiceApp, type LimitBindings, type ServerBindings } from "@edgeformers/server";
import packageJson from "../package.json";
import { registerRoutes } from "./routes.js";

/** Bindings of the tokenize worker (see wrangler.jsonc). */
export interface TokenizeBindings extends ServerBindings, LimitBindings {
  /** R2 bucket holding model folders (tokenizer.json, tokenizer_config.json, ...). */
  MODELS?: R2Bucket;
}

/**
 * The tokenize worker: Hugging Face tokenizers over HTTP, in the Python call shape
 * (`/v1/tokenize`, `/v1/decode`) and Text Embeddings Inference's (`/tokenize`, `/decode`).
 */
export const app = createServiceApp<TokenizeBindings>({ name: "tokenize", version: packageJson.version });
registerRoutes(app);

export default app;
