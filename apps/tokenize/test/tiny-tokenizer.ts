import { wordPieceTokenizer } from "@edgeformers/engine/testing";

/**
 * A hand-made BERT-style WordPiece tokenizer.json, small enough that every expected id and
 * offset in the tests can be worked out by hand.
 */
export const TINY_VOCAB = [
  "[PAD]",
  "[UNK]",
  "[CLS]",
  "[SEP]",
  "[MASK]",
  "hello",
  "world",
  "##s",
  "!",
  "un",
  "##believ",
  "##able",
  ",",
  "a",
] as const;

export const TINY_TOKENIZER = wordPieceTokenizer(TINY_VOCAB);
