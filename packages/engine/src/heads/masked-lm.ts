/**
 * *ForMaskedLM → logits [batch, seq, vocab]: a transform (dense + activation + LayerNorm) then the
 * decoder, whose weight is tied to the word embeddings (safetensors checkpoints usually store it
 * once, under the embeddings' name), plus its own bias. Names per architecture:
 *   BERT:        cls.predictions.transform.{dense,LayerNorm}, cls.predictions.decoder, cls.predictions.bias
 *   RoBERTa:     lm_head.{dense,layer_norm}, lm_head.decoder, lm_head.bias           (GELU)
 *   DistilBERT:  vocab_transform, vocab_layer_norm, vocab_projector                   (config activation)
 *   ELECTRA:     generator_predictions.{dense,LayerNorm}, generator_lm_head           (GELU, to embedding_size)
 *   ALBERT:      predictions.{dense,LayerNorm}, predictions.decoder, predictions.bias (to embedding_size)
 */

import type { EncoderModelType } from "../architecture.js";
import { activationOf } from "../backends/encoder.js";
import type { LinearActivation } from "../backends/weights.js";
import type { HeadContext, TaskHead } from "./common.js";

interface MlmNames {
  dense: string;
  norm: string;
  decoder: string;
  /** Candidate names of the output bias, in order. */
  bias: string[];
  /** Whether the transform maps to embedding_size (ELECTRA, ALBERT) rather than hidden_size. */
  toEmbeddingSize: boolean;
  /** A fixed activation, or null for config.json's hidden_act. */
  activation: LinearActivation | null;
}

const NAMES: Record<EncoderModelType, MlmNames> = {
  bert: {
    dense: "cls.predictions.transform.dense",
    norm: "cls.predictions.transform.LayerNorm",
    decoder: "cls.predictions.decoder",
    bias: ["cls.predictions.bias", "cls.predictions.decoder.bias"],
    toEmbeddingSize: false,
    activation: null,
  },
  roberta: {
    dense: "lm_head.dense",
    norm: "lm_head.layer_norm",
    decoder: "lm_head.decoder",
    bias: ["lm_head.bias", "lm_head.decoder.bias"],
    toEmbeddingSize: false,
    activation: "gelu",
  },
  "xlm-roberta": {
    dense: "lm_head.dense",
    norm: "lm_head.layer_norm",
    decoder: "lm_head.decoder",
    bias: ["lm_head.bias", "lm_head.decoder.bias"],
    toEmbeddingSize: false,
    activation: "gelu",
  },
  distilbert: {
    dense: "vocab_transform",
    norm: "vocab_layer_norm",
    decoder: "vocab_projector",
    bias: ["vocab_projector.bias"],
    toEmbeddingSize: false,
    activation: null,
  },
  electra: {
    dense: "generator_predictions.dense",
    norm: "generator_predictions.LayerNorm",
    decoder: "generator_lm_head",
    bias: ["generator_lm_head.bias"],
    toEmbeddingSize: true,
    activation: "gelu",
  },
  albert: {
    dense: "predictions.dense",
    norm: "predictions.LayerNorm",
    decoder: "predictions.decoder",
    bias: ["predictions.bias", "predictions.decoder.bias"],
    toEmbeddingSize: true,
    activation: null,
  },
};

export function maskedLmHead(ctx: HeadContext): TaskHead {
  const { reader: r, config, kernels } = ctx;
  const names = NAMES[ctx.modelType];
  const { hiddenSize: h, vocabSize: vocab, layerNormEps: eps } = config;
  const t = names.toEmbeddingSize ? config.embeddingSize : h;
  const activation = names.activation ?? activationOf(config.hiddenAct);
  const dense = r.linear(names.dense, t, h, true);
  const norm = r.norm(names.norm, t, true);
  // Tied: the decoder weight is the word-embedding table unless the checkpoint stores its own copy.
  const tiedName = `${r.prefix}embeddings.word_embeddings.weight`;
  const weightName = r.has(`${names.decoder}.weight`, true) ? `${names.decoder}.weight` : tiedName;
  const biasName = names.bias.find((b) => r.has(b, true)) ?? names.bias[0];
  const decoder = r.linearFrom(weightName, biasName, vocab, t, true);
  return {
    outputNames: ["logits"],
    run(hidden, batch, seq) {
      const rows = batch * seq;
      const transformed = kernels.layerNorm(dense.apply(hidden, rows, activation), norm.gamma, norm.beta, {
        rows,
        eps,
      });
      return { logits: { data: decoder.apply(transformed, rows), dims: [batch, seq, vocab] } };
    },
    // The logits dominate: rows × vocab floats, once in wasm scratch and once copied out.
    bytesFor: (batch, seq) => batch * seq * (2 * vocab + 3 * t) * 4,
  };
}
