import { type Context, Hono } from "hono";
import { cors } from "hono/cors";
import { methodNotAllowed } from "hono/method-not-allowed";
import { requestId } from "hono/request-id";
import { routePath } from "hono/route";
import { bearerAuth } from "./auth.js";
import { bodyLimit, DEFAULT_MAX_BODY_BYTES } from "./body.js";
import { methodNotAllowedResponse, problemErrorHandler, problemNotFound } from "./errors.js";
import { Metrics } from "./metrics.js";
import { parseModelConfig } from "./models.js";
import { ApiDocs, docsPage } from "./openapi.js";

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
  /** This isolate's metrics, for handlers to count tokens and model loads. */
  metrics: Metrics;
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
  /**
   * Catalogue tasks this worker serves: /info and /v1/models list only those models, so one
   * shared MODEL_CONFIG (single-worker mode) shows each worker its own. Default: every model.
   */
  tasks?: readonly string[];
}

/** The app plus what handlers register into: route docs and metrics. */
export type ServiceApp<Bindings extends ServerBindings = ServerBindings> = Hono<ServerEnv<Bindings>> & {
  docs: ApiDocs;
  metrics: Metrics;
};

/**
 * The pattern of the route that answered (a bounded label set), or "unmatched" when only
 * middleware ran (a 404 for an unknown path). Read after `next()`, when Hono's route index
 * points at the last handler it dispatched.
 */
function routeLabel(c: Context): string {
  const path = routePath(c);
  return path === "/*" ? "unmatched" : path;
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
): ServiceApp<Bindings> {
  const metrics = new Metrics(info.name);
  const docs = new ApiDocs();
  const app = Object.assign(new Hono<ServerEnv<Bindings>>(), { docs, metrics });

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
    c.set("metrics", metrics);
    await next();
    metrics.observeRequest(routeLabel(c), c.req.method, c.res.status, (Date.now() - started) / 1000);
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

  app.get("/metrics", (c) =>
    c.text(metrics.render(), 200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" }),
  );
  docs.add({
    method: "get",
    path: "/metrics",
    summary: "Prometheus metrics of this isolate",
    responses: { 200: { description: "Prometheus text format" } },
  });
  if (info.builtinRoutes === false) return app;
  const openApi = () => docs.document({ title: `edgeformers ${info.name}`, version: info.version });
  app.get("/openapi.json", (c) => c.json(openApi()));
  app.get("/docs", (c) => c.html(docsPage(`edgeformers ${info.name} API`, openApi())));
  docs.add({
    method: "get",
    path: "/openapi.json",
    summary: "This document",
    responses: { 200: { description: "OpenAPI 3.1" } },
  });
  docs.add({
    method: "get",
    path: "/health",
    summary: "Liveness: the worker answers",
    responses: { 200: { description: "ok" } },
  });
  docs.add({
    method: "get",
    path: "/info",
    summary: "Name, version and configured models",
    responses: { 200: { description: "service info" } },
  });
  docs.add({
    method: "get",
    path: "/v1/models",
    summary: "Configured models, OpenAI list shape",
    responses: { 200: { description: "model list" } },
  });
  app.get("/health", (c) => c.json({ status: "ok", service: info.name, version: info.version }));
  // The OpenAI list shape, so OpenAI clients can discover the models.
  const served = (c: Context<ServerEnv<Bindings>>) =>
    Object.entries(parseModelConfig(c.env?.MODEL_CONFIG)).filter(
      ([, entry]) => !info.tasks || info.tasks.includes(entry.task),
    );
  app.get("/v1/models", (c) => {
    return c.json({
      object: "list",
      data: served(c).map(([id, entry]) => ({
        id,
        object: "model",
        created: 0,
        owned_by: "edgeformers",
        task: entry.task,
      })),
    });
  });
  app.get("/info", (c) =>
    c.json({ name: info.name, version: info.version, models: served(c).map(([name, entry]) => ({ name, ...entry })) }),
  );

  return app;
}
