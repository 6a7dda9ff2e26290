/**
 * BERT-layout encoders on @edgeformers/kernels: BERT (MiniLM, BGE, E5, GTE-v1), RoBERTa,
 * XLM-RoBERTa and ELECTRA share the tensor names `embeddings.*` and `encoder.layer.N.*`; they differ
 * in the name prefix of head checkpoints, in position ids (RoBERTa skips padding) and in ELECTRA's
 * projection from the embedding size to the hidden size.
 *
 * Weights are read from the TensorStore as f32 views (no JS copy for F32 checkpoints) and packed
 * once into wasm memory; the safetensors buffer can be dropped after construction.
 */
import type { Kernels, Mask } from "@edgeformers/kernels";
import type { EncoderArchitecture, EncoderModelType } from "../architecture.js";
import type { EncoderConfig } from "../encoder-config.js";
import { ModelFolderError } from "../errors.js";
import type { TensorStore } from "../safetensors.js";
import {
  activationOf,
  countingPositions,
  type EncoderLayer,
  type EncoderParts,
  paddingAwarePositions,
  runEncoder,
} from "./encoder.js";
import { type Int8Kernel, type WeightDtype, WeightReader } from "./weights.js";

export interface EncoderInput {
  /** [batch, seq] token ids. */
  inputIds: Int32Array;
  batch: number;
  seq: number;
  /** [batch, seq], 1 = token, 0 = padding. Defaults to all ones. */
  attentionMask?: Mask;
  /** [batch, seq]; defaults to zeros. */
  tokenTypeIds?: Int32Array;
}

/** The name prefix transformers gives the base model inside its *For* head classes. */
export const BASE_PREFIX: Record<EncoderModelType, string> = {
  bert: "bert.",
  roberta: "roberta.",
  "xlm-roberta": "roberta.",
  electra: "electra.",
  distilbert: "distilbert.",
  albert: "albert.",
};

const BERT_LAYOUT: readonly EncoderModelType[] = ["bert", "roberta", "xlm-roberta", "electra"];

/** "" for a bare base-model checkpoint, the head prefix otherwise (detected from the word embeddings). */
export function detectPrefix(store: TensorStore, modelType: EncoderModelType): string {
  const prefix = BASE_PREFIX[modelType];
  return store.has(`${prefix}embeddings.word_embeddings.weight`) ? prefix : "";
}

/** Checks the batch shape of a direct forward call (loadModel's forward checks nested arrays first). */
export function checkEncoderInput(input: EncoderInput, maxPositions: number): void {
  const { inputIds, batch, seq, attentionMask, tokenTypeIds } = input;
  if (!Number.isInteger(batch) || batch < 1) throw new RangeError(`batch must be a positive integer, got ${batch}`);
  if (!Number.isInteger(seq) || seq < 1) throw new RangeError(`seq must be a positive integer, got ${seq}`);
  if (seq > maxPositions) throw new RangeError(`seq ${seq} exceeds max_position_embeddings ${maxPositions}`);
  if (!(inputIds instanceof Int32Array) || inputIds.length !== batch * seq) {
    throw new TypeError(`inputIds must be an Int32Array of batch × seq = ${batch * seq} ids`);
  }
  if (attentionMask && attentionMask.length !== batch * seq) {
    throw new TypeError(`attentionMask must have batch × seq = ${batch * seq} entries, got ${attentionMask.length}`);
  }
  if (tokenTypeIds && (!(tokenTypeIds instanceof Int32Array) || tokenTypeIds.length !== batch * seq)) {
    throw new TypeError(`tokenTypeIds must be an Int32Array of batch × seq = ${batch * seq} ids`);
  }
}

export class BertEncoder {
  readonly parts: EncoderParts;
  readonly reader: WeightReader;

  /**
   * @param prefix tensor-name prefix: "" for base-model checkpoints, "bert." (etc.) for heads;
   *   by default detected from the tensor names.
   */
  constructor(
    private readonly kernels: Kernels,
    store: TensorStore,
    readonly config: EncoderConfig,
    readonly architecture: EncoderArchitecture,
    prefix?: string,
    file = "model.safetensors",
    dtype: WeightDtype = "f32",
    int8Kernel?: Int8Kernel,
  ) {
    const type = architecture.modelType;
    if (!BERT_LAYOUT.includes(type)) {
      throw new ModelFolderError(
        `model_type "${type}" does not use the BERT tensor layout (BertEncoder handles ${BERT_LAYOUT.join(", ")})`,
        "config.json",
      );
    }
    const activation = activationOf(config.hiddenAct);
    const r = new WeightReader(kernels, store, prefix ?? detectPrefix(store, type), dtype, file, int8Kernel);
    this.reader = r;
    const { hiddenSize: h, intermediateSize: inter, vocabSize, maxPositions, typeVocabSize, embeddingSize: e } = config;
    const roberta = type === "roberta" || type === "xlm-roberta";
    // ELECTRA projects its (smaller) embeddings up to the hidden size; BERT and RoBERTa do not.
    const project =
      type === "electra" && r.has("embeddings_project.weight") ? r.linear("embeddings_project", h, e) : null;
    if (!project && e !== h) {
      throw new ModelFolderError(`embedding_size ${e} ≠ hidden_size ${h} but there is no embeddings_project`, file);
    }
    const layers: EncoderLayer[] = [];
    for (let l = 0; l < config.numLayers; l++) {
      const q = `encoder.layer.${l}.`;
      layers.push({
        query: r.linear(`${q}attention.self.query`, h, h),
        key: r.linear(`${q}attention.self.key`, h, h),
        value: r.linear(`${q}attention.self.value`, h, h),
        attentionOut: r.linear(`${q}attention.output.dense`, h, h),
        attentionNorm: r.norm(`${q}attention.output.LayerNorm`, h),
        intermediate: r.linear(`${q}intermediate.dense`, inter, h),
        output: r.linear(`${q}output.dense`, h, inter),
        outputNorm: r.norm(`${q}output.LayerNorm`, h),
      });
    }
    this.parts = {
      embeddings: {
        word: r.table("embeddings.word_embeddings.weight", [vocabSize, e]),
        position: r.tensor("embeddings.position_embeddings.weight", [maxPositions, e]),
        tokenType: typeVocabSize > 0 ? r.tensor("embeddings.token_type_embeddings.weight", [typeVocabSize, e]) : null,
        norm: r.norm("embeddings.LayerNorm", e),
        project,
        positionIds: roberta ? paddingAwarePositions(config.padTokenId) : countingPositions,
        embeddingSize: e,
      },
      layers,
      activation,
    };
  }

  /** Last hidden state, [batch, seq, hidden]. */
  forward(input: EncoderInput): Float32Array {
    checkEncoderInput(input, this.config.maxPositions);
    return runEncoder(this.kernels, this.parts, this.config, input);
  }
}
