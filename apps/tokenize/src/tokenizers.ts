import { type Metrics, type ModelConfig, type ModelEntry, ProblemError } from "@edgeformers/server";
import { Tokenizer } from "@edgeformers/tokenizers";
import { type ModelFileBindings, readModelText } from "./model-files.js";

/**
 * Tokenizers loaded by this isolate, keyed by model name and source. Loading is lazy and
 * single-flight: concurrent first requests share one load, later ones reuse the result, and
 * a failed load is forgotten so the next request retries.
 */
const loaded = new Map<string, Promise<Tokenizer>>();

export interface ResolvedModel {
  name: string;
  entry: ModelEntry;
}

/** The requested model, or the first configured one when the request names none. */
export function resolveModel(catalogue: ModelConfig, requested: string | undefined): ResolvedModel {
  const names = Object.keys(catalogue);
  const name = requested ?? names[0];
  const entry = name === undefined ? undefined : catalogue[name];
  if (name === undefined || entry === undefined) {
    throw new ProblemError({
      status: 404,
      slug: "model-not-found",
      detail:
        names.length === 0
          ? "This worker has no models configured (MODEL_CONFIG is empty)."
          : `No model "${requested}"; available: ${names.join(", ")}.`,
      field: "model",
    });
  }
  return { name, entry };
}

async function load(model: ResolvedModel, env: ModelFileBindings, metrics: Metrics): Promise<Tokenizer> {
  const started = Date.now();
  const [json, config] = await Promise.all([
    readModelText(model.entry, "tokenizer.json", env),
    readModelText(model.entry, "tokenizer_config.json", env),
  ]);
  if (json === null) {
    throw new ProblemError({
      status: 503,
      slug: "model-unavailable",
      detail: `Model "${model.name}" has no tokenizer.json at ${model.entry.source}.`,
    });
  }
  try {
    const tokenizer = Tokenizer.fromJSON(json, config === null ? undefined : JSON.parse(config));
    metrics.recordModelLoad(model.name, (Date.now() - started) / 1000);
    return tokenizer;
  } catch (error) {
    throw new ProblemError({
      status: 503,
      slug: "model-unavailable",
      detail: `Model "${model.name}" has a tokenizer this worker cannot load: ${(error as Error).message}`,
    });
  }
}

export function getTokenizer(model: ResolvedModel, env: ModelFileBindings, metrics: Metrics): Promise<Tokenizer> {
  const key = `${model.name}\u0000${model.entry.source}`;
  let pending = loaded.get(key);
  if (!pending) {
    pending = load(model, env, metrics);
    loaded.set(key, pending);
    pending.catch(() => loaded.delete(key));
  }
  return pending;
}
