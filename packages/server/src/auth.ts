import type { MiddlewareHandler } from "hono";
import { timingSafeEqual } from "hono/utils/buffer";
import { ProblemError } from "./problem.js";

/** Parses the `API_KEYS` secret: comma-separated, blanks ignored. */
export function parseApiKeys(secret: string | undefined): string[] {
  if (!secret) return [];
  return secret
    .split(",")
    .map((key) => key.trim())
    .filter((key) => key.length > 0);
}

function unauthorized(detail: string): ProblemError {
  return new ProblemError({
    status: 401,
    slug: "unauthorized",
    detail,
    field: "authorization",
    headers: { "www-authenticate": 'Bearer realm="edgeformers"' },
  });
}

export interface BearerAuthOptions {
  /** Paths that stay open even when keys are set (health checks). */
  publicPaths?: readonly string[];
}

/**
 * Optional bearer-token auth. With no `API_KEYS` secret every request passes, so local
 * development needs no setup; with keys set, every key is compared (no early exit) in
 * constant time, so timing reveals neither which key matched nor how much of one did.
 */
export function bearerAuth(options: BearerAuthOptions = {}): MiddlewareHandler<{ Bindings: { API_KEYS?: string } }> {
  const publicPaths = new Set(options.publicPaths ?? ["/health"]);
  return async (c, next) => {
    const keys = parseApiKeys(c.env?.API_KEYS);
    if (keys.length === 0 || publicPaths.has(c.req.path) || c.req.method === "OPTIONS") return next();
    const header = c.req.header("authorization");
    if (!header) throw unauthorized("This endpoint needs an `Authorization: Bearer <key>` header.");
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw unauthorized("The Authorization header must be `Bearer <key>`.");
    const presented = match[1] as string;
    let matched = false;
    for (const key of keys) {
      // Evaluate every key so the loop's duration does not depend on which one matched.
      const equal = await timingSafeEqual(key, presented);
      matched = matched || equal;
    }
    if (!matched) throw unauthorized("The API key is not valid.");
    return next();
  };
}
