import classify, { type ClassifyBindings } from "@edgeformers/app-classify";
import embed, { type EmbedBindings } from "@edgeformers/app-embed";
import tokenize, { type TokenizeBindings } from "@edgeformers/app-tokenize";
import type { Context } from "hono";
import { createGateway, type RateLimitBindings } from "./gateway.js";
import type { ServiceName } from "./routes.js";

/** Single-worker mode: every route in one isolate, one deployment. */
export type SingleWorkerBindings = TokenizeBindings & EmbedBindings & ClassifyBindings & RateLimitBindings;

const APPS: Record<
  ServiceName,
  { fetch: (request: Request, env: SingleWorkerBindings, ctx?: ExecutionContext) => Response | Promise<Response> }
> = {
  tokenize,
  embed,
  classify,
};

function executionContextOf(c: Context): ExecutionContext | undefined {
  try {
    return c.executionCtx as ExecutionContext;
  } catch {
    return undefined; // app.request() in tests has none
  }
}

export const app = createGateway<SingleWorkerBindings>("single-worker", async (service, request, c) =>
  APPS[service].fetch(request, c.env, executionContextOf(c)),
);

export default app;
