import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { codePointLength, integerMedian, sliceCodePoints, unkToken, vocabularyTokens } from "../../src/vocabulary.js";

describe("code-point helpers (Python len / slicing semantics)", () => {
  it("agree with Array.from on any string, including lone surrogates", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), fc.nat(40), (s, n) => {
        const points = Array.from(s);
        expect(codePointLength(s)).toBe(points.length);
        expect(sliceCodePoints(s, n)).toBe(points.slice(0, n).join(""));
      }),
    );
    expect(codePointLength("a😀b")).toBe(3);
    expect(sliceCodePoints("😀😀x", 1)).toBe("😀");
  });

  it("integerMedian is numpy's median truncated by int()", () => {
    expect(integerMedian([3, 1, 2])).toBe(2);
    expect(integerMedian([1, 2, 3, 4])).toBe(2); // (2 + 3) / 2 = 2.5 → 2
    expect(integerMedian([5, 5, 5, 5, 5, 1])).toBe(5);
    expect(integerMedian([])).toBe(1);
  });
});

describe("vocabularyTokens / unkToken", () => {
  it("reads WordPiece/BPE object vocabularies, Unigram lists and added tokens", () => {
    const wp = {
      model: { type: "WordPiece", unk_token: "[UNK]", vocab: { "[UNK]": 0, a: 1 } },
      added_tokens: [{ id: 2, content: "<x>" }],
    };
    expect([...vocabularyTokens(wp)]).toEqual([
      ["[UNK]", 0],
      ["a", 1],
      ["<x>", 2],
    ]);
    expect(unkToken(wp)).toBe("[UNK]");
    const uni = {
      model: {
        type: "Unigram",
        unk_id: 0,
        vocab: [
          ["<unk>", 0],
          ["▁a", -1.5],
        ],
      },
    };
    expect([...vocabularyTokens(uni)]).toEqual([
      ["<unk>", 0],
      ["▁a", 1],
    ]);
    expect(unkToken(uni)).toBeNull(); // model2vec only reads model.unk_token
  });

  it("names tokenizer.json on malformed vocabularies", () => {
    expect(() => vocabularyTokens({})).toThrow(/tokenizer\.json: "model" is missing/);
    expect(() => vocabularyTokens({ model: { vocab: 3 } })).toThrow(
      /tokenizer\.json: "model\.vocab" must be an object or an array/,
    );
    expect(() => vocabularyTokens({ model: { vocab: [[1, 2]] } })).toThrow(
      /model\.vocab\[0\] must be \[token, score\]/,
    );
    expect(() => vocabularyTokens({ model: { vocab: { a: "1" } } })).toThrow(/model\.vocab\["a"\] must be a number/);
  });
});
