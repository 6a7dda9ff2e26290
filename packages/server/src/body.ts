import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit as honoBodyLimit } from "hono/body-limit";
import type * as z from "zod";
import { ProblemError } from "./problem.js";

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** Rejects bodies over `maxBytes` (declared or streamed) with a 413 problem. */
export function bodyLimit(maxBytes: number = DEFAULT_MAX_BODY_BYTES): MiddlewareHandler {
  return honoBodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new ProblemError({
        status: 413,
        slug: "body-too-large",
        detail: `The request body is larger than the limit of ${maxBytes} bytes.`,
        field: "body",
        extensions: { limit: maxBytes },
      });
    },
  });
}

/** Reads a JSON body: wrong content type or unparsable JSON is a 400 naming the problem. */
export async function readJson(c: Context): Promise<unknown> {
  const contentType = c.req.header("content-type") ?? "";
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType)) {
    throw new ProblemError({
      status: 400,
      slug: "unsupported-content-type",
      detail: `Expected content-type application/json, got ${contentType ? `"${contentType}"` : "none"}.`,
      field: "content-type",
    });
  }
  const text = await c.req.text();
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ProblemError({
      status: 400,
      slug: "invalid-json",
      detail: `The body is not valid JSON: ${(error as Error).message}`,
      field: "body",
    });
  }
}

/** Turns a zod issue path into the dotted field name used in problems. */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? "body" : path.map(String).join(".");
}

/** Reads and validates a JSON body; the first schema issue becomes a 422 naming its field. */
export async function readValidJson<Schema extends z.ZodType>(c: Context, schema: Schema): Promise<z.output<Schema>> {
  const body = await readJson(c);
  const result = schema.safeParse(body);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = fieldPath(issue?.path ?? []);
    throw new ProblemError({
      status: 422,
      slug: "invalid-field",
      detail: `${field}: ${issue?.message ?? "invalid value"}`,
      field,
      extensions: { errors: result.error.issues.map((i) => ({ field: fieldPath(i.path), message: i.message })) },
    });
  }
  return result.data;
}
