// Types for local.mjs (plain JavaScript so `npm start` runs it without a build).
import type { Miniflare, MiniflareOptions } from "miniflare";

export interface LocalStackOptions {
  mode?: "service-bindings" | "single-worker";
  port?: number;
  host?: string;
  /** Vars per app: `{ gateway: { API_KEYS }, embed: { MODEL_CONFIG } }`. */
  bindings?: Record<string, Record<string, unknown> | undefined>;
  /** Folder copied into the R2 bucket, keyed by path below it. */
  seedDir?: string;
  /** Files copied into the R2 bucket: `{ r2Key: absolutePath }`. */
  seedFiles?: Record<string, string>;
  r2Persist?: string | boolean;
  /** Keep the gateway's rate-limiting bindings (default true). */
  rateLimits?: boolean;
  /** Drop the workers' stdout/stderr (default false). */
  quiet?: boolean;
}

export const ROOT: string;
export const BACKENDS: readonly string[];
export function localStackOptions(options?: LocalStackOptions): MiniflareOptions;
export function bundleModules(
  bundle: string,
  entry: string,
): { modules: { type: "ESModule" | "CompiledWasm"; path: string }[]; modulesRoot: string };
export function seedR2(
  mf: Miniflare,
  dir: string,
  options?: { binding?: string; workerName?: string },
): Promise<string[]>;
export function seedR2Files(
  mf: Miniflare,
  files: Record<string, string>,
  options?: { binding?: string; workerName?: string },
): Promise<string[]>;
export function startLocalStack(options?: LocalStackOptions): Promise<{ mf: Miniflare; url: URL; seeded: string[] }>;
