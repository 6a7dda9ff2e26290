import { tinyTokenizer } from "./tiny-encoder.js";

/**
 * A BERT-style WordPiece tokenizer.json over the given vocabulary (the five BERT special tokens
 * first), for tests and demo models whose ids should read as words.
 */
export function wordPieceTokenizer(words: readonly string[]): Record<string, unknown> {
  const specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];
  const vocab = [...specials, ...words.filter((word) => !specials.includes(word))];
  const tokenizer = tinyTokenizer(vocab.length) as { model: { vocab: Record<string, number> } };
  tokenizer.model.vocab = Object.fromEntries(vocab.map((word, id) => [word, id]));
  return tokenizer;
}

/** The sentence-transformers files of a mean-pooling model: modules.json and 1_Pooling/config.json. */
export function sentenceTransformersFiles(dimension: number, normalize = true): Record<string, string> {
  const modules = [
    { idx: 0, name: "0", path: "", type: "sentence_transformers.models.Transformer" },
    { idx: 1, name: "1", path: "1_Pooling", type: "sentence_transformers.models.Pooling" },
    ...(normalize ? [{ idx: 2, name: "2", path: "2_Normalize", type: "sentence_transformers.models.Normalize" }] : []),
  ];
  return {
    "modules.json": JSON.stringify(modules),
    "1_Pooling/config.json": JSON.stringify({ word_embedding_dimension: dimension, pooling_mode_mean_tokens: true }),
  };
}
