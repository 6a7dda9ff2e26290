/**
 * BERT encoder forward pass on @edgeformers/kernels (WebAssembly SIMD): embeddings → LayerNorm →
 * N × post-LN transformer layers, returning the last hidden state [batch, seq, hidden].
 *
 * Weights are read from the TensorStore as f32 views (no JS copy for F32 checkpoints) and packed
 * once into wasm memory; the safetensors buffer can be dropped after construction.
 * Only model_type "bert" (BERT, MiniLM, BGE, E5, GTE-v1) is wired up so far.
 */
import type { Activation, EmbeddingTables, Kernels, Mask, PackedMatrix } from "@edgeformers/kernels";
import type { EncoderArchitecture } from "../architecture.js";
import type { EncoderConfig } from "../encoder-config.js";
import { ModelFolderError } from "../errors.js";
import type { TensorStore } from "../safetensors.js";

/** config.json hidden_act → the fused activation of the kernels' GEMM. */
const ACTIVATIONS: Record<string, Activation> = {
  gelu: "gelu",
  gelu_new: "gelu_tanh",
  gelu_pytorch_tanh: "gelu_tanh",
};

interface Linear {
  weight: PackedMatrix;
  bias: Float32Array;
}

interface Norm {
  gamma: Float32Array;
  beta: Float32Array;
}

interface Layer {
  query: Linear;
  key: Linear;
  value: Linear;
  attentionOut: Linear;
  attentionNorm: Norm;
  intermediate: Linear;
  output: Linear;
  outputNorm: Norm;
}

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

export class BertEncoder {
  private readonly embeddings: EmbeddingTables;
  private readonly embeddingNorm: Norm;
  private readonly layers: Layer[];
  private readonly activation: Activation;

  /**
   * @param prefix tensor-name prefix: "" for BertModel checkpoints, "bert." for BertFor* heads;
   *   by default detected from the tensor names.
   */
  constructor(
    private readonly kernels: Kernels,
    store: TensorStore,
    readonly config: EncoderConfig,
    architecture: EncoderArchitecture,
    prefix?: string,
    file = "model.safetensors",
  ) {
    if (architecture.modelType !== "bert") {
      throw new ModelFolderError(
        `model_type "${architecture.modelType}" is not yet supported by the kernels backend (supported: bert)`,
        "config.json",
      );
    }
    const activation = ACTIVATIONS[config.hiddenAct];
    if (!activation) {
      throw new ModelFolderError(
        `hidden_act "${config.hiddenAct}" is not supported (supported: ${Object.keys(ACTIVATIONS).join(", ")})`,
        "config.json",
      );
    }
    this.activation = activation;
    const p = prefix ?? (store.has("bert.embeddings.word_embeddings.weight") ? "bert." : "");
    const { hiddenSize: h, intermediateSize: inter, vocabSize, maxPositions, typeVocabSize } = config;
    const tensor = (name: string, shape: number[]): Float32Array => {
      const full = p + name;
      if (!store.has(full)) throw new ModelFolderError(`tensor "${full}" is missing`, file);
      const actual = store.info(full).shape;
      if (actual.length !== shape.length || actual.some((d, i) => d !== shape[i])) {
        throw new ModelFolderError(`tensor "${full}" has shape [${actual}], config.json implies [${shape}]`, file);
      }
      return store.float32(full);
    };
    // Older checkpoints name LayerNorm parameters gamma/beta instead of weight/bias.
    const norm = (name: string): Norm => {
      const modern = store.has(`${p}${name}.weight`);
      return {
        gamma: tensor(`${name}.${modern ? "weight" : "gamma"}`, [h]),
        beta: tensor(`${name}.${modern ? "bias" : "beta"}`, [h]),
      };
    };
    // PyTorch Linear stores W as [out, in] and computes x·Wᵀ, which is the kernels' "transposed" layout.
    const linear = (name: string, out: number, inp: number): Linear => ({
      weight: kernels.packMatrix(tensor(`${name}.weight`, [out, inp]), { k: inp, n: out, transposed: true }),
      bias: tensor(`${name}.bias`, [out]),
    });

    this.embeddings = kernels.uploadEmbeddings({
      dim: h,
      word: tensor("embeddings.word_embeddings.weight", [vocabSize, h]),
      position: tensor("embeddings.position_embeddings.weight", [maxPositions, h]),
      ...(typeVocabSize > 0
        ? { tokenType: tensor("embeddings.token_type_embeddings.weight", [typeVocabSize, h]) }
        : {}),
    });
    this.embeddingNorm = norm("embeddings.LayerNorm");
    this.layers = [];
    for (let l = 0; l < config.numLayers; l++) {
      const q = `encoder.layer.${l}.`;
      this.layers.push({
        query: linear(`${q}attention.self.query`, h, h),
        key: linear(`${q}attention.self.key`, h, h),
        value: linear(`${q}attention.self.value`, h, h),
        attentionOut: linear(`${q}attention.output.dense`, h, h),
        attentionNorm: norm(`${q}attention.output.LayerNorm`),
        intermediate: linear(`${q}intermediate.dense`, inter, h),
        output: linear(`${q}output.dense`, h, inter),
        outputNorm: norm(`${q}output.LayerNorm`),
      });
    }
  }

  /** Last hidden state, [batch, seq, hidden]. */
  forward(input: EncoderInput): Float32Array {
    const { inputIds, batch, seq, attentionMask, tokenTypeIds } = input;
    if (!Number.isInteger(batch) || batch < 1) throw new RangeError(`batch must be a positive integer, got ${batch}`);
    if (!Number.isInteger(seq) || seq < 1) throw new RangeError(`seq must be a positive integer, got ${seq}`);
    if (seq > this.config.maxPositions) {
      throw new RangeError(`seq ${seq} exceeds max_position_embeddings ${this.config.maxPositions}`);
    }
    if (!(inputIds instanceof Int32Array) || inputIds.length !== batch * seq) {
      throw new TypeError(`inputIds must be an Int32Array of batch × seq = ${batch * seq} ids`);
    }
    const k = this.kernels;
    const { hiddenSize: h, numHeads, layerNormEps: eps } = this.config;
    const rows = batch * seq;
    const embedded = k.embed(this.embeddings, inputIds, { batch, seq, ...(tokenTypeIds ? { tokenTypeIds } : {}) });
    let x = k.layerNorm(embedded, this.embeddingNorm.gamma, this.embeddingNorm.beta, { rows, eps });
    for (const layer of this.layers) {
      const q = k.gemm(x, layer.query.weight, { m: rows, bias: layer.query.bias });
      const kk = k.gemm(x, layer.key.weight, { m: rows, bias: layer.key.bias });
      const v = k.gemm(x, layer.value.weight, { m: rows, bias: layer.value.bias });
      const context = k.attention(q, kk, v, {
        batch,
        qLen: seq,
        heads: numHeads,
        headDim: h / numHeads,
        ...(attentionMask ? { keyPaddingMask: attentionMask } : {}),
      }).output;
      const attended = k.gemm(context, layer.attentionOut.weight, { m: rows, bias: layer.attentionOut.bias });
      x = k.layerNorm(attended, layer.attentionNorm.gamma, layer.attentionNorm.beta, { rows, residual: x, eps });
      const hidden = k.gemm(x, layer.intermediate.weight, {
        m: rows,
        bias: layer.intermediate.bias,
        activation: this.activation,
      });
      const out = k.gemm(hidden, layer.output.weight, { m: rows, bias: layer.output.bias });
      x = k.layerNorm(out, layer.outputNorm.gamma, layer.outputNorm.beta, { rows, residual: x, eps });
    }
    return x;
  }
}
