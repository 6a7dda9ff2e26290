/**
 * ALBERT on the kernels backend: factorised embeddings (embedding_size → hidden through
 * `encoder.embedding_hidden_mapping_in`) and parameters shared across layers: layer i runs
 * group ⌊i / (num_hidden_layers / num_hidden_groups)⌋, whose `inner_group_num` layers
 * (`albert_layer_groups.G.albert_layers.J.*`) are packed once and applied in turn.
 */
import type { Kernels } from "@edgeformers/kernels";
import type { EncoderConfig } from "../encoder-config.js";
import { ModelFolderError } from "../errors.js";
import type { TensorStore } from "../safetensors.js";
import { detectPrefix } from "./bert.js";
import { activationOf, countingPositions, type EncoderLayer, type EncoderParts } from "./encoder.js";
import { type Int8Kernel, type WeightDtype, WeightReader } from "./weights.js";

export function buildAlbert(
  kernels: Kernels,
  store: TensorStore,
  config: EncoderConfig,
  raw: Readonly<Record<string, unknown>>,
  dtype: WeightDtype,
  file: string,
  int8Kernel?: Int8Kernel,
): { parts: EncoderParts; reader: WeightReader } {
  const r = new WeightReader(kernels, store, detectPrefix(store, "albert"), dtype, file, int8Kernel);
  const { hiddenSize: h, intermediateSize: inter, vocabSize, maxPositions, typeVocabSize, embeddingSize: e } = config;
  const count = (key: string): number => {
    const v = raw[key] ?? 1;
    if (typeof v !== "number" || !Number.isInteger(v) || v < 1) {
      throw new ModelFolderError(`"${key}" must be a positive integer, got ${JSON.stringify(raw[key])}`, "config.json");
    }
    return v;
  };
  const groups = count("num_hidden_groups");
  const inner = count("inner_group_num");
  if (config.numLayers % groups !== 0) {
    throw new ModelFolderError(
      `"num_hidden_layers" ${config.numLayers} is not a multiple of "num_hidden_groups" ${groups}`,
      "config.json",
    );
  }
  const shared: EncoderLayer[][] = [];
  for (let g = 0; g < groups; g++) {
    const group: EncoderLayer[] = [];
    for (let j = 0; j < inner; j++) {
      const q = `encoder.albert_layer_groups.${g}.albert_layers.${j}.`;
      group.push({
        query: r.linear(`${q}attention.query`, h, h),
        key: r.linear(`${q}attention.key`, h, h),
        value: r.linear(`${q}attention.value`, h, h),
        attentionOut: r.linear(`${q}attention.dense`, h, h),
        attentionNorm: r.norm(`${q}attention.LayerNorm`, h),
        intermediate: r.linear(`${q}ffn`, inter, h),
        output: r.linear(`${q}ffn_output`, h, inter),
        outputNorm: r.norm(`${q}full_layer_layer_norm`, h),
      });
    }
    shared.push(group);
  }
  const layers: EncoderLayer[] = [];
  const perGroup = config.numLayers / groups;
  for (let i = 0; i < config.numLayers; i++) layers.push(...shared[Math.floor(i / perGroup)]);
  return {
    reader: r,
    parts: {
      embeddings: {
        word: r.table("embeddings.word_embeddings.weight", [vocabSize, e]),
        position: r.tensor("embeddings.position_embeddings.weight", [maxPositions, e]),
        tokenType: typeVocabSize > 0 ? r.tensor("embeddings.token_type_embeddings.weight", [typeVocabSize, e]) : null,
        norm: r.norm("embeddings.LayerNorm", e),
        project: r.linear("encoder.embedding_hidden_mapping_in", h, e),
        positionIds: countingPositions,
        embeddingSize: e,
      },
      layers,
      activation: activationOf(config.hiddenAct),
    },
  };
}
