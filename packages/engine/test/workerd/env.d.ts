// Bindings configured in vitest.config.ts (miniflare r2Buckets).
declare namespace Cloudflare {
  interface Env {
    MODELS: R2Bucket;
  }
}
