/**
 * `loadModel(source, options)`: the one call that turns a model folder into a runnable model.
 * Chooses the backend (kernels for BERT-family safetensors, static for Model2Vec), obtains the
 * kernels without compiling wasm bytes at request time (Node reads the .wasm once; Workers import
 * it as a module; or the caller passes one), packs the weights and builds the task head.
 */
import { createKernels, type Kernels } from "@edgeformers/kernels";
import { Tokenizer } from "@edgeformers/tokenizers";
import type { EncoderArchitecture } from "./architecture.js";
import { StaticEmbeddingModel } from "./backends/static.js";
import type { Int8Kernel } from "./backends/weights.js";
import { readEncoderConfig } from "./encoder-config.js";
import { buildEncoder } from "./encoders.js";
import { ModelFolderError } from "./errors.js";
import { loadModelFolder, type ModelFolder, parseObject } from "./folder.js";
import { buildHead } from "./heads/index.js";
import { KernelsModel } from "./kernels-model.js";
import type { Backend, Model, ModelDtype, ModelSentenceTransformers } from "./model.js";
import { loadOrtModel } from "./ort-model.js";
import type { ModelSource } from "./sources/source.js";
import { StaticModel } from "./static-model.js";

/** ~100 MB of a Worker's 128 MB isolate: the rest is the runtime, the request and the tokenizer. */
export const DEFAULT_MEMORY_BUDGET_BYTES = 100 * 1024 * 1024;

export interface LoadModelOptions {
  /** Default: "static" for Model2Vec folders, "kernels" otherwise. */
  backend?: Backend;
  /** "int8": weights quantised per output channel at load (kernels backend). Default "f32". */
  dtype?: ModelDtype;
  /** Weights + activations budget; forward() splits batches to stay inside it. Default 100 MiB. */
  memoryBudgetBytes?: number;
  /**
   * The kernels to run on: a ready instance (shared between models, then its memory too), or a
   * compiled WebAssembly.Module. Default: loaded the way @edgeformers/kernels does for this
   * runtime (Node: from disk; Workers: the bundled .wasm module).
   */
  kernels?: Kernels | WebAssembly.Module;
  /**
   * For backend "ort": the onnxruntime module to run the folder's ONNX export with
   * (onnxruntime-node or onnxruntime-web). Default in Node: onnxruntime-node, imported lazily.
   */
  onnxruntime?: unknown;
  /**
   * Kernels backend, int8 matrices: "auto" (default) runs them on the relaxed-SIMD byte dot
   * product where the kernels execute it natively (workerd; 7-bit activations, 1 byte per weight)
   * and on the i16 path elsewhere (8-bit activations, weights widened to 2 bytes). "dot" and
   * "i16" force one; "dot8" runs the byte dot on 8-bit activations (two instructions per 16
   * multiply-adds, outputs identical to "i16"). A dot kernel where it is not native is emulated
   * exactly but slowly.
   */
  int8Kernel?: "auto" | Int8Kernel;
}

const BACKENDS: readonly Backend[] = ["kernels", "ort", "static"];
const DTYPES: readonly ModelDtype[] = ["f32", "int8"];
const INT8_KERNELS: readonly NonNullable<LoadModelOptions["int8Kernel"]>[] = ["auto", "i16", "dot", "dot8"];

export async function loadModel(source: ModelSource, options: LoadModelOptions = {}): Promise<Model> {
  if (source === null || typeof source !== "object" || typeof source.get !== "function") {
    throw new TypeError("loadModel: source must be a ModelSource (LocalDirSource, HttpSource, R2Source, …)");
  }
  if (options === null || typeof options !== "object") throw new TypeError("loadModel: options must be an object");
  const { backend: requested, dtype = "f32", memoryBudgetBytes = DEFAULT_MEMORY_BUDGET_BYTES } = options;
  if (requested !== undefined && !BACKENDS.includes(requested)) {
    throw new TypeError(`options.backend must be one of ${BACKENDS.join(", ")}, got ${JSON.stringify(requested)}`);
  }
  if (!DTYPES.includes(dtype)) {
    throw new TypeError(`options.dtype must be one of ${DTYPES.join(", ")}, got ${JSON.stringify(dtype)}`);
  }
  if (typeof memoryBudgetBytes !== "number" || !Number.isFinite(memoryBudgetBytes) || memoryBudgetBytes <= 0) {
    throw new RangeError(`options.memoryBudgetBytes must be a positive number, got ${memoryBudgetBytes}`);
  }
  const { int8Kernel = "auto" } = options;
  if (!INT8_KERNELS.includes(int8Kernel)) {
    throw new TypeError(
      `options.int8Kernel must be one of ${INT8_KERNELS.join(", ")}, got ${JSON.stringify(int8Kernel)}`,
    );
  }
  const folder = await loadModelFolder(source);
  const sentenceTransformers = await readSentenceTransformers(folder);
  const architecture = folder.architecture;
  const backend = requested ?? (architecture.kind === "static" ? "static" : "kernels");

  if (architecture.kind === "static") {
    if (backend !== "static") {
      throw new TypeError(`options.backend "${backend}" cannot run a model2vec model (use "static")`);
    }
    if (dtype !== "f32") throw new TypeError(`options.dtype "${dtype}" is not available for model2vec models`);
    const model = StaticEmbeddingModel.fromFolder(folder);
    const weights = folder.weights;
    const bytes = weights ? weights.names.reduce((a, n) => a + weights.view(n).byteLength, 0) : 0;
    if (bytes > memoryBudgetBytes) {
      throw new RangeError(`the weights need ${bytes} bytes, more than memoryBudgetBytes ${memoryBudgetBytes}`);
    }
    return new StaticModel(folder.config, architecture, sentenceTransformers, model, bytes, memoryBudgetBytes);
  }
  if (backend === "static") {
    throw new TypeError(
      `options.backend "static" only runs model2vec models; model_type is "${architecture.modelType}"`,
    );
  }
  if (backend === "ort") {
    const config = readEncoderConfig(folder.config, architecture.modelType);
    const tokenizer = loadTokenizer(folder);
    return loadOrtModel(
      folder,
      architecture,
      config,
      tokenizer,
      sentenceTransformers,
      dtype,
      memoryBudgetBytes,
      options.onnxruntime,
    );
  }
  return loadKernelsModel(
    folder,
    architecture,
    sentenceTransformers,
    dtype,
    memoryBudgetBytes,
    options.kernels,
    int8Kernel === "auto" ? undefined : int8Kernel,
  );
}

async function loadKernelsModel(
  folder: ModelFolder,
  architecture: EncoderArchitecture,
  sentenceTransformers: ModelSentenceTransformers | null,
  dtype: ModelDtype,
  budget: number,
  given: Kernels | WebAssembly.Module | undefined,
  int8Kernel: Int8Kernel | undefined,
): Promise<Model> {
  if (folder.weights === null) {
    throw new ModelFolderError(
      `the kernels backend needs safetensors weights; ${folder.source.description} only has ${folder.onnxFiles.join(", ")}`,
      "model.safetensors",
    );
  }
  const config = readEncoderConfig(folder.config, architecture.modelType);
  const tokenizer = loadTokenizer(folder);
  const kernels = await obtainKernels(given, budget);
  const file = folder.weightFiles.length === 1 ? folder.weightFiles[0] : "model.safetensors.index.json";
  const { parts, reader } = buildEncoder(
    kernels,
    folder.weights,
    config,
    folder.config,
    architecture,
    dtype,
    file,
    int8Kernel,
  );
  const head = buildHead(architecture.head, { kernels, reader, config, modelType: architecture.modelType });
  return new KernelsModel(
    folder.config,
    tokenizer,
    architecture,
    sentenceTransformers,
    dtype,
    kernels,
    config,
    parts,
    reader,
    head,
    budget,
  );
}

async function obtainKernels(given: Kernels | WebAssembly.Module | undefined, budget: number): Promise<Kernels> {
  if (given instanceof WebAssembly.Module) return createKernels(given, { memoryBudgetBytes: budget });
  if (given !== undefined) {
    if (given === null || typeof given !== "object" || typeof (given as Kernels).gemm !== "function") {
      throw new TypeError(
        "options.kernels must be a Kernels instance from @edgeformers/kernels or a WebAssembly.Module",
      );
    }
    return given;
  }
  // Resolved by import conditions (package.json "imports"): node → reads dist/*.wasm from disk,
  // workerd/worker → the .wasm bundled as a module. Imported lazily so Model2Vec users never load it.
  const runtime = await import("#kernels-runtime");
  return runtime.loadKernels({ memoryBudgetBytes: budget });
}

function loadTokenizer(folder: ModelFolder): Tokenizer {
  try {
    return Tokenizer.fromJSON(folder.tokenizerJson, folder.tokenizerConfig ?? undefined);
  } catch (e) {
    throw new ModelFolderError(`could not be loaded: ${(e as Error).message}`, "tokenizer.json", { cause: e });
  }
}

/** sentence-transformers settings: modules.json, 1_Pooling, config_sentence_transformers.json, sentence_bert_config.json. */
async function readSentenceTransformers(folder: ModelFolder): Promise<ModelSentenceTransformers | null> {
  const st = folder.sentenceTransformers;
  if (st === null) return null;
  const file = "config_sentence_transformers.json";
  const raw = st.config;
  let prompts: Record<string, string> = {};
  if (raw && raw.prompts !== undefined && raw.prompts !== null) {
    const p = raw.prompts;
    if (typeof p !== "object" || Array.isArray(p) || Object.values(p).some((v) => typeof v !== "string")) {
      throw new ModelFolderError(`"prompts" must map prompt names to strings`, file);
    }
    prompts = { ...(p as Record<string, string>) };
  }
  const defaultName = raw?.default_prompt_name ?? null;
  if (defaultName !== null && (typeof defaultName !== "string" || !(defaultName in prompts))) {
    throw new ModelFolderError(
      `"default_prompt_name" ${JSON.stringify(defaultName)} is not one of the prompts (${Object.keys(prompts).join(", ") || "none"})`,
      file,
    );
  }
  let maxSeqLength: number | null = null;
  const sbertText = await folder.source.getText("sentence_bert_config.json");
  if (sbertText !== null) {
    const value = parseObject(sbertText, "sentence_bert_config.json").max_seq_length;
    if (typeof value === "number" && Number.isInteger(value) && value > 0) maxSeqLength = value;
  }
  return {
    modules: st.modules,
    pooling: st.pooling,
    normalize: st.normalize,
    prompts,
    defaultPromptName: defaultName,
    maxSeqLength,
    config: raw,
  };
}
