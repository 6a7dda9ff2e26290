/**
 * The transformer encoder every supported architecture shares: embeddings (gathered in JS, so each
 * architecture can choose its own position ids) → LayerNorm → optional projection to the hidden
 * size → N post-LN layers (self-attention, feed-forward) on @edgeformers/kernels.
 * Architecture files (bert.ts, distilbert.ts, albert.ts) only map tensor names onto these parts.
 */
import type { Kernels, Mask } from "@edgeformers/kernels";
import { ModelFolderError } from "../errors.js";
import type { EmbeddingTable, LinearActivation, LinearLayer, Norm } from "./weights.js";
import { Workspace } from "./workspace.js";

/** config.json hidden_act → the activation after the feed-forward's first Linear. */
export const ACTIVATIONS: Record<string, LinearActivation> = {
  gelu: "gelu",
  gelu_new: "gelu_tanh",
  gelu_pytorch_tanh: "gelu_tanh",
  // transformers' FastGELUActivation is the same tanh approximation as gelu_new.
  gelu_fast: "gelu_tanh",
  relu: "relu",
};

export function activationOf(hiddenAct: string): LinearActivation {
  const activation = ACTIVATIONS[hiddenAct];
  if (!activation) {
    throw new ModelFolderError(
      `hidden_act "${hiddenAct}" is not supported (supported: ${Object.keys(ACTIVATIONS).join(", ")})`,
      "config.json",
    );
  }
  return activation;
}

export interface EncoderLayer {
  query: LinearLayer;
  key: LinearLayer;
  value: LinearLayer;
  attentionOut: LinearLayer;
  attentionNorm: Norm;
  intermediate: LinearLayer;
  output: LinearLayer;
  outputNorm: Norm;
}

/** How position ids are derived from the input ids (RoBERTa skips padding, the others count). */
export type PositionIds = (inputIds: Int32Array, batch: number, seq: number) => Int32Array;

export const countingPositions: PositionIds = (_ids, batch, seq) => {
  const out = new Int32Array(batch * seq);
  for (let b = 0; b < batch; b++) for (let s = 0; s < seq; s++) out[b * seq + s] = s;
  return out;
};

/**
 * RoBERTa / XLM-RoBERTa (transformers `create_position_ids_from_input_ids`): real tokens count
 * from padding_idx + 1, and every padding token — wherever it is — gets padding_idx itself.
 */
export function paddingAwarePositions(paddingIdx: number): PositionIds {
  return (ids, batch, seq) => {
    const out = new Int32Array(batch * seq);
    for (let b = 0; b < batch; b++) {
      let count = 0;
      for (let s = 0; s < seq; s++) {
        const i = b * seq + s;
        out[i] = ids[i] === paddingIdx ? paddingIdx : paddingIdx + ++count;
      }
    }
    return out;
  };
}

export interface EncoderEmbeddings {
  /** [vocab, embeddingSize], f32 or int8 with per-row scales. */
  word: EmbeddingTable;
  /** [maxPositions, embeddingSize] */
  position: Float32Array;
  /** [typeVocab, embeddingSize], or null (DistilBERT). */
  tokenType: Float32Array | null;
  norm: Norm;
  /** ELECTRA embeddings_project / ALBERT embedding_hidden_mapping_in, when embeddingSize ≠ hidden. */
  project: LinearLayer | null;
  positionIds: PositionIds;
  embeddingSize: number;
}

export interface EncoderParts {
  embeddings: EncoderEmbeddings;
  /** One entry per applied layer (ALBERT repeats shared layers). */
  layers: EncoderLayer[];
  activation: LinearActivation;
}

export interface EncoderRunInput {
  /** [batch, seq] token ids, already range-checked. */
  inputIds: Int32Array;
  batch: number;
  seq: number;
  /** [batch, seq], non-zero = real token. */
  attentionMask?: Mask;
  /** [batch, seq], already range-checked; zeros when absent. */
  tokenTypeIds?: Int32Array;
}

export interface EncoderShape {
  hiddenSize: number;
  numHeads: number;
  layerNormEps: number;
  vocabSize: number;
  maxPositions: number;
  typeVocabSize: number;
}

/** Checks ids, token types and positions against the tables, naming the offending element. */
export function checkIds(parts: EncoderParts, shape: EncoderShape, input: EncoderRunInput): Int32Array {
  const { inputIds, batch, seq, tokenTypeIds } = input;
  for (let i = 0; i < inputIds.length; i++) {
    const id = inputIds[i];
    if (!(id >= 0 && id < shape.vocabSize)) {
      throw new RangeError(
        `inputIds[${Math.floor(i / seq)}][${i % seq}] = ${id} is outside the vocabulary [0, ${shape.vocabSize})`,
      );
    }
  }
  // Without a token-type table (DistilBERT) token types are ignored, as in transformers.
  if (tokenTypeIds && parts.embeddings.tokenType) {
    const types = shape.typeVocabSize;
    for (let i = 0; i < tokenTypeIds.length; i++) {
      const t = tokenTypeIds[i];
      if (!(t >= 0 && t < types)) {
        throw new RangeError(
          `tokenTypeIds[${Math.floor(i / seq)}][${i % seq}] = ${t} is outside [0, ${types}) (type_vocab_size ${types})`,
        );
      }
    }
  }
  const positions = parts.embeddings.positionIds(inputIds, batch, seq);
  for (let i = 0; i < positions.length; i++) {
    if (positions[i] >= shape.maxPositions) {
      throw new RangeError(
        `sequence ${Math.floor(i / seq)} needs position ${positions[i]} but max_position_embeddings is ${shape.maxPositions}`,
      );
    }
  }
  return positions;
}

/**
 * Last hidden state [batch, seq, hidden]: a buffer of `workspace` (role "x"), valid until the
 * workspace runs the next batch. The layers run on WasmArrays, so activations stay in wasm memory
 * from the embeddings to the last LayerNorm (passing Float32Arrays copied every activation in and
 * out at each kernel, ~7% of the forward); per token the scope holds 5 × hidden +
 * max(intermediate, embedding) floats, and JS holds the embedding sum and the result.
 */
export function runEncoder(
  kernels: Kernels,
  parts: EncoderParts,
  shape: EncoderShape,
  input: EncoderRunInput,
  workspace = new Workspace(),
): Float32Array {
  const { inputIds, batch, seq, attentionMask, tokenTypeIds } = input;
  const positions = checkIds(parts, shape, input);
  const { word, position, tokenType, norm, project, embeddingSize: e } = parts.embeddings;
  const rows = batch * seq;
  const { hiddenSize: h, numHeads, layerNormEps: eps } = shape;
  const summed = workspace.get("embeddings", rows * e);
  const quantized = word instanceof Float32Array ? null : word;
  for (let r = 0; r < rows; r++) {
    const o = r * e;
    const w = inputIds[r] * e;
    const p = positions[r] * e;
    const t = (tokenTypeIds ? tokenTypeIds[r] : 0) * e;
    if (quantized) {
      const scale = quantized.scales[inputIds[r]];
      const values = quantized.values;
      for (let j = 0; j < e; j++) summed[o + j] = values[w + j] * scale + position[p + j];
    } else {
      const table = word as Float32Array;
      for (let j = 0; j < e; j++) summed[o + j] = table[w + j] + position[p + j];
    }
    if (tokenType) for (let j = 0; j < e; j++) summed[o + j] += tokenType[t + j];
  }
  const result = workspace.get("x", rows * h);
  const intermediate = parts.layers.length > 0 ? parts.layers[0].intermediate.outFeatures : 0;
  const attention = {
    batch,
    qLen: seq,
    heads: numHeads,
    headDim: h / numHeads,
    ...(attentionMask ? { keyPaddingMask: attentionMask } : {}),
  };
  kernels.withArrays((arrays) => {
    const x = arrays.array(rows * h, "hidden states");
    const q = arrays.array(rows * h, "queries");
    const k = arrays.array(rows * h, "keys");
    const v = arrays.array(rows * h, "values");
    const context = arrays.array(rows * h, "attention output");
    // The feed-forward's intermediate activations; its start first holds the embedding sum.
    const hidden = arrays.array(rows * Math.max(intermediate, e), "intermediate");
    const embeddings = hidden.subarray(0, rows * e);
    embeddings.write(summed);
    if (project) {
      kernels.layerNorm(embeddings, norm.gamma, norm.beta, { rows, eps, out: embeddings });
      project.apply(embeddings, rows, "none", undefined, x);
    } else {
      kernels.layerNorm(embeddings, norm.gamma, norm.beta, { rows, eps, out: x });
    }
    const ffn = hidden.subarray(0, rows * intermediate);
    for (const layer of parts.layers) {
      layer.query.apply(x, rows, "none", undefined, q);
      layer.key.apply(x, rows, "none", undefined, k);
      layer.value.apply(x, rows, "none", undefined, v);
      kernels.attention(q, k, v, { ...attention, out: context });
      const attended = layer.attentionOut.apply(context, rows, "none", undefined, q);
      kernels.layerNorm(attended, layer.attentionNorm.gamma, layer.attentionNorm.beta, {
        rows,
        residual: x,
        eps,
        out: x,
      });
      layer.intermediate.apply(x, rows, parts.activation, undefined, ffn);
      const out = layer.output.apply(ffn, rows, "none", undefined, k);
      kernels.layerNorm(out, layer.outputNorm.gamma, layer.outputNorm.beta, { rows, residual: x, eps, out: x });
    }
    x.read(result);
  });
  return result;
}
