import { type ModelEntry, ProblemError } from "@edgeformers/server";

/** What a worker needs to read model files: its R2 binding (optional when sources are URLs). */
export interface ModelFileBindings {
  MODELS?: R2Bucket;
}

/**
 * Reads one file of a configured model folder, from the R2 prefix or the base URL of its
 * `source`. Missing files are `null`; anything else that fails is a 503 naming the file, since
 * it is the deployment, not the request, that is broken.
 */
export async function readModelText(entry: ModelEntry, file: string, env: ModelFileBindings): Promise<string | null> {
  if (entry.source.startsWith("r2:")) {
    if (!env.MODELS) throw unavailable(file, "the MODELS R2 binding is not configured");
    const object = await env.MODELS.get(`${entry.source.slice(3)}${file}`);
    return object ? object.text() : null;
  }
  const url = new URL(file, entry.source.endsWith("/") ? entry.source : `${entry.source}/`);
  const response = await fetch(url);
  if (response.status === 404) return null;
  if (!response.ok) throw unavailable(file, `${url} answered ${response.status}`);
  return response.text();
}

function unavailable(file: string, why: string): ProblemError {
  return new ProblemError({ status: 503, slug: "model-unavailable", detail: `Cannot read ${file}: ${why}.` });
}
