import * as z from "zod";
import { fieldPath } from "./body.js";
import { ProblemError } from "./problem.js";

/**
 * One configured model, as written in an app's wrangler config under the JSON var
 * `MODEL_CONFIG` (name → entry). The R2 binding keeps the name `MODELS`, which is why the
 * catalogue var is not also called `MODELS`.
 */
export const ModelEntrySchema = z.object({
  /** `r2:<key prefix>` inside the `MODELS` bucket, or an `https://` base URL. */
  source: z.string().regex(/^(r2:|https?:\/\/)/, "must start with r2: or http(s)://"),
  task: z.string().min(1),
  backend: z.enum(["kernels", "ort", "static"]).optional(),
  dtype: z.enum(["f32", "int8"]).optional(),
  maxBatch: z.number().int().positive().optional(),
  maxTokens: z.number().int().positive().optional(),
});
export type ModelEntry = z.infer<typeof ModelEntrySchema>;

export const ModelConfigSchema = z.record(z.string().min(1), ModelEntrySchema);
export type ModelConfig = z.infer<typeof ModelConfigSchema>;

/**
 * Parses the `MODEL_CONFIG` var. Wrangler passes JSON vars as objects; a string is parsed.
 * A broken config is the operator's fault, not the client's: it is a 503 naming the field.
 */
export function parseModelConfig(raw: unknown): ModelConfig {
  if (raw === undefined || raw === null || raw === "") return {};
  let value = raw;
  if (typeof raw === "string") {
    try {
      value = JSON.parse(raw);
    } catch {
      throw misconfigured("MODEL_CONFIG", "is not valid JSON");
    }
  }
  const result = ModelConfigSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw misconfigured(`MODEL_CONFIG.${fieldPath(issue?.path ?? [])}`, issue?.message ?? "is invalid");
  }
  return result.data;
}

function misconfigured(field: string, message: string): ProblemError {
  return new ProblemError({
    status: 503,
    slug: "misconfigured",
    detail: `The worker's ${field} ${message}.`,
    field,
  });
}

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

/**
 * The model a task route uses: the requested one, which must be configured for one of the
 * `accepted` tasks (default: just `task`), or else the first configured for `task` exactly,
 * else the first for any accepted task.
 */
export function resolveModelForTask(
  catalogue: ModelConfig,
  requested: string | undefined,
  task: string,
  accepted: readonly string[] = [task],
): ResolvedModel {
  if (requested === undefined) {
    const entries = Object.entries(catalogue);
    const first =
      entries.find(([, entry]) => entry.task === task) ?? entries.find(([, entry]) => accepted.includes(entry.task));
    if (!first) {
      throw new ProblemError({
        status: 404,
        slug: "model-not-found",
        detail: `No ${task} model is configured.`,
        field: "model",
      });
    }
    return { name: first[0], entry: first[1] };
  }
  const resolved = resolveModel(catalogue, requested);
  if (!accepted.includes(resolved.entry.task)) {
    throw new ProblemError({
      status: 422,
      slug: "wrong-task",
      detail: `Model "${resolved.name}" is configured for ${resolved.entry.task}, not ${task}.`,
      field: "model",
    });
  }
  return resolved;
}
