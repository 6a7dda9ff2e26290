import { BYTE_TO_CHAR } from "../../src/byte-level-alphabet.js";

/**
 * Small tokenizers defined in code so that suites still run without the shared fixtures:
 * a byte-level BPE (every byte + a few merges) and a BERT-like WordPiece.
 */
export function builtinByteLevelBpe(): object {
  const vocab: Record<string, number> = {};
  for (let b = 0; b < 256; b++) vocab[String.fromCharCode(BYTE_TO_CHAR[b])] = b;
  const merges: string[] = [];
  const add = (a: string, b: string) => {
    if (vocab[a + b] === undefined) vocab[a + b] = Object.keys(vocab).length;
    merges.push(`${a} ${b}`);
  };
  const G = String.fromCharCode(BYTE_TO_CHAR[32]);
  add("t", "h");
  add("th", "e");
  add(G, "the");
  add("i", "n");
  add(G, "in");
  add("e", "r");
  add("o", "n");
  add(G, "on");
  vocab["<|endoftext|>"] = Object.keys(vocab).length;
  return {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: [
      {
        id: vocab["<|endoftext|>"],
        content: "<|endoftext|>",
        single_word: false,
        lstrip: false,
        rstrip: false,
        normalized: true,
        special: true,
      },
    ],
    normalizer: null,
    pre_tokenizer: { type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: { type: "ByteLevel", add_prefix_space: true, trim_offsets: true, use_regex: true },
    decoder: { type: "ByteLevel", add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: "BPE",
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: "",
      end_of_word_suffix: "",
      fuse_unk: false,
      byte_fallback: false,
      vocab,
      merges,
    },
  };
}

export function builtinWordPiece(): object {
  const words = [
    "[PAD]",
    "[UNK]",
    "[CLS]",
    "[SEP]",
    "[MASK]",
    "the",
    "of",
    "and",
    "hello",
    "world",
    "un",
    "##aff",
    "##able",
    "##s",
    "##ing",
    "a",
    "b",
    "c",
    "e",
    "##e",
    "##a",
    "##b",
    "!",
    ",",
    ".",
    "'",
    "\u4e2d",
    "\u6587",
  ];
  const vocab = Object.fromEntries(words.map((w, i) => [w, i]));
  const special = (id: number) => ({
    id,
    content: words[id],
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  });
  return {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: [0, 1, 2, 3, 4].map(special),
    normalizer: {
      type: "BertNormalizer",
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: null,
      lowercase: true,
    },
    pre_tokenizer: { type: "BertPreTokenizer" },
    post_processor: { type: "BertProcessing", sep: ["[SEP]", 3], cls: ["[CLS]", 2] },
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
