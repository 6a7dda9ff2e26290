import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { isQuantizable, parseSafetensors, resolveArchitecture } from "@edgeformers/engine";
import { CliError } from "./errors.js";

/** A Workers isolate has 128 MB; the runtime, the bundle and activations need part of it. */
export const ISOLATE_BYTES = 128 * 1024 * 1024;
export const WEIGHTS_BUDGET_BYTES = 100 * 1024 * 1024;

export interface Inspection {
  path: string;
  modelType: string;
  architecture: string;
  parameters: number;
  dtypes: string[];
  fileBytes: number;
  /** Weights in memory as f32, and as int8 the way `models quantize` writes them (matrices and word embeddings 1 byte a weight plus a f32 scale per row; norms, biases, position tables f32). */
  f32Bytes: number;
  /** int8 in a Worker: the engine's relaxed-SIMD dot kernel keeps 1 byte per weight (workerd). */
  int8Bytes: number;
  /** int8 on Node / plain SIMD: the i16 kernel widens Linear weights to 2 bytes (the word embeddings, gathered in JS, stay 1 byte). */
  int8I16Bytes: number;
  fitsF32: boolean;
  fitsInt8: boolean;
  apps: string[];
}

/** Which apps can serve a model, from its head (see apps/* in the README). */
function appsFor(config: Record<string, unknown>): string[] {
  const arch = resolveArchitecture(config);
  if (arch.kind === "static") return ["tokenize", "embed"];
  const labels = Object.values((config.id2label ?? {}) as Record<string, string>).map((l) => l.toLowerCase());
  switch (arch.head) {
    case "base":
      return ["tokenize", "embed"];
    case "ForSequenceClassification": {
      const apps = ["tokenize", "classify (text-classification)"];
      if (labels.some((l) => l.startsWith("entail"))) apps.push("classify (zero-shot)");
      if (labels.length === 1 || config.num_labels === 1) apps.push("embed (rerank)");
      return apps;
    }
    case "ForTokenClassification":
      return ["tokenize", "classify (ner)"];
    case "ForQuestionAnswering":
      return ["tokenize", "classify (question-answering)"];
    case "ForMaskedLM":
      return ["tokenize", "classify (fill-mask)", "embed"];
    default:
      return ["tokenize"];
  }
}

export async function inspect(path: string): Promise<Inspection> {
  let configText: string;
  try {
    configText = await readFile(join(path, "config.json"), "utf8");
  } catch {
    throw new CliError(`${path} has no config.json: is it a model folder?`);
  }
  const config = JSON.parse(configText) as Record<string, unknown>;
  const architecture = resolveArchitecture(config);
  const weightFiles = (await readdir(path)).filter((f) => /^model.*\.safetensors$/.test(f));
  if (weightFiles.length === 0) throw new CliError(`${path} has no model*.safetensors to inspect.`);
  let parameters = 0;
  let fileBytes = 0;
  let matrixParameters = 0;
  let linearParameters = 0;
  let scaleBytes = 0;
  const dtypes = new Set<string>();
  for (const file of weightFiles) {
    const bytes = await readFile(join(path, file));
    fileBytes += (await stat(join(path, file))).size;
    const tensors = parseSafetensors(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), file);
    for (const name of tensors.names) {
      const info = tensors.info(name);
      const count = info.shape.reduce((a, b) => a * b, 1);
      parameters += count;
      dtypes.add(info.dtype);
      // The engine's own rule for what int8 quantises (one f32 scale per row comes with it).
      if (isQuantizable(name, info.dtype, info.shape)) {
        matrixParameters += count;
        if (!/word_embeddings\.weight$/.test(name)) linearParameters += count;
        scaleBytes += (info.shape[0] as number) * 4;
      }
    }
  }
  const f32Bytes = parameters * 4;
  const int8Bytes = (parameters - matrixParameters) * 4 + matrixParameters + scaleBytes;
  return {
    path,
    modelType: architecture.modelType,
    architecture: architecture.kind === "static" ? "StaticModel" : (architecture.className ?? "base model"),
    parameters,
    dtypes: [...dtypes].sort(),
    fileBytes,
    f32Bytes,
    int8Bytes,
    int8I16Bytes: int8Bytes + linearParameters,
    fitsF32: f32Bytes <= WEIGHTS_BUDGET_BYTES,
    fitsInt8: int8Bytes <= WEIGHTS_BUDGET_BYTES,
    apps: appsFor(config),
  };
}

/** Model folders (with a config.json) under `dir`, two levels deep: `<org>/<name>`. */
export async function listModels(dir: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (folder: string, depth: number) => {
    let entries: string[];
    try {
      entries = await readdir(folder);
    } catch {
      return;
    }
    if (entries.includes("config.json")) {
      found.push(folder);
      return;
    }
    if (depth === 0) return;
    for (const entry of entries) if (!entry.startsWith(".")) await walk(join(folder, entry), depth - 1);
  };
  await walk(dir, 2);
  return found.sort();
}
