import { describe, it } from "vitest";
import { fixturesAvailable } from "./helpers/fixtures.js";
import { type Json, variantHarness } from "./helpers/variants.js";

/**
 * Variants built by editing the shared fixtures, each compared with the Rust oracle loading
 * the very same JSON.
 */
describe.skipIf(!fixturesAvailable)("fixture variants vs Rust tokenizers", () => {
  const { load, inputs, pairs, check } = variantHarness();

  describe("BertNormalizer flags", () => {
    for (const [lowercase, strip] of [
      [false, null],
      [false, true],
      [true, false],
      [true, true],
    ] as const) {
      it(`lowercase=${lowercase} strip_accents=${strip}`, async () => {
        const j = load("bert-base-uncased");
        j.normalizer.lowercase = lowercase;
        j.normalizer.strip_accents = strip;
        await check(j);
      });
    }
    it("clean_text and handle_chinese_chars off", async () => {
      const j = load("bert-base-chinese");
      j.normalizer.clean_text = false;
      j.normalizer.handle_chinese_chars = false;
      await check(j);
    });
  });

  describe("byte-level flags", () => {
    for (const name of ["gpt2", "roberta"] as const) {
      for (const [prefix, trim] of [
        [true, true],
        [true, false],
        [false, false],
      ] as const) {
        it(`${name} add_prefix_space=${prefix} trim_offsets=${trim}`, async () => {
          const j = load(name);
          j.pre_tokenizer.add_prefix_space = prefix;
          j.post_processor.add_prefix_space = prefix;
          j.post_processor.trim_offsets = trim;
          await check(j, {}, [...inputs, ...pairs]);
        });
      }
    }
    it("gpt2 use_regex=false", async () => {
      const j = load("gpt2");
      j.pre_tokenizer.use_regex = false;
      await check(j, { truncation: false });
    });
  });

  describe("TemplateProcessing", () => {
    it("bert with custom type ids and multi-token specials", async () => {
      const j = load("bert-base-uncased");
      j.post_processor = {
        type: "TemplateProcessing",
        single: [
          { SpecialToken: { id: "[CLS]", type_id: 2 } },
          { Sequence: { id: "A", type_id: 1 } },
          { SpecialToken: { id: "[SEP]", type_id: 0 } },
          { SpecialToken: { id: "[BOTH]", type_id: 3 } },
        ],
        pair: [
          { Sequence: { id: "B", type_id: 0 } },
          { SpecialToken: { id: "[SEP]", type_id: 1 } },
          { Sequence: { id: "A", type_id: 2 } },
          { SpecialToken: { id: "[BOTH]", type_id: 1 } },
        ],
        special_tokens: {
          "[CLS]": { id: "[CLS]", ids: [101], tokens: ["[CLS]"] },
          "[SEP]": { id: "[SEP]", ids: [102], tokens: ["[SEP]"] },
          "[BOTH]": { id: "[BOTH]", ids: [101, 102], tokens: ["[CLS]", "[SEP]"] },
        },
      };
      await check(j, {}, [...inputs.slice(0, 200), ...pairs]);
      await check(
        j,
        { truncation: { maxLength: 12, stride: 2 } },
        pairs.filter(([a, b]) => a.length + b.length < 300),
      );
    });
    it("gpt2 wrapped in <|endoftext|>", async () => {
      const j = load("gpt2");
      j.post_processor = {
        type: "TemplateProcessing",
        single: [
          { SpecialToken: { id: "<|endoftext|>", type_id: 0 } },
          { Sequence: { id: "A", type_id: 0 } },
          { SpecialToken: { id: "<|endoftext|>", type_id: 0 } },
        ],
        pair: [
          { SpecialToken: { id: "<|endoftext|>", type_id: 0 } },
          { Sequence: { id: "A", type_id: 0 } },
          { SpecialToken: { id: "<|endoftext|>", type_id: 0 } },
          { Sequence: { id: "B", type_id: 1 } },
          { SpecialToken: { id: "<|endoftext|>", type_id: 1 } },
        ],
        special_tokens: { "<|endoftext|>": { id: "<|endoftext|>", ids: [50256], tokens: ["<|endoftext|>"] } },
      };
      await check(j, {}, [...inputs.slice(0, 200), ...pairs]);
    });
    it("t5 with a Sequence post-processor", async () => {
      const j = load("t5-small");
      j.post_processor = {
        type: "Sequence",
        processors: [
          j.post_processor,
          { type: "ByteLevel", add_prefix_space: false, trim_offsets: false, use_regex: true },
        ],
      };
      await check(j, {}, [...inputs.slice(0, 200), ...pairs]);
    });
    it("BertProcessing instead of the template", async () => {
      const j = load("bert-base-uncased");
      j.post_processor = { type: "BertProcessing", sep: ["[SEP]", 102], cls: ["[CLS]", 101] };
      await check(j, {}, [...inputs.slice(0, 200), ...pairs]);
      await check(j, { truncation: { maxLength: 16, stride: 3 } }, [
        ...inputs.slice(0, 100),
        ...pairs.filter(([a, b]) => a.length + b.length < 300),
      ]);
    });
  });

  describe("added tokens", () => {
    const extra = [
      { content: "hello", single_word: true, lstrip: false, rstrip: false, normalized: true, special: false },
      { content: "[NEW]", single_word: false, lstrip: true, rstrip: true, normalized: false, special: true },
      { content: "World", single_word: false, lstrip: false, rstrip: true, normalized: true, special: false },
      { content: "<x>", single_word: true, lstrip: true, rstrip: false, normalized: false, special: false },
      { content: " spaced ", single_word: false, lstrip: false, rstrip: false, normalized: false, special: true },
      { content: "中文", single_word: false, lstrip: true, rstrip: true, normalized: true, special: false },
      { content: "\ud83d\ude00", single_word: false, lstrip: false, rstrip: false, normalized: false, special: false },
    ];
    const texts = [
      "hello world",
      "ahello hello, hellob hello",
      "x [NEW]  y [NEW]z  [NEW]",
      "hello World WORLD world Worldly",
      "a<x>b <x> c <x>",
      "this is spaced out spaced  ",
      "中文 说中文的人 中文",
      "smile\ud83d\ude00 \ud83d\ude00\ud83d\ude00",
      "[NEW][NEW]<x><x>hellohello",
      "\u00a0[NEW]\u3000\ud83d\ude00 ",
    ];
    for (const name of ["bert-base-uncased", "gpt2", "t5-small", "roberta"] as const) {
      it(name, async () => {
        const j = load(name);
        const vocabSize = Array.isArray(j.model.vocab) ? j.model.vocab.length : Object.keys(j.model.vocab).length;
        j.added_tokens.push(...extra.map((t, i) => ({ id: vocabSize + i, ...t })));
        await check(j, {}, [...texts, ...texts.map((t) => t.toUpperCase()), ...inputs.slice(0, 150)]);
        await check(
          j,
          { addSpecialTokens: false },
          texts.map((t, i): [string, string] => [t, texts[(i + 3) % texts.length]]),
        );
      });
    }
  });

  describe("pre-tokenizer variants", () => {
    const splitVariants: [string, Json][] = [
      [
        "Split regex isolated",
        { type: "Split", pattern: { Regex: "\\s+|[.,!?]" }, behavior: "Isolated", invert: false },
      ],
      ["Split regex removed", { type: "Split", pattern: { Regex: "\\s+" }, behavior: "Removed", invert: false }],
      [
        "Split regex merged_with_previous",
        { type: "Split", pattern: { Regex: "[aeiou]" }, behavior: "MergedWithPrevious", invert: false },
      ],
      [
        "Split regex merged_with_next",
        { type: "Split", pattern: { Regex: "\\p{P}" }, behavior: "MergedWithNext", invert: false },
      ],
      ["Split regex contiguous", { type: "Split", pattern: { Regex: "\\d" }, behavior: "Contiguous", invert: false }],
      ["Split regex inverted", { type: "Split", pattern: { Regex: "\\w+" }, behavior: "Removed", invert: true }],
      ["Split string", { type: "Split", pattern: { String: "e" }, behavior: "MergedWithNext", invert: false }],
      ["Split string inverted", { type: "Split", pattern: { String: " " }, behavior: "Isolated", invert: true }],
      ["Digits individual", { type: "Digits", individual_digits: true }],
      ["Digits contiguous", { type: "Digits", individual_digits: false }],
      ["Punctuation isolated", { type: "Punctuation", behavior: "Isolated" }],
      ["Punctuation merged_with_previous", { type: "Punctuation", behavior: "MergedWithPrevious" }],
      ["Punctuation contiguous", { type: "Punctuation", behavior: "Contiguous" }],
      ["Whitespace", { type: "Whitespace" }],
      ["WhitespaceSplit", { type: "WhitespaceSplit" }],
      ["CharDelimiterSplit", { type: "CharDelimiterSplit", delimiter: "a" }],
      ["UnicodeScripts", { type: "UnicodeScripts" }],
    ];
    for (const [label, pre] of splitVariants) {
      it(`${label} (WordPiece)`, async () => {
        const j = load("bert-base-uncased");
        j.pre_tokenizer = { type: "Sequence", pretokenizers: [pre, { type: "WhitespaceSplit" }] };
        await check(j);
      });
    }
    it("GPT-2 style Split + ByteLevel(use_regex=false) + Digits", async () => {
      const j = load("gpt2");
      j.pre_tokenizer = {
        type: "Sequence",
        pretokenizers: [
          { type: "Digits", individual_digits: true },
          {
            type: "Split",
            pattern: {
              Regex:
                "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+".replace(
                  "(?i:'s|'t|'re|'ve|'m|'ll|'d)",
                  "'s|'t|'re|'ve|'m|'ll|'d|'S|'T|'RE|'VE|'M|'LL|'D",
                ),
            },
            behavior: "Isolated",
            invert: false,
          },
          { type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: false },
        ],
      };
      await check(j, { truncation: false });
    });
    it("UnicodeScripts then Metaspace (Unigram)", async () => {
      const j = load("t5-small");
      j.pre_tokenizer = { type: "Sequence", pretokenizers: [{ type: "UnicodeScripts" }, j.pre_tokenizer] };
      await check(j, {}, [...inputs, ...pairs]);
    });
    for (const scheme of ["first", "never", "always"] as const) {
      for (const split of [true, false]) {
        it(`Metaspace prepend_scheme=${scheme} split=${split}`, async () => {
          const j = load("t5-small");
          j.pre_tokenizer = { type: "Metaspace", replacement: "\u2581", prepend_scheme: scheme, split };
          j.decoder = { type: "Metaspace", replacement: "\u2581", prepend_scheme: scheme, split };
          await check(j, {}, [...inputs, ...pairs]);
        });
      }
    }
  });

  describe("normalizer variants (Unigram t5)", () => {
    const normalizers: [string, Json][] = [
      ["NFC", { type: "NFC" }],
      ["NFD", { type: "NFD" }],
      ["NFKC", { type: "NFKC" }],
      ["NFKD", { type: "NFKD" }],
      [
        "Lowercase+StripAccents",
        { type: "Sequence", normalizers: [{ type: "NFD" }, { type: "Lowercase" }, { type: "StripAccents" }] },
      ],
      ["Replace string", { type: "Replace", pattern: { String: "  " }, content: " " }],
      ["Replace regex", { type: "Replace", pattern: { Regex: "[aeiou]+" }, content: "\u00e6\u00e6" }],
      ["Replace regex to empty", { type: "Replace", pattern: { Regex: "\\s+" }, content: "" }],
      ["Prepend", { type: "Prepend", prepend: "\u2581\u2581" }],
      ["Strip", { type: "Strip", strip_left: true, strip_right: true }],
      ["Strip left", { type: "Strip", strip_left: true, strip_right: false }],
      ["precompiled + NFKC", null],
    ];
    for (const [label, norm] of normalizers) {
      it(label, async () => {
        const j = load("t5-small");
        j.normalizer = norm === null ? { type: "Sequence", normalizers: [j.normalizer, { type: "NFKC" }] } : norm;
        await check(j, {}, [...inputs, ...pairs]);
      });
    }
    it("ByteLevel normalizer with gpt2 (Split pre-tokenizer)", async () => {
      const j = load("gpt2");
      j.normalizer = { type: "ByteLevel" };
      j.pre_tokenizer = { type: "Split", pattern: { Regex: "\u0120" }, behavior: "MergedWithNext", invert: false };
      await check(j, { truncation: false });
    });
  });
});
