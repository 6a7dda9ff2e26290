/**
 * The hyperparameters of a BERT-family encoder, read from config.json under one set of names
 * (DistilBERT spells them differently) and checked, so the forward pass never sees a missing or
 * nonsensical size.
 */
import type { EncoderModelType } from "./architecture.js";
import { ModelFolderError } from "./errors.js";

export interface EncoderConfig {
  hiddenSize: number;
  numLayers: number;
  numHeads: number;
  intermediateSize: number;
  vocabSize: number;
  maxPositions: number;
  /** 0 when the model has no token-type embeddings (DistilBERT). */
  typeVocabSize: number;
  /** ALBERT and ELECTRA may factorise embeddings; equal to hiddenSize for the others. */
  embeddingSize: number;
  layerNormEps: number;
  hiddenAct: string;
  padTokenId: number;
  /** Labels of a classification head, by index ("LABEL_0", … when config.json has none). */
  labels: string[];
}

// DistilBERT names → the BERT names used everywhere else.
const DISTILBERT_ALIASES: Record<string, string> = {
  dim: "hidden_size",
  n_layers: "num_hidden_layers",
  n_heads: "num_attention_heads",
  hidden_dim: "intermediate_size",
  activation: "hidden_act",
};

export function readEncoderConfig(
  raw: Record<string, unknown>,
  modelType: EncoderModelType,
  file = "config.json",
): EncoderConfig {
  const c: Record<string, unknown> = { ...raw };
  if (modelType === "distilbert") {
    for (const [from, to] of Object.entries(DISTILBERT_ALIASES)) if (c[to] === undefined) c[to] = raw[from];
  }
  const int = (key: string, fallback?: number, min = 1): number => {
    const value = c[key] ?? fallback;
    if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
      throw new ModelFolderError(`"${key}" must be an integer >= ${min}, got ${JSON.stringify(c[key])}`, file);
    }
    return value;
  };
  const hiddenSize = int("hidden_size");
  const numHeads = int("num_attention_heads");
  if (hiddenSize % numHeads !== 0) {
    throw new ModelFolderError(
      `"hidden_size" ${hiddenSize} is not divisible by "num_attention_heads" ${numHeads}`,
      file,
    );
  }
  const eps = c.layer_norm_eps ?? (modelType === "distilbert" ? 1e-12 : undefined);
  if (typeof eps !== "number" || !(eps > 0))
    throw new ModelFolderError(`"layer_norm_eps" must be a positive number, got ${JSON.stringify(eps)}`, file);
  const hiddenAct = c.hidden_act ?? "gelu";
  if (typeof hiddenAct !== "string")
    throw new ModelFolderError(`"hidden_act" must be a string, got ${JSON.stringify(hiddenAct)}`, file);
  return {
    hiddenSize,
    numLayers: int("num_hidden_layers"),
    numHeads,
    intermediateSize: int("intermediate_size"),
    vocabSize: int("vocab_size"),
    maxPositions: int("max_position_embeddings"),
    typeVocabSize: modelType === "distilbert" ? 0 : int("type_vocab_size", 2, 0),
    // ALBERT always factorises; ELECTRA does when its generator's embeddings are smaller.
    embeddingSize:
      modelType === "albert"
        ? int("embedding_size")
        : modelType === "electra"
          ? int("embedding_size", hiddenSize)
          : hiddenSize,
    layerNormEps: eps,
    hiddenAct,
    padTokenId: int("pad_token_id", 0, 0),
    labels: readLabels(c, file),
  };
}

function readLabels(c: Record<string, unknown>, file: string): string[] {
  const id2label = c.id2label;
  if (id2label === undefined || id2label === null) {
    const n = c.num_labels;
    return typeof n === "number" && Number.isInteger(n) && n > 0
      ? Array.from({ length: n }, (_, i) => `LABEL_${i}`)
      : [];
  }
  if (typeof id2label !== "object" || Array.isArray(id2label))
    throw new ModelFolderError(`"id2label" must be an object`, file);
  const entries = Object.entries(id2label as Record<string, unknown>);
  const labels: string[] = new Array(entries.length);
  for (const [key, label] of entries) {
    const i = Number(key);
    if (!Number.isInteger(i) || i < 0 || i >= entries.length || typeof label !== "string" || labels[i] !== undefined) {
      throw new ModelFolderError(
        `"id2label" must map 0..${entries.length - 1} to strings, got ${JSON.stringify(key)}: ${JSON.stringify(label)}`,
        file,
      );
    }
    labels[i] = label;
  }
  return labels;
}
