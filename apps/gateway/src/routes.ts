/** The workers behind the gateway. */
export const SERVICES = ["tokenize", "embed", "classify"] as const;
export type ServiceName = (typeof SERVICES)[number];

/**
 * Which worker owns which public path. A prefix owns itself and everything below it
 * (`/embed` owns `/embed/x` but not `/embed_all`, which is listed on its own).
 */
export const ROUTE_PREFIXES: Readonly<Record<ServiceName, readonly string[]>> = {
  tokenize: ["/v1/tokenize", "/v1/decode", "/tokenize", "/decode"],
  embed: ["/v1/embeddings", "/embed", "/embed_all", "/embed_sparse", "/similarity", "/rerank", "/ai/run"],
  classify: [
    "/v1/classify",
    "/v1/zero-shot",
    "/v1/ner",
    "/v1/fill-mask",
    "/v1/question-answering",
    "/predict",
    "/models",
  ],
};

const OWNER_BY_PREFIX: ReadonlyArray<readonly [string, ServiceName]> = SERVICES.flatMap((service) =>
  ROUTE_PREFIXES[service].map((prefix) => [prefix, service] as const),
);

/** The worker that serves `path`, or undefined when no worker owns it. */
export function serviceForPath(path: string): ServiceName | undefined {
  for (const [prefix, service] of OWNER_BY_PREFIX) {
    if (path === prefix || path.startsWith(`${prefix}/`)) return service;
  }
  return undefined;
}

export function isServiceName(name: string): name is ServiceName {
  return (SERVICES as readonly string[]).includes(name);
}
