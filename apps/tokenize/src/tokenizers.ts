import { type Metrics, ProblemError, type ResolvedModel, SingleFlight } from "@edgeformers/server";
import { Tokenizer } from "@edgeformers/tokenizers";
import { type ModelFileBindings, readModelText } from "./model-files.js";

/** Tokenizers loaded by this isolate, keyed by model name and source; loaded lazily, once. */
const loaded = new SingleFlight<Tokenizer>();

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
  return loaded.get(`${model.name}\u0000${model.entry.source}`, () => load(model, env, metrics));
}
