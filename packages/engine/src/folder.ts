/**
 * Reads a Hugging Face model folder from any ModelSource: configs, tokenizer, weights (single
 * or sharded safetensors), ONNX presence and the sentence-transformers module files. Every
 * missing required file or malformed one is a ModelFolderError naming that file.
 */
import { type Architecture, resolveArchitecture } from "./architecture.js";
import { ModelFolderError, SafetensorsError } from "./errors.js";
import { SafetensorsFile, type TensorStore } from "./safetensors.js";
import { readWeightMap, ShardedTensorStore } from "./sharded.js";
import type { ModelSource } from "./sources/source.js";

export type JsonObject = Record<string, unknown>;

export type PoolingMode = "cls" | "mean" | "max" | "mean_sqrt_len" | "weightedmean" | "lasttoken";

export interface PoolingConfig {
  mode: PoolingMode;
  includePrompt: boolean;
  dimension: number | null;
}

export interface SentenceTransformersModule {
  idx: number;
  name: string;
  path: string;
  type: string;
}

export interface SentenceTransformersInfo {
  modules: SentenceTransformersModule[];
  /** From the Pooling module's config.json (usually 1_Pooling/config.json), when there is one. */
  pooling: PoolingConfig | null;
  /** Whether the pipeline ends with a Normalize module. */
  normalize: boolean;
  /** config_sentence_transformers.json (prompts, similarity function), when present. */
  config: JsonObject | null;
}

export interface ModelFolder {
  source: ModelSource;
  config: JsonObject;
  architecture: Architecture;
  tokenizerJson: JsonObject;
  tokenizerConfig: JsonObject | null;
  specialTokensMap: JsonObject | null;
  /** Tensors from model.safetensors or its shards; null when the folder only has ONNX weights. */
  weights: TensorStore | null;
  /** The safetensors file(s) the weights came from. */
  weightFiles: string[];
  /** onnx/model*.onnx files present (not read). */
  onnxFiles: string[];
  sentenceTransformers: SentenceTransformersInfo | null;
}

const SINGLE = "model.safetensors";
const INDEX = "model.safetensors.index.json";
/** Probed when the source cannot list: the names transformers.js / optimum exports use. */
const ONNX_CANDIDATES = [
  "model",
  "model_quantized",
  "model_fp16",
  "model_int8",
  "model_uint8",
  "model_q4",
  "model_q4f16",
  "model_bnb4",
].map((n) => `onnx/${n}.onnx`);
const ONNX_PATTERN = /^onnx\/model[^/]*\.onnx$/;

/** Sentence-transformers module types we understand; any other makes the pipeline unsupported. */
const ST_MODULES: Record<string, string> = {
  "sentence_transformers.models.Transformer": "Transformer",
  "sentence_transformers.models.StaticEmbedding": "StaticEmbedding",
  "sentence_transformers.models.Pooling": "Pooling",
  "sentence_transformers.models.Normalize": "Normalize",
};

export async function loadModelFolder(source: ModelSource): Promise<ModelFolder> {
  const [configText, tokenizerText, tokenizerConfigText, specialText, modulesText, stConfigText] = await Promise.all(
    [
      "config.json",
      "tokenizer.json",
      "tokenizer_config.json",
      "special_tokens_map.json",
      "modules.json",
      "config_sentence_transformers.json",
    ].map((f) => source.getText(f)),
  );
  const config = parseObject(required(configText, "config.json", source), "config.json");
  const architecture = resolveArchitecture(config);
  const tokenizerJson = parseObject(required(tokenizerText, "tokenizer.json", source), "tokenizer.json");
  const tokenizerConfig =
    tokenizerConfigText === null ? null : parseObject(tokenizerConfigText, "tokenizer_config.json");
  const specialTokensMap = specialText === null ? null : parseObject(specialText, "special_tokens_map.json");
  const sentenceTransformers = await readSentenceTransformers(source, modulesText, stConfigText);
  const [{ weights, weightFiles }, onnxFiles] = await Promise.all([readWeights(source), findOnnx(source)]);
  if (weights === null && (architecture.kind === "static" || onnxFiles.length === 0)) {
    throw new ModelFolderError(
      `required weights are missing from ${source.description}: expected ${SINGLE} or ${INDEX}` +
        (architecture.kind === "static" ? "" : " (or onnx/model*.onnx)"),
      SINGLE,
    );
  }
  return {
    source,
    config,
    architecture,
    tokenizerJson,
    tokenizerConfig,
    specialTokensMap,
    weights,
    weightFiles,
    onnxFiles,
    sentenceTransformers,
  };
}

function required(text: string | null, file: string, source: ModelSource): string {
  if (text === null) throw new ModelFolderError(`required file is missing from ${source.description}`, file);
  return text;
}

/** Parses a JSON file that must hold an object. */
export function parseObject(text: string, file: string): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ModelFolderError(`is not valid JSON: ${(e as Error).message}`, file, { cause: e });
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new ModelFolderError(
      `must contain a JSON object, got ${Array.isArray(value) ? "an array" : JSON.stringify(value)}`,
      file,
    );
  }
  return value as JsonObject;
}

async function readWeights(source: ModelSource): Promise<{ weights: TensorStore | null; weightFiles: string[] }> {
  const single = await source.get(SINGLE);
  if (single !== null) return { weights: parseSafetensorsFile(single, SINGLE), weightFiles: [SINGLE] };
  const indexText = await source.getText(INDEX);
  if (indexText === null) return { weights: null, weightFiles: [] };
  const weightMap = readWeightMap(parseObject(indexText, INDEX), INDEX);
  const shardNames = [...new Set(weightMap.values())].sort();
  const shards = new Map<string, SafetensorsFile>();
  // One shard at a time: shards are the bulk of a model, and a 128 MB isolate cannot hold
  // several in flight on top of the ones already parsed.
  for (const shard of shardNames) {
    const bytes = await source.get(shard);
    if (bytes === null)
      throw new ModelFolderError(`shard "${shard}" listed in ${INDEX} is missing from ${source.description}`, shard);
    shards.set(shard, parseSafetensorsFile(bytes, shard));
  }
  return { weights: new ShardedTensorStore(INDEX, weightMap, shards), weightFiles: shardNames };
}

function parseSafetensorsFile(bytes: ArrayBuffer, file: string): SafetensorsFile {
  try {
    return SafetensorsFile.parse(bytes, file);
  } catch (e) {
    // Already names the file and tensor; rethrown as is so callers can catch SafetensorsError.
    if (e instanceof SafetensorsError) throw e;
    throw new ModelFolderError(`could not be read: ${(e as Error).message}`, file, { cause: e });
  }
}

async function findOnnx(source: ModelSource): Promise<string[]> {
  if (source.list) {
    try {
      return (await source.list()).filter((p) => ONNX_PATTERN.test(p)).sort();
    } catch {
      // Listing is a shortcut only (a binding may not allow it): fall back to probing known names.
    }
  }
  const present = await Promise.all(ONNX_CANDIDATES.map((p) => source.exists(p)));
  return ONNX_CANDIDATES.filter((_, i) => present[i]).sort();
}

async function readSentenceTransformers(
  source: ModelSource,
  modulesText: string | null,
  stConfigText: string | null,
): Promise<SentenceTransformersInfo | null> {
  const stConfig = stConfigText === null ? null : parseObject(stConfigText, "config_sentence_transformers.json");
  if (modulesText === null)
    return stConfig === null ? null : { modules: [], pooling: null, normalize: false, config: stConfig };
  const modules = readModules(modulesText);
  const kinds = modules.map((m) => ST_MODULES[m.type]);
  const poolingModule = modules.find((_, i) => kinds[i] === "Pooling");
  let pooling: PoolingConfig | null = null;
  if (poolingModule) {
    const file = poolingModule.path === "" ? "config.json" : `${poolingModule.path}/config.json`;
    const text = await source.getText(file);
    if (text === null)
      throw new ModelFolderError(
        `required by modules.json (module "${poolingModule.name}") but missing from ${source.description}`,
        file,
      );
    pooling = readPooling(parseObject(text, file), file);
  }
  return { modules, pooling, normalize: kinds.includes("Normalize"), config: stConfig };
}

function readModules(text: string): SentenceTransformersModule[] {
  const file = "modules.json";
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ModelFolderError(`is not valid JSON: ${(e as Error).message}`, file, { cause: e });
  }
  if (!Array.isArray(value)) throw new ModelFolderError("must contain a JSON array of modules", file);
  return value.map((m: unknown, i) => {
    const o = m as Partial<SentenceTransformersModule> | null;
    if (o === null || typeof o !== "object" || typeof o.type !== "string" || typeof o.path !== "string") {
      throw new ModelFolderError(`module ${i} must be an object with string "type" and "path"`, file);
    }
    if (!(o.type in ST_MODULES)) {
      throw new ModelFolderError(
        `module ${i} has unsupported type "${o.type}" (supported: ${Object.keys(ST_MODULES).join(", ")})`,
        file,
      );
    }
    return {
      idx: typeof o.idx === "number" ? o.idx : i,
      name: String(o.name ?? i),
      path: o.path.replace(/^\.\/?|\/$/g, ""),
      type: o.type,
    };
  });
}

const POOLING_FLAGS: [string, PoolingMode][] = [
  ["pooling_mode_cls_token", "cls"],
  ["pooling_mode_mean_tokens", "mean"],
  ["pooling_mode_max_tokens", "max"],
  ["pooling_mode_mean_sqrt_len_tokens", "mean_sqrt_len"],
  ["pooling_mode_weightedmean_tokens", "weightedmean"],
  ["pooling_mode_lasttoken", "lasttoken"],
];

function readPooling(config: JsonObject, file: string): PoolingConfig {
  const on = POOLING_FLAGS.filter(([key]) => config[key] === true).map(([, mode]) => mode);
  if (on.length !== 1) {
    throw new ModelFolderError(
      on.length === 0
        ? `no pooling mode is enabled (expected exactly one of ${POOLING_FLAGS.map(([k]) => k).join(", ")})`
        : `several pooling modes are enabled (${on.join(", ")}); concatenated pooling is not supported`,
      file,
    );
  }
  const dimension = config.word_embedding_dimension;
  if (dimension !== undefined && (typeof dimension !== "number" || !Number.isInteger(dimension) || dimension <= 0)) {
    throw new ModelFolderError(
      `"word_embedding_dimension" must be a positive integer, got ${JSON.stringify(dimension)}`,
      file,
    );
  }
  return { mode: on[0], includePrompt: config.include_prompt !== false, dimension: dimension ?? null };
}
