import { Hono } from "hono";
import { cors } from "hono/cors";
import { methodNotAllowed } from "hono/method-not-allowed";
import { requestId } from "hono/request-id";
import { bearerAuth } from "./auth.js";
import { bodyLimit, DEFAULT_MAX_BODY_BYTES } from "./body.js";
import { methodNotAllowedResponse, problemErrorHandler, problemNotFound } from "./errors.js";
import { parseModelConfig } from "./models.js";

/** Bindings every edgeformers worker understands. Apps extend this with their own. */
export interface ServerBindings {
  /** Secret: comma-separated bearer keys. Unset means no auth. */
  API_KEYS?: string;
  /** Comma-separated allowed origins; `*` (the default) allows any. */
  CORS_ORIGINS?: string;
  /** Maximum request body in bytes (default 1 MiB). */
  MAX_BODY_BYTES?: string;
  /** JSON catalogue of models: name → { source, task, backend, dtype, ... }. */
  MODEL_CONFIG?: unknown;
}

export interface ServerVariables {
  requestId: string;
}

export type ServerEnv<Bindings extends ServerBindings = ServerBindings> = {
  Bindings: Bindings;
  Variables: ServerVariables;
};

export interface ServiceInfo {
  name: string;
  version: string;
  /** Register the plain `GET /health` and `GET /info` (default true); the gateway adds its own. */
  builtinRoutes?: boolean;
}

const REQUEST_ID_PATTERN = /^[\w.:-]{1,128}$/;

function allowedOrigins(setting: string | undefined): string | string[] {
  if (!setting || setting.trim() === "*") return "*";
  return setting.split(",").map((origin) => origin.trim());
}

/**
 * The Hono app every edgeformers worker starts from: request ids, a JSON access log,
 * CORS, optional bearer auth, a body limit, problem+json for every error (404 and 405
 * included), and `GET /health` + `GET /info`. Apps add their routes to what it returns.
 */
export function createServiceApp<Bindings extends ServerBindings = ServerBindings>(
  info: ServiceInfo,
): Hono<ServerEnv<Bindings>> {
  const app = new Hono<ServerEnv<Bindings>>();

  app.use(
    requestId({
      // Keep a caller's id (the gateway forwards its own) only when it is a sane token.
      generator: (c) => {
        const incoming = c.req.header("x-request-id");
        return incoming && REQUEST_ID_PATTERN.test(incoming) ? incoming : crypto.randomUUID();
      },
    }),
  );
  app.use(async (c, next) => {
    const started = Date.now();
    await next();
    // A response forwarded from another worker keeps the name of the worker that made it.
    if (!c.res.headers.has("x-edgeformers-service")) c.header("x-edgeformers-service", info.name);
    console.log(
      JSON.stringify({
        service: info.name,
        requestId: c.get("requestId"),
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Date.now() - started,
      }),
    );
  });
  app.use((c, next) =>
    cors({
      origin: allowedOrigins(c.env?.CORS_ORIGINS),
      allowHeaders: ["authorization", "content-type", "x-request-id"],
      exposeHeaders: ["x-request-id"],
      maxAge: 86400,
    })(c, next),
  );
  app.use(methodNotAllowed({ app, onMethodNotAllowed: methodNotAllowedResponse }));
  app.use(bearerAuth());
  app.use((c, next) => {
    const configured = Number(c.env?.MAX_BODY_BYTES);
    return bodyLimit(Number.isFinite(configured) && configured > 0 ? configured : DEFAULT_MAX_BODY_BYTES)(c, next);
  });

  app.onError(problemErrorHandler);
  app.notFound(problemNotFound);

  if (info.builtinRoutes === false) return app;
  app.get("/health", (c) => c.json({ status: "ok", service: info.name, version: info.version }));
  // The OpenAI list shape, so OpenAI clients can discover the models.
  app.get("/v1/models", (c) => {
    const models = parseModelConfig(c.env?.MODEL_CONFIG);
    return c.json({
      object: "list",
      data: Object.entries(models).map(([id, entry]) => ({
        id,
        object: "model",
        created: 0,
        owned_by: "edgeformers",
        task: entry.task,
      })),
    });
  });
  app.get("/info", (c) => {
    const models = parseModelConfig(c.env?.MODEL_CONFIG);
    return c.json({
      name: info.name,
      version: info.version,
      models: Object.entries(models).map(([name, entry]) => ({ name, ...entry })),
    });
  });

  return app;
}
