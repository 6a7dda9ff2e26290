import { describe, expect, it } from "vitest";
import { Tokenizer, TokenizerConfigError } from "../src/index.js";
import { builtinByteLevelBpe, builtinWordPiece } from "./helpers/builtin.js";
import { fixtureConfig, fixtureJson, fixturesAvailable } from "./helpers/fixtures.js";
import { fromOracle, oracleFromJson } from "./helpers/oracle.js";

// biome-ignore lint/suspicious/noExplicitAny: tokenizer.json is edited freely here
type Json = any;

const wordPiece = (): Json => builtinWordPiece();
const byteLevel = (): Json => builtinByteLevelBpe();

describe("loading", () => {
  it("accepts JSON text or an object", () => {
    const a = Tokenizer.fromJSON(JSON.stringify(wordPiece()));
    const b = Tokenizer.fromJSON(wordPiece());
    expect(a.encode("hello world").ids).toEqual(b.encode("hello world").ids);
  });

  it("names an unsupported component and its JSON path at load", () => {
    const j = wordPiece();
    j.pre_tokenizer = { type: "Sequence", pretokenizers: [{ type: "Whitespace" }, { type: "Foo" }] };
    expect(() => Tokenizer.fromJSON(j)).toThrow(TokenizerConfigError);
    expect(() => Tokenizer.fromJSON(j)).toThrow('pre_tokenizer.pretokenizers[1].type "Foo" is not supported');
    const k = wordPiece();
    k.normalizer = { type: "Sequence", normalizers: [{ type: "NFC" }, { type: "Nmt" }] };
    expect(() => Tokenizer.fromJSON(k)).toThrow('normalizer.normalizers[1].type "Nmt" is not supported');
    const m = wordPiece();
    m.model.type = "Mystery";
    expect(() => Tokenizer.fromJSON(m)).toThrow('model.type "Mystery" is not supported');
    const d = wordPiece();
    d.decoder = { type: "Sequence", decoders: [{ type: "Nope" }] };
    expect(() => Tokenizer.fromJSON(d)).toThrow('decoder.decoders[0].type "Nope" is not supported');
    const p = wordPiece();
    p.post_processor = { type: "Later" };
    expect(() => Tokenizer.fromJSON(p)).toThrow('post_processor.type "Later" is not supported');
  });

  it("rejects invalid JSON and non-object input", () => {
    expect(() => Tokenizer.fromJSON("{nope")).toThrow(TokenizerConfigError);
    expect(() => Tokenizer.fromJSON(42 as unknown as string)).toThrow(TypeError);
  });

  it("rejects merges that use unknown tokens, naming the merge", () => {
    const j = byteLevel();
    j.model.merges.push("zz qq");
    expect(() => Tokenizer.fromJSON(j)).toThrow(/model\.merges\[\d+\]/);
  });
});

describe("encode input validation", () => {
  const tok = Tokenizer.fromJSON(wordPiece());
  it("throws a TypeError for non-string input", () => {
    expect(() => tok.encode(undefined as unknown as string)).toThrow(TypeError);
    expect(() => tok.encode(5 as unknown as string)).toThrow("text must be a string, got number");
    expect(() => tok.encode("a", 5 as unknown as string)).toThrow("pair must be a string");
    expect(() => tok.encodeBatch(["a", 3 as unknown as string])).toThrow("inputs[1]");
  });
  it("throws a TypeError naming a bad option field", () => {
    expect(() => tok.encode("a", null, { addSpecialTokens: "yes" as unknown as boolean })).toThrow(
      "options.addSpecialTokens",
    );
    expect(() => tok.encode("a", null, { truncation: { maxLength: -1 } })).toThrow("options.truncation.maxLength");
    expect(() => tok.encode("a", null, { truncation: { maxLength: 5, strategy: "middle" as "only_first" } })).toThrow(
      "options.truncation.strategy",
    );
    expect(() => tok.encode("a", null, { padding: { direction: "up" as "left" } })).toThrow(
      "options.padding.direction",
    );
    expect(() => tok.encode("a", null, { offsets: "bytes" as "utf16" })).toThrow("options.offsets");
    expect(() => tok.encode("a", null, { bogus: 1 } as never)).toThrow("options.bogus");
    expect(() => tok.decode([1], { skipSpecialTokens: 1 as unknown as boolean })).toThrow("options.skipSpecialTokens");
  });
});

describe("offsets", () => {
  it("default UTF-16 offsets slice the token's source text", () => {
    const tok = Tokenizer.fromJSON(byteLevel());
    const text = "a\ud83d\ude00b \ud840\udc00 the";
    const enc = tok.encode(text);
    const pieces = enc.offsets.map(([s, e]) => text.slice(s, e));
    // Each emoji's bytes become several tokens that all point to the whole emoji.
    expect(pieces).toContain("\ud83d\ude00");
    expect(pieces.at(-1)).toBe("the");
    const cp = tok.encode(text, null, { offsets: "codepoint" });
    expect(cp.offsets.at(-1)).toEqual([6, 9]);
    expect(enc.offsets.at(-1)).toEqual([8, 11]);
  });

  it("reads lone surrogates as U+FFFD, like the Rust binding", async () => {
    const json = JSON.stringify(byteLevel());
    const ours = Tokenizer.fromJSON(json).encode("x\ud800y", null, { offsets: "codepoint" });
    const rust = fromOracle(await oracleFromJson(json).encode("x\ud800y", null));
    expect(ours.ids).toEqual(rust.ids);
    expect(ours.offsets).toEqual(rust.offsets);
    expect(ours.ids).toEqual(Tokenizer.fromJSON(json).encode("x\ufffdy").ids);
  });

  it("helpers map between chars, tokens and words", () => {
    const tok = Tokenizer.fromJSON(wordPiece());
    const text = "hello unaffable world";
    const enc = tok.encode(text, "the world");
    // [CLS] hello un ##aff ##able world [SEP] the world [SEP]
    expect(enc.tokens).toEqual(["[CLS]", "hello", "un", "##aff", "##able", "world", "[SEP]", "the", "world", "[SEP]"]);
    expect(enc.charToToken(7)).toBe(2);
    expect(enc.charToToken(9)).toBe(3);
    expect(enc.charToToken(5)).toBeNull();
    expect(enc.charToToken(0, 1)).toBe(7);
    expect(enc.tokenToChars(4)).toEqual([11, 15]);
    expect(enc.tokenToChars(0)).toBeNull();
    expect(enc.tokenToWord(3)).toBe(1);
    expect(enc.wordToTokens(1)).toEqual([2, 5]);
    expect(enc.wordToTokens(1, 1)).toEqual([8, 9]);
    expect(enc.wordToTokens(9)).toBeNull();
  });
});

describe("large inputs", () => {
  it("encodes a 1 MB text without stack overflow, offsets intact", () => {
    const text = "hello world, the unaffable! ".repeat(40000);
    // WordPiece drops the trailing space; byte-level BPE keeps it as a last "Ġ" token.
    for (const [tok, lastEnd] of [
      [Tokenizer.fromJSON(wordPiece()), text.length - 1],
      [Tokenizer.fromJSON(byteLevel()), text.length],
    ] as const) {
      const enc = tok.encode(text, text.slice(0, 1000));
      expect(enc.ids.length).toBeGreaterThan(200000);
      const firstSequence = enc.offsets.filter((_, i) => enc.sequenceIds[i] === 0);
      expect(firstSequence.at(-1)![1]).toBe(lastEnd);
      const [long, short] = tok.encodeBatch([text, "a"], { padding: {} });
      expect(short.ids.length).toBe(long.ids.length);
      expect(long.ids).toEqual(tok.encode(text).ids);
    }
  });
});

describe("decode", () => {
  it("skips special tokens and unknown ids", () => {
    const tok = Tokenizer.fromJSON(wordPiece());
    const ids = tok.encode("hello unaffable, world!").ids;
    expect(tok.decode(ids)).toBe("[CLS] hello unaffable, world! [SEP]");
    expect(tok.decode([...ids, 99999], { skipSpecialTokens: true })).toBe("hello unaffable, world!");
  });
  it("applies clean_up_tokenization_spaces only when asked or configured", () => {
    const j = wordPiece();
    j.decoder = null;
    const plain = Tokenizer.fromJSON(j);
    const ids = plain.encode("hello , world !", null, { addSpecialTokens: false }).ids;
    expect(plain.decode(ids)).toBe("hello , world !");
    expect(plain.decode(ids, { cleanUpTokenizationSpaces: true })).toBe("hello, world!");
    const configured = Tokenizer.fromJSON(j, { clean_up_tokenization_spaces: true });
    expect(configured.decode(ids)).toBe("hello, world!");
  });
});

describe("vocabulary", () => {
  it("maps tokens and ids both ways, added tokens included", () => {
    const tok = Tokenizer.fromJSON(byteLevel());
    const id = tok.tokenToId("<|endoftext|>");
    expect(id).toBeDefined();
    expect(tok.idToToken(id!)).toBe("<|endoftext|>");
    expect(tok.tokenToId("\u0120the")).toBe(tok.encode(" the").ids[0]);
    expect(tok.idToToken(10 ** 9)).toBeUndefined();
    expect(tok.vocabSize).toBe(Object.keys(byteLevel().model.vocab).length);
  });
});

describe.skipIf(!fixturesAvailable)("tokenizer_config.json", () => {
  it("reads model_max_length, special tokens and the pad token", async () => {
    const tok = Tokenizer.fromJSON(fixtureJson("distilbert"), fixtureConfig("distilbert"));
    expect(tok.modelMaxLength).toBe(512);
    expect(tok.specialTokens.pad_token).toBe("[PAD]");
    expect(tok.specialTokens.mask_token).toBe("[MASK]");
    expect(tok.cleanUpTokenizationSpaces).toBe(true);
    const long = "word ".repeat(600);
    // Truncation without maxLength falls back to model_max_length.
    expect(tok.encode(long, null, { truncation: {} }).ids.length).toBe(512);
    const padded = tok.encodeBatch(["a b", "a b c d"], { padding: {} });
    expect(padded[0].ids.at(-1)).toBe(0);
    expect(padded[0].tokens.at(-1)).toBe("[PAD]");
    const t5 = Tokenizer.fromJSON(fixtureJson("t5-small"), fixtureConfig("t5-small"));
    expect(t5.specialTokens.additional_special_tokens?.length).toBe(100);
    expect(t5.encodeBatch(["a", "a b c"], { padding: {} })[0].tokens.at(-1)).toBe("<pad>");
  });

  it("applies the truncation block of the file unless options override it", async () => {
    const json = fixtureJson("gpt2"); // truncation max_length 50 in the file
    const tok = Tokenizer.fromJSON(json);
    const text = "one two three ".repeat(40);
    expect(tok.encode(text).ids.length).toBe(50);
    expect(tok.encode(text).overflowing.length).toBeGreaterThan(0);
    // 120 words and the trailing space.
    expect(tok.encode(text, null, { truncation: false }).ids.length).toBe(121);
    const rust = fromOracle(await oracleFromJson(json).encode(text, null));
    expect(tok.encode(text, null, { offsets: "codepoint" }).overflowing.map((o) => o.ids)).toEqual(
      rust.overflowing.map((o) => o.ids),
    );
  });
});
