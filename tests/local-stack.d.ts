// Types for infra/local.mjs, the plain-JS stack shared by `npm start` and these tests.
declare module "../infra/local.mjs" {
  import type { Miniflare } from "miniflare";
  export interface LocalStackOptions {
    mode?: "service-bindings" | "single-worker";
    port?: number;
    host?: string;
    bindings?: Record<string, Record<string, unknown>>;
    seedDir?: string;
    r2Persist?: string | boolean;
  }
  export const ROOT: string;
  export const BACKENDS: readonly string[];
  export function startLocalStack(options?: LocalStackOptions): Promise<{ mf: Miniflare; url: URL; seeded: string[] }>;
}
