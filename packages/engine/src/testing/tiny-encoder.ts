/**
 * Generates tiny, seeded model folders for every architecture × head the kernels backend runs
 * (config.json, model.safetensors with the exact Hugging Face tensor names, a WordPiece
 * tokenizer.json): real architectures, random weights. The tests check them against
 * onnxruntime-node running an equivalent graph built from the same tensors.
 */

import type { EncoderModelType, Head } from "../architecture.js";
import { BASE_PREFIX } from "../backends/bert.js";
import { serializeSafetensors, type TensorToWrite } from "../safetensors-writer.js";
import { SeededRandom } from "./random.js";

export interface TinyEncoderOptions {
  seed: number;
  modelType?: EncoderModelType;
  head?: Head;
  vocabSize?: number;
  hiddenSize?: number;
  numLayers?: number;
  numHeads?: number;
  intermediateSize?: number;
  /** Rows of the position table (RoBERTa needs padding_idx + 1 more than the longest input). */
  maxPositions?: number;
  /** Default 2 (BERT, ELECTRA, ALBERT), 1 (RoBERTa), none for DistilBERT. */
  typeVocabSize?: number;
  hiddenAct?: "gelu" | "gelu_new" | "relu";
  layerNormEps?: number;
  /** ELECTRA / ALBERT factorised embedding size (default: ELECTRA = hidden, ALBERT = hidden / 2). */
  embeddingSize?: number;
  /** Labels of the classification heads (id2label). */
  numLabels?: number;
  /** Tensor-name prefix; default "" for base models, "bert." (etc.) inside heads. */
  prefix?: string;
  /** Write the MLM decoder weight as its own tensor instead of relying on the tie (default false). */
  untiedDecoderCopy?: boolean;
  /** Whether a base model has a pooler (default: BERT, RoBERTa, ALBERT yes). */
  pooler?: boolean;
  /** Std of the random matrices (default 0.2, see below; 0.02 is BERT's initializer_range). */
  weightStd?: number;
  /** ALBERT: shared layer groups (default 1) and layers per group (default 1). */
  numHiddenGroups?: number;
  innerGroupNum?: number;
}

type EncoderShape = Required<
  Pick<TinyEncoderOptions, "vocabSize" | "hiddenSize" | "numLayers" | "numHeads" | "intermediateSize" | "maxPositions">
>;

/** The shape of all-MiniLM-L6-v2 (6 × 384, 12 heads, FFN 1536, vocab 30522): what a Worker typically serves. */
export const MINILM_L6_SHAPE: EncoderShape = {
  vocabSize: 30522,
  hiddenSize: 384,
  numLayers: 6,
  numHeads: 12,
  intermediateSize: 1536,
  maxPositions: 512,
};

/** The shape of bert-base-uncased (12 × 768, 12 heads, FFN 3072, vocab 30522). */
export const BERT_BASE_SHAPE: EncoderShape = {
  vocabSize: 30522,
  hiddenSize: 768,
  numLayers: 12,
  numHeads: 12,
  intermediateSize: 3072,
  maxPositions: 512,
};

export type TinyTensors = Record<string, TensorToWrite & { data: Float32Array }>;

export interface TinyEncoder {
  config: Record<string, unknown>;
  tensors: TinyTensors;
  /** The files of the model folder, ready for a BundleSource or to write to disk. */
  files: { "config.json": string; "tokenizer.json": string; "model.safetensors": Uint8Array };
}

const CLASS_PREFIX: Record<EncoderModelType, string> = {
  bert: "Bert",
  distilbert: "DistilBert",
  roberta: "Roberta",
  "xlm-roberta": "XLMRoberta",
  electra: "Electra",
  albert: "Albert",
};

export function generateTinyEncoder(options: TinyEncoderOptions): TinyEncoder {
  const modelType = options.modelType ?? "bert";
  const head = options.head ?? "base";
  const roberta = modelType === "roberta" || modelType === "xlm-roberta";
  const {
    seed,
    vocabSize = 32,
    hiddenSize: h = 16,
    numLayers = 2,
    numHeads = 2,
    intermediateSize: inter = 32,
    maxPositions = 24,
    typeVocabSize = modelType === "distilbert" ? 0 : roberta ? 1 : 2,
    hiddenAct = modelType === "albert" ? "gelu_new" : "gelu",
    layerNormEps = modelType === "distilbert" ? 1e-12 : roberta ? 1e-5 : 1e-12,
    numLabels = 3,
    prefix = head === "base" ? "" : BASE_PREFIX[modelType],
  } = options;
  const e = options.embeddingSize ?? (modelType === "albert" ? h / 2 : h);
  const padTokenId = roberta ? 1 : 0;
  if (h % numHeads !== 0) throw new RangeError(`hiddenSize ${h} must be divisible by numHeads ${numHeads}`);
  if (vocabSize < 6) throw new RangeError("vocabSize must be at least 6 (5 special tokens and one word)");
  const rng = new SeededRandom(seed);
  const tensors: TinyTensors = {};
  // std 0.2 rather than BERT's 0.02: with so few dimensions, small weights would make every
  // layer nearly the identity and hide mistakes in the forward pass.
  const put = (name: string, shape: number[], data: Float32Array) => {
    tensors[name] = { dtype: "F32", shape, data };
  };
  const std = options.weightStd ?? 0.2;
  const matrix = (name: string, rows: number, cols: number) => put(name, [rows, cols], rng.normals(rows * cols, std));
  const vector = (name: string, n: number, mean = 0, std = 0.1) => put(name, [n], rng.normals(n, std, mean));
  const linear = (name: string, out: number, inp: number) => {
    matrix(`${name}.weight`, out, inp);
    vector(`${name}.bias`, out);
  };
  const norm = (name: string, n: number, modern = true) => {
    vector(`${name}.${modern ? "weight" : "gamma"}`, n, 1);
    vector(`${name}.${modern ? "bias" : "beta"}`, n);
  };
  const p = prefix;

  matrix(`${p}embeddings.word_embeddings.weight`, vocabSize, e);
  matrix(`${p}embeddings.position_embeddings.weight`, maxPositions, e);
  if (typeVocabSize > 0) matrix(`${p}embeddings.token_type_embeddings.weight`, typeVocabSize, e);
  norm(`${p}embeddings.LayerNorm`, e);
  if (modelType === "electra" && e !== h) linear(`${p}embeddings_project`, h, e);
  if (modelType === "albert") linear(`${p}encoder.embedding_hidden_mapping_in`, h, e);

  if (modelType === "distilbert") {
    for (let l = 0; l < numLayers; l++) {
      const q = `${p}transformer.layer.${l}.`;
      for (const n of ["q_lin", "k_lin", "v_lin", "out_lin"]) linear(`${q}attention.${n}`, h, h);
      norm(`${q}sa_layer_norm`, h);
      linear(`${q}ffn.lin1`, inter, h);
      linear(`${q}ffn.lin2`, h, inter);
      norm(`${q}output_layer_norm`, h);
    }
  } else if (modelType === "albert") {
    // Shared layer groups (ALBERT's default: one group with one layer, applied num_hidden_layers times).
    for (let g = 0; g < (options.numHiddenGroups ?? 1); g++) {
      for (let j = 0; j < (options.innerGroupNum ?? 1); j++) {
        const q = `${p}encoder.albert_layer_groups.${g}.albert_layers.${j}.`;
        for (const n of ["query", "key", "value", "dense"]) linear(`${q}attention.${n}`, h, h);
        norm(`${q}attention.LayerNorm`, h);
        linear(`${q}ffn`, inter, h);
        linear(`${q}ffn_output`, h, inter);
        norm(`${q}full_layer_layer_norm`, h);
      }
    }
  } else {
    for (let l = 0; l < numLayers; l++) {
      const q = `${p}encoder.layer.${l}.`;
      for (const n of ["query", "key", "value"]) linear(`${q}attention.self.${n}`, h, h);
      linear(`${q}attention.output.dense`, h, h);
      norm(`${q}attention.output.LayerNorm`, h);
      linear(`${q}intermediate.dense`, inter, h);
      linear(`${q}output.dense`, h, inter);
      norm(`${q}output.LayerNorm`, h);
    }
  }
  const hasPooler =
    modelType !== "distilbert" &&
    modelType !== "electra" &&
    (head === "ForSequenceClassification"
      ? modelType === "bert" || modelType === "albert"
      : head === "base" && (options.pooler ?? true));
  if (hasPooler) linear(modelType === "albert" ? `${p}pooler` : `${p}pooler.dense`, h, h);

  addHead();

  function addHead(): void {
    switch (head) {
      case "base":
        return;
      case "ForSequenceClassification":
        if (modelType === "bert" || modelType === "albert") linear("classifier", numLabels, h);
        else if (modelType === "distilbert") {
          linear("pre_classifier", h, h);
          linear("classifier", numLabels, h);
        } else {
          linear("classifier.dense", h, h);
          linear("classifier.out_proj", numLabels, h);
        }
        return;
      case "ForTokenClassification":
        linear("classifier", numLabels, h);
        return;
      case "ForQuestionAnswering":
        linear("qa_outputs", 2, h);
        return;
      case "ForMaskedLM": {
        const names: Record<EncoderModelType, [string, string, string, string]> = {
          bert: [
            "cls.predictions.transform.dense",
            "cls.predictions.transform.LayerNorm",
            "cls.predictions.decoder",
            "cls.predictions.bias",
          ],
          roberta: ["lm_head.dense", "lm_head.layer_norm", "lm_head.decoder", "lm_head.bias"],
          "xlm-roberta": ["lm_head.dense", "lm_head.layer_norm", "lm_head.decoder", "lm_head.bias"],
          distilbert: ["vocab_transform", "vocab_layer_norm", "vocab_projector", "vocab_projector.bias"],
          electra: [
            "generator_predictions.dense",
            "generator_predictions.LayerNorm",
            "generator_lm_head",
            "generator_lm_head.bias",
          ],
          albert: ["predictions.dense", "predictions.LayerNorm", "predictions.decoder", "predictions.bias"],
        };
        const [dense, ln, decoder, bias] = names[modelType];
        const t = modelType === "electra" || modelType === "albert" ? e : h;
        linear(dense, t, h);
        norm(ln, t);
        vector(bias, vocabSize);
        if (options.untiedDecoderCopy) {
          // Same values as the word embeddings: what a checkpoint that stores the tie twice holds.
          put(`${decoder}.weight`, [vocabSize, e], tensors[`${p}embeddings.word_embeddings.weight`].data.slice());
        }
        return;
      }
    }
  }

  const labels = Object.fromEntries(Array.from({ length: numLabels }, (_, i) => [String(i), `LABEL_${i}`]));
  const common = {
    model_type: modelType,
    architectures: [`${CLASS_PREFIX[modelType]}${head === "base" ? "Model" : head}`],
    vocab_size: vocabSize,
    max_position_embeddings: maxPositions,
    pad_token_id: padTokenId,
    initializer_range: 0.2,
    ...(head === "ForSequenceClassification" || head === "ForTokenClassification" ? { id2label: labels } : {}),
  };
  const config: Record<string, unknown> =
    modelType === "distilbert"
      ? {
          ...common,
          dim: h,
          n_layers: numLayers,
          n_heads: numHeads,
          hidden_dim: inter,
          activation: hiddenAct,
          sinusoidal_pos_embds: false,
          dropout: 0.1,
          attention_dropout: 0.1,
        }
      : {
          ...common,
          hidden_size: h,
          num_hidden_layers: numLayers,
          num_attention_heads: numHeads,
          intermediate_size: inter,
          type_vocab_size: typeVocabSize,
          hidden_act: hiddenAct,
          layer_norm_eps: layerNormEps,
          hidden_dropout_prob: 0.1,
          attention_probs_dropout_prob: 0.1,
          ...(modelType === "electra" || modelType === "albert" ? { embedding_size: e } : {}),
          ...(modelType === "albert"
            ? { num_hidden_groups: options.numHiddenGroups ?? 1, inner_group_num: options.innerGroupNum ?? 1 }
            : {}),
        };
  return {
    config,
    tensors,
    files: {
      "config.json": JSON.stringify(config, null, 2),
      "tokenizer.json": JSON.stringify(tinyTokenizer(vocabSize, padTokenId)),
      "model.safetensors": serializeSafetensors(tensors, {
        format: "pt",
        generator: `edgeformers tiny-${modelType} seed=${seed}`,
      }),
    },
  };
}

/** A WordPiece tokenizer.json over 5 special tokens and the words w5, w6, …. */
export function tinyTokenizer(vocabSize: number, padTokenId = 0): Record<string, unknown> {
  const specials =
    padTokenId === 1 ? ["[CLS]", "[PAD]", "[SEP]", "[UNK]", "[MASK]"] : ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];
  const vocab: Record<string, number> = {};
  for (let i = 0; i < vocabSize; i++) vocab[i < specials.length ? specials[i] : `w${i}`] = i;
  return {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: specials.map((content, id) => ({
      id,
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: {
      type: "BertNormalizer",
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: null,
      lowercase: true,
    },
    pre_tokenizer: { type: "BertPreTokenizer" },
    post_processor: {
      type: "BertProcessing",
      sep: ["[SEP]", vocab["[SEP]"]],
      cls: ["[CLS]", vocab["[CLS]"]],
    },
    decoder: { type: "WordPiece", prefix: "##", cleanup: true },
    model: {
      type: "WordPiece",
      unk_token: "[UNK]",
      continuing_subword_prefix: "##",
      max_input_chars_per_word: 100,
      vocab,
    },
  };
}
