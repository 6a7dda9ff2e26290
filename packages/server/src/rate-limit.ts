import type { Context } from "hono";
import { ProblemError } from "./problem.js";

/** The Workers rate-limiting binding (`ratelimits` in wrangler config). */
export interface RateLimiter {
  limit(options: { key: string }): Promise<{ success: boolean }>;
}

/**
 * Who a request counts against: its API key when auth is on (hashed, so keys never reach the
 * limiter), else the client address Cloudflare reports, else one shared bucket.
 */
export async function rateLimitKey(c: Context): Promise<string> {
  const bearer = /^Bearer\s+(\S+)/i.exec(c.req.header("authorization") ?? "")?.[1];
  if (bearer) {
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(bearer)));
    return `key:${Array.from(digest.subarray(0, 12), (b) => b.toString(16).padStart(2, "0")).join("")}`;
  }
  return `ip:${c.req.header("cf-connecting-ip") ?? "unknown"}`;
}

/** Counts the request against `limiter` (when bound) under `scope`; over the limit is a 429 problem. */
export async function enforceRateLimit(limiter: RateLimiter | undefined, c: Context, scope: string): Promise<void> {
  if (!limiter) return;
  const { success } = await limiter.limit({ key: `${scope}:${await rateLimitKey(c)}` });
  if (!success) {
    throw new ProblemError({
      status: 429,
      slug: "rate-limited",
      detail: `Too many ${scope} requests; slow down and retry.`,
      headers: { "retry-after": "60" },
    });
  }
}
