/**
 * The "ort" backend: runs the folder's ONNX export (onnx/model.onnx, or the quantised export for
 * dtype "int8") with an onnxruntime the caller provides (`options.onnxruntime`: onnxruntime-node or
 * onnxruntime-web), or, in Node, onnxruntime-node imported lazily. The engine does not depend on
 * onnxruntime: it is a reference and fallback backend, not the edge path.
 */
import type { Tokenizer } from "@edgeformers/tokenizers";
import type { EncoderArchitecture } from "./architecture.js";
import type { EncoderConfig } from "./encoder-config.js";
import { ModelFolderError } from "./errors.js";
import type { ModelFolder } from "./folder.js";
import { checkForwardInputs, type ForwardInputs } from "./input.js";
import type { Model, ModelDtype, ModelOutputs, ModelSentenceTransformers, ModelStats } from "./model.js";

/** The part of the onnxruntime JS API the backend uses (structural, so no dependency on it). */
export interface OnnxRuntimeLike {
  InferenceSession: {
    create(model: Uint8Array, options?: Record<string, unknown>): Promise<OnnxSessionLike>;
  };
  Tensor: new (type: "int64" | "int32", data: BigInt64Array | Int32Array, dims: readonly number[]) => unknown;
}

export interface OnnxSessionLike {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** onnxruntime ≥ 1.21: input element types (older exports, e.g. keras2onnx, take int32 ids). */
  readonly inputMetadata?: readonly { name: string; isTensor: boolean; type?: string }[];
  run(feeds: Record<string, unknown>): Promise<Record<string, { data: unknown; dims: readonly number[] }>>;
}

/** The outputs of each head, in the order exporters emit them. */
const CANONICAL: Record<EncoderArchitecture["head"], string[]> = {
  base: ["last_hidden_state"],
  ForSequenceClassification: ["logits"],
  ForTokenClassification: ["logits"],
  ForQuestionAnswering: ["start_logits", "end_logits"],
  ForMaskedLM: ["logits"],
};

const PREFERRED: Record<ModelDtype, string[]> = {
  f32: ["onnx/model.onnx"],
  int8: ["onnx/model_quantized.onnx", "onnx/model_int8.onnx", "onnx/model_uint8.onnx"],
};

// In a variable so Worker bundlers leave it alone (it is a native Node addon).
const ORT_NODE = "onnxruntime-node";

export async function loadOrtModel(
  folder: ModelFolder,
  architecture: EncoderArchitecture,
  config: EncoderConfig,
  tokenizer: Tokenizer,
  sentenceTransformers: ModelSentenceTransformers | null,
  dtype: ModelDtype,
  budgetBytes: number,
  given: unknown,
): Promise<Model> {
  const file = PREFERRED[dtype].find((f) => folder.onnxFiles.includes(f));
  if (!file) {
    throw new ModelFolderError(
      `the ort backend needs ${PREFERRED[dtype].join(" or ")} for dtype "${dtype}" (found: ${folder.onnxFiles.join(", ") || "none"})`,
      PREFERRED[dtype][0],
    );
  }
  const ort = (given ?? (await importOrt())) as OnnxRuntimeLike;
  if (typeof ort?.InferenceSession?.create !== "function" || typeof ort.Tensor !== "function") {
    throw new TypeError("options.onnxruntime must be the onnxruntime-node or onnxruntime-web module");
  }
  const bytes = await folder.source.get(file);
  if (bytes === null) throw new ModelFolderError(`is missing from ${folder.source.description}`, file);
  if (bytes.byteLength > budgetBytes) {
    throw new RangeError(`${file} has ${bytes.byteLength} bytes, more than memoryBudgetBytes ${budgetBytes}`);
  }
  let session: OnnxSessionLike;
  try {
    session = await ort.InferenceSession.create(new Uint8Array(bytes), { intraOpNumThreads: 1, interOpNumThreads: 1 });
  } catch (e) {
    throw new ModelFolderError(`onnxruntime could not load it: ${(e as Error).message}`, file, { cause: e });
  }
  return new OrtModel(
    folder.config,
    tokenizer,
    architecture,
    sentenceTransformers,
    dtype,
    config,
    ort,
    session,
    bytes.byteLength,
    budgetBytes,
  );
}

async function importOrt(): Promise<unknown> {
  try {
    return await import(/* @vite-ignore */ ORT_NODE);
  } catch (cause) {
    throw new TypeError(
      `the ort backend needs onnxruntime: pass options.onnxruntime, or install onnxruntime-node (${(cause as Error).message})`,
      { cause },
    );
  }
}

class OrtModel implements Model {
  readonly backend = "ort" as const;
  readonly outputNames: readonly string[];
  private forwardCalls = 0;

  constructor(
    readonly config: Readonly<Record<string, unknown>>,
    readonly tokenizer: Tokenizer,
    readonly architecture: EncoderArchitecture,
    readonly sentenceTransformers: ModelSentenceTransformers | null,
    readonly dtype: ModelDtype,
    private readonly encoderConfig: EncoderConfig,
    private readonly ort: OnnxRuntimeLike,
    private readonly session: OnnxSessionLike,
    private readonly weightsBytes: number,
    private readonly budgetBytes: number,
  ) {
    const canonical = CANONICAL[architecture.head];
    const renamed =
      session.outputNames.length === canonical.length && !canonical.every((n) => session.outputNames.includes(n));
    this.outputNames = renamed ? [...session.outputNames, ...canonical] : session.outputNames;
  }

  async forward(inputs: ForwardInputs): Promise<ModelOutputs> {
    const c = this.encoderConfig;
    const rows = checkForwardInputs(inputs, {
      vocabSize: c.vocabSize,
      typeVocabSize: c.typeVocabSize,
      maxLength: c.maxPositions,
    });
    const batch = rows.length;
    const seq = Math.max(...rows.map((r) => r.ids.length));
    const ids = new BigInt64Array(batch * seq).fill(BigInt(c.padTokenId));
    const mask = new BigInt64Array(batch * seq);
    const types = new BigInt64Array(batch * seq);
    for (const r of rows) {
      for (let s = 0; s < r.ids.length; s++) {
        const i = r.index * seq + s;
        ids[i] = BigInt(r.ids[s]);
        mask[i] = BigInt(r.mask ? r.mask[s] : 1);
        types[i] = BigInt(r.types ? r.types[s] : 0);
      }
    }
    const dims = [batch, seq];
    const available: Record<string, BigInt64Array> = { input_ids: ids, attention_mask: mask, token_type_ids: types };
    const feeds: Record<string, unknown> = {};
    for (const name of this.session.inputNames) {
      // TF exports name inputs "input_ids:0".
      const data = available[name.replace(/:\d+$/, "")];
      if (!data)
        throw new ModelFolderError(`the ONNX model wants an input "${name}" the engine cannot provide`, "onnx");
      const type = this.session.inputMetadata?.find((m) => m.name === name)?.type;
      feeds[name] =
        type === "int32"
          ? new this.ort.Tensor("int32", Int32Array.from(data, Number), dims)
          : new this.ort.Tensor("int64", data, dims);
    }
    const out = await this.session.run(feeds);
    this.forwardCalls++;
    const result: ModelOutputs = {};
    for (const name of this.session.outputNames) {
      const t = out[name];
      if (t && t.data instanceof Float32Array) result[name] = { data: t.data, dims: [...t.dims] };
    }
    // Exports that name outputs "output_1", … get the canonical names of their head too.
    const canonical = CANONICAL[this.architecture.head];
    const present = Object.keys(result);
    if (present.length === canonical.length && !canonical.every((n) => n in result)) {
      canonical.forEach((n, i) => {
        result[n] = result[present[i]];
      });
    }
    return result;
  }

  stats(): ModelStats {
    return {
      backend: this.backend,
      dtype: this.dtype,
      weightsBytes: this.weightsBytes,
      arenaBytes: 0,
      peakBytes: this.weightsBytes,
      budgetBytes: this.budgetBytes,
      forwardCalls: this.forwardCalls,
      batches: this.forwardCalls,
    };
  }
}
