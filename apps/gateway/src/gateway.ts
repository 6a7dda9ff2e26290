import {
  createServiceApp,
  docsPage,
  enforceRateLimit,
  ProblemError,
  type RateLimiter,
  type ServerBindings,
  type ServerEnv,
} from "@edgeformers/server";
import type { Context, Hono } from "hono";
import packageJson from "../package.json";
import { isServiceName, SERVICES, type ServiceName, serviceForPath } from "./routes.js";

export type GatewayMode = "service-bindings" | "single-worker";

/** Optional rate-limiting bindings, one per worker's routes (see wrangler.jsonc `ratelimits`). */
export interface RateLimitBindings {
  RATE_LIMIT_TOKENIZE?: RateLimiter;
  RATE_LIMIT_EMBED?: RateLimiter;
  RATE_LIMIT_CLASSIFY?: RateLimiter;
}

const RATE_LIMIT_BINDING = {
  tokenize: "RATE_LIMIT_TOKENIZE",
  embed: "RATE_LIMIT_EMBED",
  classify: "RATE_LIMIT_CLASSIFY",
} as const satisfies Record<ServiceName, keyof RateLimitBindings>;

/** How a mode reaches a worker: over a service binding, or by calling its app in-process. */
export type Dispatch<Bindings extends ServerBindings> = (
  service: ServiceName,
  request: Request,
  c: Context<ServerEnv<Bindings>>,
) => Promise<Response>;

/** Re-targets `request` at `path` on the worker, carrying the gateway's request id along. */
function forwardedRequest(c: Context, path: string): Request {
  const url = new URL(c.req.url);
  url.pathname = path;
  const request = new Request(url, c.req.raw);
  request.headers.set("x-request-id", c.get("requestId") as string);
  return request;
}

/** A bodiless GET of `path` on a worker, for the gateway's own lookups; the client's body stays unread. */
function lookupRequest(c: Context, path: string): Request {
  const url = new URL(c.req.url);
  url.pathname = path;
  url.search = "";
  const headers = new Headers({ "x-request-id": c.get("requestId") as string });
  const authorization = c.req.header("authorization");
  if (authorization) headers.set("authorization", authorization);
  return new Request(url, { method: "GET", headers });
}

async function fetchJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return { status: "unreadable", httpStatus: response.status };
  }
}

/**
 * The one public URL. Both modes share this app; only `dispatch` differs. The gateway runs
 * the shared middleware (auth, CORS, limits) once at the edge and forwards by path prefix.
 */
export function createGateway<Bindings extends ServerBindings & RateLimitBindings>(
  mode: GatewayMode,
  dispatch: Dispatch<Bindings>,
): Hono<ServerEnv<Bindings>> {
  const app = createServiceApp<Bindings>({ name: "gateway", version: packageJson.version, builtinRoutes: false });

  /** Sends `request` to a worker; a worker that throws becomes a 502 problem. */
  const callService = async (c: Context<ServerEnv<Bindings>>, service: ServiceName, request: Request) => {
    try {
      return await dispatch(service, request, c);
    } catch (error) {
      console.error(JSON.stringify({ level: "error", requestId: c.get("requestId"), service, message: String(error) }));
      throw new ProblemError({
        status: 502,
        slug: "upstream-unavailable",
        detail: `The ${service} worker did not answer.`,
      });
    }
  };

  // Health and info aggregate every worker, so one probe tells whether the deployment works.
  app.get("/health", async (c) => {
    const checks = await Promise.all(
      SERVICES.map(async (service) => {
        try {
          const res = await dispatch(service, lookupRequest(c, "/health"), c);
          return [service, res.ok ? "ok" : `http ${res.status}`] as const;
        } catch {
          return [service, "unreachable"] as const;
        }
      }),
    );
    const healthy = checks.every(([, status]) => status === "ok");
    return c.json(
      {
        status: healthy ? "ok" : "degraded",
        service: "gateway",
        version: packageJson.version,
        mode,
        services: Object.fromEntries(checks),
      },
      healthy ? 200 : 503,
    );
  });

  app.get("/info", async (c) => {
    const services = await Promise.all(
      SERVICES.map(
        async (service) =>
          [service, await fetchJson(await callService(c, service, lookupRequest(c, "/info")))] as const,
      ),
    );
    const models = services.flatMap(([service, info]) => {
      const listed = (info as { models?: unknown }).models;
      return Array.isArray(listed) ? listed.map((model: Record<string, unknown>) => ({ ...model, service })) : [];
    });
    return c.json({
      name: "gateway",
      version: packageJson.version,
      mode,
      models,
      services: Object.fromEntries(services),
    });
  });

  // One OpenAI model list for the deployment; a name served by several workers appears once.
  app.get("/v1/models", async (c) => {
    const lists = await Promise.all(
      SERVICES.map(async (service) => fetchJson(await callService(c, service, lookupRequest(c, "/v1/models")))),
    );
    const seen = new Map<string, unknown>();
    for (const list of lists) {
      const data = (list as { data?: unknown }).data;
      if (!Array.isArray(data)) continue;
      for (const model of data as { id: string }[]) if (!seen.has(model.id)) seen.set(model.id, model);
    }
    return c.json({ object: "list", data: [...seen.values()] });
  });

  // One OpenAPI document for the public URL: the gateway's routes plus every worker's.
  const openApi = async (c: Context<ServerEnv<Bindings>>) => {
    const own = app.docs.document({ title: "edgeformers", version: packageJson.version });
    const paths = { ...(own.paths as Record<string, unknown>) };
    for (const service of SERVICES) {
      const document = (await fetchJson(await callService(c, service, lookupRequest(c, "/openapi.json")))) as {
        paths?: Record<string, unknown>;
      };
      for (const [path, operations] of Object.entries(document.paths ?? {})) {
        // Only paths the gateway forwards to this worker are reachable through it.
        if (serviceForPath(path) === service) paths[path] = operations;
      }
    }
    return { ...own, paths };
  };
  app.get("/openapi.json", async (c) => c.json(await openApi(c)));
  app.get("/docs", async (c) => c.html(docsPage("edgeformers API", await openApi(c))));
  const doc = (method: "get", path: string, summary: string) =>
    app.docs.add({ method, path, summary, tags: ["gateway"], responses: { 200: { description: summary } } });
  doc("get", "/health", "Health of the gateway and of every worker behind it (503 when one is not ok)");
  doc("get", "/info", "Versions, mode and every worker's models");
  doc("get", "/v1/models", "Every model of the deployment, OpenAI list shape");
  doc("get", "/openapi.json", "This document, merged from every worker");

  // The Hugging Face Inference shape `/models/<name>` belongs to whichever worker serves that
  // model: embedding models live in embed, the rest in classify.
  app.all("/models/:model{.+}", async (c) => {
    const name = c.req.param("model");
    const listed = (await fetchJson(await callService(c, "embed", lookupRequest(c, "/v1/models")))) as {
      data?: { id: string }[];
    };
    const service: ServiceName = listed.data?.some((model) => model.id === name) ? "embed" : "classify";
    await enforceRateLimit(c.env[RATE_LIMIT_BINDING[service]], c, service);
    return callService(c, service, forwardedRequest(c, c.req.path));
  });

  // `/apps/<service>/<path>` reaches any route of one worker directly (its /health, /info, …).
  app.all("/apps/:service/*", async (c) => {
    const service = c.req.param("service");
    if (!isServiceName(service)) {
      throw new ProblemError({
        status: 404,
        slug: "unknown-service",
        detail: `No worker named "${service}"; the workers are ${SERVICES.join(", ")}.`,
        field: "service",
      });
    }
    await enforceRateLimit(c.env[RATE_LIMIT_BINDING[service]], c, service);
    return callService(c, service, forwardedRequest(c, c.req.path.slice(`/apps/${service}`.length) || "/"));
  });

  // Everything else goes to the worker that owns the path prefix; unowned paths are a 404.
  app.all("*", async (c, next) => {
    const service = serviceForPath(c.req.path);
    if (!service) return next();
    await enforceRateLimit(c.env[RATE_LIMIT_BINDING[service]], c, service);
    return callService(c, service, forwardedRequest(c, c.req.path));
  });

  return app;
}
