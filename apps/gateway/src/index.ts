import type { ServerBindings } from "@edgeformers/server";
import { createGateway, type RateLimitBindings } from "./gateway.js";
import type { ServiceName } from "./routes.js";

/** Service-binding mode: each worker is its own deployment, reached through a binding. */
export interface GatewayBindings extends ServerBindings, RateLimitBindings {
  TOKENIZE: Fetcher;
  EMBED: Fetcher;
  CLASSIFY: Fetcher;
}

const BINDING: Record<ServiceName, keyof Pick<GatewayBindings, "TOKENIZE" | "EMBED" | "CLASSIFY">> = {
  tokenize: "TOKENIZE",
  embed: "EMBED",
  classify: "CLASSIFY",
};

export const app = createGateway<GatewayBindings>("service-bindings", (service, request, c) =>
  c.env[BINDING[service]].fetch(request),
);

export default app;
