/**
 * DistilBERT on the kernels backend: no token types, `transformer.layer.N.attention.{q,k,v,out}_lin`,
 * `sa_layer_norm`, `ffn.lin1/lin2`, `output_layer_norm` under the `distilbert.` prefix. With
 * `sinusoidal_pos_embds` the checkpoint still stores the (fixed) table as position_embeddings,
 * so both variants read it; positions count from 0 as in BERT.
 */
import type { Kernels } from "@edgeformers/kernels";
import type { EncoderConfig } from "../encoder-config.js";
import type { TensorStore } from "../safetensors.js";
import { detectPrefix } from "./bert.js";
import { activationOf, countingPositions, type EncoderLayer, type EncoderParts } from "./encoder.js";
import { type Int8Kernel, type WeightDtype, WeightReader } from "./weights.js";

export function buildDistilBert(
  kernels: Kernels,
  store: TensorStore,
  config: EncoderConfig,
  dtype: WeightDtype,
  file: string,
  int8Kernel?: Int8Kernel,
): { parts: EncoderParts; reader: WeightReader } {
  const r = new WeightReader(kernels, store, detectPrefix(store, "distilbert"), dtype, file, int8Kernel);
  const { hiddenSize: h, intermediateSize: inter, vocabSize, maxPositions } = config;
  const activation = activationOf(config.hiddenAct);
  const layers: EncoderLayer[] = [];
  for (let l = 0; l < config.numLayers; l++) {
    const q = `transformer.layer.${l}.`;
    layers.push({
      query: r.linear(`${q}attention.q_lin`, h, h),
      key: r.linear(`${q}attention.k_lin`, h, h),
      value: r.linear(`${q}attention.v_lin`, h, h),
      attentionOut: r.linear(`${q}attention.out_lin`, h, h),
      attentionNorm: r.norm(`${q}sa_layer_norm`, h),
      intermediate: r.linear(`${q}ffn.lin1`, inter, h),
      output: r.linear(`${q}ffn.lin2`, h, inter),
      outputNorm: r.norm(`${q}output_layer_norm`, h),
    });
  }
  return {
    reader: r,
    parts: {
      embeddings: {
        word: r.table("embeddings.word_embeddings.weight", [vocabSize, h]),
        position: r.tensor("embeddings.position_embeddings.weight", [maxPositions, h]),
        tokenType: null,
        norm: r.norm("embeddings.LayerNorm", h),
        project: null,
        positionIds: countingPositions,
        embeddingSize: h,
      },
      layers,
      activation,
    },
  };
}
