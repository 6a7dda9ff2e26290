import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { ProblemError, problemResponse } from "./problem.js";

function requestIdOf(c: Context): string | undefined {
  return c.get("requestId") as string | undefined;
}

/**
 * A request rejected before its body was read (wrong content type, too large, no route) still has
 * that body on the connection; cancelling it lets the runtime discard the rest instead of closing
 * a keep-alive connection the client is about to reuse.
 */
function discardBody(c: Context): void {
  const body = c.req.raw.body;
  if (body && !c.req.raw.bodyUsed && !body.locked) body.cancel().catch(() => {});
}

/**
 * Maps anything thrown to problem+json. Known problems keep their status; Hono's own
 * HTTPExceptions keep theirs; a TypeError/RangeError raised while validating user input is
 * a 422 (our packages throw those for bad arguments); everything else is a logged 500.
 */
export const problemErrorHandler: ErrorHandler = (error, c) => {
  const instance = requestIdOf(c);
  discardBody(c);
  if (error instanceof ProblemError) return problemResponse(error, instance);
  if (error instanceof HTTPException) {
    const slug = error.status === 413 ? "body-too-large" : `http-${error.status}`;
    return problemResponse(
      new ProblemError({ status: error.status, slug, detail: error.message || undefined }),
      instance,
    );
  }
  if (error instanceof TypeError || error instanceof RangeError) {
    // Validation errors from our packages name the field in their message.
    return problemResponse(new ProblemError({ status: 422, slug: "invalid-input", detail: error.message }), instance);
  }
  console.error(
    JSON.stringify({ level: "error", requestId: instance, message: String(error), stack: (error as Error)?.stack }),
  );
  return problemResponse(
    new ProblemError({ status: 500, slug: "internal", detail: "The worker failed while handling this request." }),
    instance,
  );
};

export const problemNotFound: NotFoundHandler = (c) => {
  discardBody(c);
  return problemResponse(
    new ProblemError({ status: 404, slug: "not-found", detail: `No route for ${c.req.method} ${c.req.path}.` }),
    requestIdOf(c),
  );
};

export function methodNotAllowedResponse(c: Context, allowed: string[]): Response {
  discardBody(c);
  return problemResponse(
    new ProblemError({
      status: 405,
      slug: "method-not-allowed",
      detail: `${c.req.method} is not allowed on ${c.req.path}; use ${allowed.join(", ")}.`,
      headers: { allow: allowed.join(", ") },
    }),
    requestIdOf(c),
  );
}
