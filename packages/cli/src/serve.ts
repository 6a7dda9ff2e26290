import { relative, resolve, sep } from "node:path";
import app from "@edgeformers/app-gateway/single";
import { resolveArchitecture } from "@edgeformers/engine";
import { type ServerType, serve as serveNode } from "@hono/node-server";
import { DiskBucket } from "./disk-bucket.js";
import { listModels } from "./inspect.js";

export interface ServeOptions {
  dir?: string;
  port?: number;
  host?: string;
  /** Extra vars (API_KEYS, CORS_ORIGINS, MAX_BODY_BYTES, MODEL_CONFIG, ...), as in wrangler. */
  vars?: Record<string, unknown>;
}

interface ModelEntry {
  source: string;
  task: string;
  backend?: string;
}

/** The task a model folder serves, from its head, as in MODEL_CONFIG. */
function taskOf(config: Record<string, unknown>): { task: string; backend?: string } {
  const architecture = resolveArchitecture(config);
  if (architecture.kind === "static") return { task: "feature-extraction", backend: "static" };
  const tasks: Record<string, string> = {
    base: "feature-extraction",
    ForSequenceClassification: "text-classification",
    ForTokenClassification: "token-classification",
    ForQuestionAnswering: "question-answering",
    ForMaskedLM: "fill-mask",
  };
  return { task: tasks[architecture.head] ?? "feature-extraction", backend: "kernels" };
}

/** MODEL_CONFIG for every model folder under `dir`, named `<org>/<name>` as pulled. */
export async function discoverModels(dir: string): Promise<Record<string, ModelEntry>> {
  const { readFile } = await import("node:fs/promises");
  const root = resolve(dir);
  const catalogue: Record<string, ModelEntry> = {};
  for (const folder of await listModels(root)) {
    const name = relative(root, folder).split(sep).join("/");
    try {
      const config = JSON.parse(await readFile(resolve(folder, "config.json"), "utf8")) as Record<string, unknown>;
      catalogue[name] = { source: `r2:${name}/`, ...taskOf(config) };
    } catch {
      // A folder the engine cannot run is left out rather than failing every request.
    }
  }
  return catalogue;
}

/**
 * Self-hosting: the single-worker gateway (every route of every app) on Node, with the models
 * folder standing in for the R2 bucket. Same code, same routes, same answers as on Workers.
 */
export async function serve(
  options: ServeOptions = {},
): Promise<{ server: ServerType; url: string; models: string[] }> {
  const dir = options.dir ?? "models";
  const host = options.host ?? "127.0.0.1";
  const modelConfig = options.vars?.MODEL_CONFIG ?? (await discoverModels(dir));
  const env = { ...options.vars, MODELS: new DiskBucket(dir), MODEL_CONFIG: modelConfig };
  const ctx = { waitUntil() {}, passThroughOnException() {}, props: {} };
  const fetch = async (request: Request) => {
    const response = await app.fetch(request, env as never, ctx as never);
    if (response.status !== 413) return response;
    // The unread rest of an oversized body is left on the socket; tell the client not to reuse it.
    const headers = new Headers(response.headers);
    headers.set("connection", "close");
    return new Response(response.body, { status: response.status, headers });
  };
  const server = await new Promise<ServerType>((ready) => {
    const s = serveNode({ fetch, port: options.port ?? 8787, hostname: host }, () => ready(s));
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  return { server, url: `http://${host}:${port}`, models: Object.keys(modelConfig as object) };
}
