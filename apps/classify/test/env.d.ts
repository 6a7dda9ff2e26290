// The bindings wrangler.jsonc gives the worker, as seen by tests through `cloudflare:test`.
declare namespace Cloudflare {
  interface Env {
    MODELS: R2Bucket;
    MODEL_CONFIG: unknown;
  }
}
