/**
 * Generates a tiny, seeded BERT model folder (config.json, model.safetensors with Hugging Face
 * tensor names, a WordPiece tokenizer.json): real architecture, random weights. Used as a test
 * model the project owns, checked against onnxruntime-node running an equivalent graph.
 */
import { serializeSafetensors, type TensorToWrite } from "../safetensors-writer.js";
import { SeededRandom } from "./random.js";
import { tinyTokenizer } from "./tiny-encoder.js";

export interface TinyBertOptions {
  seed: number;
  vocabSize?: number;
  hiddenSize?: number;
  numLayers?: number;
  numHeads?: number;
  intermediateSize?: number;
  maxPositions?: number;
  typeVocabSize?: number;
  hiddenAct?: "gelu" | "gelu_new";
  layerNormEps?: number;
  /** Tensor-name prefix: "" for BertModel checkpoints, "bert." inside BertFor* heads. */
  prefix?: string;
}

export interface TinyBert {
  config: Record<string, unknown>;
  tensors: Record<string, TensorToWrite & { data: Float32Array }>;
  /** The files of the model folder, ready for a BundleSource or to write to disk. */
  files: { "config.json": string; "tokenizer.json": string; "model.safetensors": Uint8Array };
}

export function generateTinyBert(options: TinyBertOptions): TinyBert {
  const {
    seed,
    vocabSize = 32,
    hiddenSize = 16,
    numLayers = 2,
    numHeads = 2,
    intermediateSize = 32,
    maxPositions = 24,
    typeVocabSize = 2,
    hiddenAct = "gelu",
    layerNormEps = 1e-12,
    prefix = "",
  } = options;
  if (hiddenSize % numHeads !== 0)
    throw new RangeError(`hiddenSize ${hiddenSize} must be divisible by numHeads ${numHeads}`);
  if (vocabSize < 6) throw new RangeError("vocabSize must be at least 6 (5 special tokens and one word)");
  const rng = new SeededRandom(seed);
  const tensors: TinyBert["tensors"] = {};
  // std 0.2 rather than BERT's 0.02: with so few dimensions, small weights would make every
  // layer nearly the identity and hide mistakes in the forward pass.
  const add = (name: string, shape: number[], data: Float32Array) => {
    tensors[prefix + name] = { dtype: "F32", shape, data };
  };
  const matrix = (name: string, rows: number, cols: number) => add(name, [rows, cols], rng.normals(rows * cols, 0.2));
  const vector = (name: string, n: number, mean = 0, std = 0.1) => add(name, [n], rng.normals(n, std, mean));

  matrix("embeddings.word_embeddings.weight", vocabSize, hiddenSize);
  matrix("embeddings.position_embeddings.weight", maxPositions, hiddenSize);
  matrix("embeddings.token_type_embeddings.weight", typeVocabSize, hiddenSize);
  vector("embeddings.LayerNorm.weight", hiddenSize, 1);
  vector("embeddings.LayerNorm.bias", hiddenSize);
  for (let l = 0; l < numLayers; l++) {
    const p = `encoder.layer.${l}.`;
    for (const qkv of ["query", "key", "value"]) {
      matrix(`${p}attention.self.${qkv}.weight`, hiddenSize, hiddenSize);
      vector(`${p}attention.self.${qkv}.bias`, hiddenSize);
    }
    matrix(`${p}attention.output.dense.weight`, hiddenSize, hiddenSize);
    vector(`${p}attention.output.dense.bias`, hiddenSize);
    vector(`${p}attention.output.LayerNorm.weight`, hiddenSize, 1);
    vector(`${p}attention.output.LayerNorm.bias`, hiddenSize);
    matrix(`${p}intermediate.dense.weight`, intermediateSize, hiddenSize);
    vector(`${p}intermediate.dense.bias`, intermediateSize);
    matrix(`${p}output.dense.weight`, hiddenSize, intermediateSize);
    vector(`${p}output.dense.bias`, hiddenSize);
    vector(`${p}output.LayerNorm.weight`, hiddenSize, 1);
    vector(`${p}output.LayerNorm.bias`, hiddenSize);
  }
  matrix("pooler.dense.weight", hiddenSize, hiddenSize);
  vector("pooler.dense.bias", hiddenSize);

  const config = {
    model_type: "bert",
    architectures: [prefix === "" ? "BertModel" : "BertForMaskedLM"],
    vocab_size: vocabSize,
    hidden_size: hiddenSize,
    num_hidden_layers: numLayers,
    num_attention_heads: numHeads,
    intermediate_size: intermediateSize,
    max_position_embeddings: maxPositions,
    type_vocab_size: typeVocabSize,
    hidden_act: hiddenAct,
    layer_norm_eps: layerNormEps,
    pad_token_id: 0,
    hidden_dropout_prob: 0.1,
    attention_probs_dropout_prob: 0.1,
    initializer_range: 0.2,
  };
  return {
    config,
    tensors,
    files: {
      "config.json": JSON.stringify(config, null, 2),
      "tokenizer.json": JSON.stringify(tinyTokenizer(vocabSize)),
      "model.safetensors": serializeSafetensors(tensors, {
        format: "pt",
        generator: `edgeformers tiny-bert seed=${seed}`,
      }),
    },
  };
}
