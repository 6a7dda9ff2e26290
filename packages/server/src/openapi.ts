import * as z from "zod";

/** One documented route: the request body schema and the answers it can give. */
export interface RouteDoc {
  method: "get" | "post" | "put" | "delete";
  path: string;
  summary: string;
  description?: string;
  tags?: string[];
  /** JSON request body. */
  body?: z.ZodType;
  /** Status → description and optional JSON schema. */
  responses: Record<number, { description: string; schema?: z.ZodType; contentType?: string }>;
}

const PROBLEM_SCHEMA = {
  type: "object",
  description: "RFC 9457 problem details",
  required: ["type", "title", "status"],
  properties: {
    type: { type: "string" },
    title: { type: "string" },
    status: { type: "integer" },
    detail: { type: "string" },
    field: { type: "string", description: "The request field at fault" },
    instance: { type: "string", description: "The request id" },
  },
};

function jsonSchema(schema: z.ZodType, io: "input" | "output"): unknown {
  // OpenAPI 3.1 uses JSON Schema 2020-12 directly.
  return z.toJSONSchema(schema, { io, unrepresentable: "any" });
}

/** Collects route docs and renders the OpenAPI 3.1 document from the same zod schemas the routes validate with. */
export class ApiDocs {
  private readonly routes: RouteDoc[] = [];

  add(doc: RouteDoc): void {
    this.routes.push(doc);
  }

  list(): readonly RouteDoc[] {
    return this.routes;
  }

  document(info: { title: string; version: string }): Record<string, unknown> {
    const paths: Record<string, Record<string, unknown>> = {};
    for (const route of this.routes) {
      const responses: Record<string, unknown> = {};
      for (const [status, answer] of Object.entries(route.responses)) {
        responses[status] = {
          description: answer.description,
          ...(answer.schema
            ? {
                content: {
                  [answer.contentType ?? "application/json"]: { schema: jsonSchema(answer.schema, "output") },
                },
              }
            : {}),
        };
      }
      responses.default = {
        description: "An error, as problem+json",
        content: { "application/problem+json": { schema: PROBLEM_SCHEMA } },
      };
      const operation: Record<string, unknown> = {
        summary: route.summary,
        ...(route.description ? { description: route.description } : {}),
        ...(route.tags ? { tags: route.tags } : {}),
        responses,
      };
      if (route.body) {
        operation.requestBody = {
          required: true,
          content: { "application/json": { schema: jsonSchema(route.body, "input") } },
        };
      }
      const openApiPath = route.path.replace(/:(\w+)/g, "{$1}");
      paths[openApiPath] = { ...paths[openApiPath], [route.method]: operation };
      const params = [...route.path.matchAll(/:(\w+)/g)].map((m) => ({
        name: m[1],
        in: "path",
        required: true,
        schema: { type: "string" },
      }));
      if (params.length > 0) (paths[openApiPath][route.method] as Record<string, unknown>).parameters = params;
    }
    return {
      openapi: "3.1.0",
      info,
      components: {
        securitySchemes: {
          bearer: { type: "http", scheme: "bearer", description: "Needed when the API_KEYS secret is set" },
        },
      },
      security: [{}, { bearer: [] }],
      paths,
    };
  }
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"]/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[ch] as string);

/** A self-contained docs page (no CDN): every route with its summary and request schema. */
export function docsPage(title: string, document: Record<string, unknown>): string {
  const paths = document.paths as Record<
    string,
    Record<string, { summary: string; description?: string; requestBody?: unknown }>
  >;
  const sections = Object.entries(paths)
    .flatMap(([path, operations]) =>
      Object.entries(operations).map(
        ([method, op]) => `<section><h2><code>${method.toUpperCase()} ${escapeHtml(path)}</code></h2>
<p>${escapeHtml(op.summary)}</p>${op.description ? `<p>${escapeHtml(op.description)}</p>` : ""}${
          op.requestBody
            ? `<details><summary>Request body schema</summary><pre>${escapeHtml(JSON.stringify(op.requestBody, null, 2))}</pre></details>`
            : ""
        }</section>`,
      ),
    )
    .join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}section{border-top:1px solid #ddd;padding:.5rem 0}pre{background:#f6f6f6;padding:.5rem;overflow:auto}</style>
</head><body><h1>${escapeHtml(title)}</h1><p>Machine-readable: <a href="openapi.json">openapi.json</a> (OpenAPI 3.1). Errors are <code>application/problem+json</code>.</p>
${sections}
</body></html>`;
}
