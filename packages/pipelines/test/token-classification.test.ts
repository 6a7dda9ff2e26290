import { describe, expect, it } from "vitest";
import { type GroupedEntity, type TokenEntity, tokenClassification } from "../src/tasks/token-classification.js";
import { ControlledModel, loadFixtureTokenizer, needsFixtures, wordPieceTokenizer } from "./helpers.js";

const labels = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC"];
const config = { id2label: Object.fromEntries(labels.map((l, i) => [i, l])) };
const tok = wordPieceTokenizer([
  "my",
  "name",
  "is",
  "wolf",
  "##gang",
  "and",
  "i",
  "live",
  "in",
  "berlin",
  "paris",
  "a",
  "b",
  "c",
  "d",
  "e",
]);

/** Per-token logits from the token string; anything not listed is "O" with logits [2,0,0,0,0]. */
function nerModel(byToken: Record<string, number[]>, tokenizer = tok) {
  return new ControlledModel(tokenizer, config, (ids) => ({
    logits: ids.map((id) => byToken[tokenizer.idToToken(id) ?? ""] ?? [2, 0, 0, 0, 0]),
  }));
}

// softmax([0,5,0,0,0])[1] = e^5/(e^5+4) = 148.413159/152.413159 = 0.973756
const S5 = 0.973756;
// softmax([0,0,3,0,0])[2] = e^3/(e^3+4) = 20.085537/24.085537 = 0.833925
const S3 = 0.833925;
// softmax([0,0,0,4,0])[3] = e^4/(e^4+4) = 54.598150/58.598150 = 0.931739
const S4 = 0.931739;
// softmax([0,0,0,0,6])[4] = e^6/(e^6+4) = 403.428793/407.428793 = 0.990182
const S6 = 0.990182;
const TEXT = "My name is Wolfgang and I live in Berlin";

const close = (x: number) => expect.closeTo(x, 5);

describe("token-classification", () => {
  const consistent = { wolf: [0, 5, 0, 0, 0], "##gang": [0, 0, 3, 0, 0], berlin: [0, 0, 0, 4, 0] };

  it("none: one entry per non-O token with index, word, start, end", async () => {
    const r = (await tokenClassification(nerModel(consistent), TEXT)) as TokenEntity[];
    // [CLS]=0 my=1 name=2 is=3 wolf=4 ##gang=5 and=6 i=7 live=8 in=9 berlin=10 [SEP]=11
    expect(r).toEqual([
      { entity: "B-PER", score: close(S5), index: 4, word: "wolf", start: 11, end: 15 },
      { entity: "I-PER", score: close(S3), index: 5, word: "##gang", start: 15, end: 19 },
      { entity: "B-LOC", score: close(S4), index: 10, word: "berlin", start: 34, end: 40 },
    ]);
  });

  it("simple: B-PER + I-PER grouped, score = mean, word via the WordPiece decoder", async () => {
    const r = (await tokenClassification(nerModel(consistent), TEXT, {
      aggregationStrategy: "simple",
    })) as GroupedEntity[];
    // mean(0.973756, 0.833925) = 0.903841
    expect(r).toEqual([
      { entity_group: "PER", score: close(0.903841), word: "wolfgang", start: 11, end: 19 },
      { entity_group: "LOC", score: close(S4), word: "berlin", start: 34, end: 40 },
    ]);
    for (const e of r) expect(TEXT.slice(e.start, e.end).toLowerCase()).toBe(e.word);
  });

  describe("word strategies disambiguate a word whose pieces disagree", () => {
    // wolf → B-PER (0.973756), ##gang → I-LOC (0.990182)
    const split = { wolf: [0, 5, 0, 0, 0], "##gang": [0, 0, 0, 0, 6] };

    it("simple splits the word into two groups", async () => {
      const r = (await tokenClassification(nerModel(split), TEXT, {
        aggregationStrategy: "simple",
      })) as GroupedEntity[];
      expect(r).toEqual([
        { entity_group: "PER", score: close(S5), word: "wolf", start: 11, end: 15 },
        // the decoder keeps "##" on a first token, as Rust's WordPiece decoder does
        { entity_group: "LOC", score: close(S6), word: "##gang", start: 15, end: 19 },
      ]);
    });

    it("first takes the first piece's label", async () => {
      const r = await tokenClassification(nerModel(split), TEXT, { aggregationStrategy: "first" });
      expect(r).toEqual([{ entity_group: "PER", score: close(S5), word: "wolfgang", start: 11, end: 19 }]);
    });

    it("max takes the piece with the highest score", async () => {
      const r = await tokenClassification(nerModel(split), TEXT, { aggregationStrategy: "max" });
      expect(r).toEqual([{ entity_group: "LOC", score: close(S6), word: "wolfgang", start: 11, end: 19 }]);
    });

    it("average averages the score vectors, then takes the argmax", async () => {
      // B-PER: (0.973756 + 1/407.428793) / 2 = (0.973756 + 0.002454) / 2 = 0.488105
      // I-LOC: (1/152.413159 + 0.990182) / 2 = (0.006561 + 0.990182) / 2 = 0.498372 → wins
      const r = await tokenClassification(nerModel(split), TEXT, { aggregationStrategy: "average" });
      expect(r).toEqual([{ entity_group: "LOC", score: close(0.498372), word: "wolfgang", start: 11, end: 19 }]);
    });
  });

  it("two consecutive B- tags stay separate groups; I- after O starts a group", async () => {
    const m = nerModel({ berlin: [0, 0, 0, 4, 0], paris: [0, 0, 0, 4, 0], live: [0, 0, 0, 0, 4] });
    const r = (await tokenClassification(m, "live berlin paris", { aggregationStrategy: "simple" })) as GroupedEntity[];
    // softmax([0,0,0,0,4])[4] = 0.931739
    expect(r.map((e) => [e.entity_group, e.word, e.start, e.end])).toEqual([
      ["LOC", "live", 0, 4],
      ["LOC", "berlin", 5, 11],
      ["LOC", "paris", 12, 17],
    ]);
  });

  it("ignoreLabels: [] keeps O; custom labels are dropped", async () => {
    const r = (await tokenClassification(nerModel(consistent), "my berlin", { ignoreLabels: [] })) as TokenEntity[];
    // softmax([2,0,0,0,0])[0] = e^2/(e^2+4) = 7.389056/11.389056 = 0.648788
    expect(r.map((e) => [e.entity, e.word])).toEqual([
      ["O", "my"],
      ["B-LOC", "berlin"],
    ]);
    expect(r[0].score).toBeCloseTo(0.648788, 5);
    const g = await tokenClassification(nerModel(consistent), TEXT, {
      aggregationStrategy: "simple",
      ignoreLabels: ["O", "PER"],
    });
    expect((g as GroupedEntity[]).map((e) => e.entity_group)).toEqual(["LOC"]);
  });

  it("offsets are UTF-16 into the original text, and an [UNK] word is its own text", async () => {
    const text = "😀 Berlin ünknown";
    const m = nerModel({ berlin: [0, 0, 0, 4, 0], "[UNK]": [0, 0, 0, 0, 6] });
    const r = (await tokenClassification(m, text)) as TokenEntity[];
    // 😀 is [UNK] (index 1) with logits favouring I-LOC; "ünknown" is also [UNK]
    expect(r.map((e) => [e.entity, e.word, e.start, e.end])).toEqual([
      // Python: for the unk id, word = sentence[start:end]
      ["I-LOC", "😀", 0, 2],
      ["B-LOC", "berlin", 3, 9],
      ["I-LOC", "ünknown", 10, 17],
    ]);
    const g = (await tokenClassification(m, text, { aggregationStrategy: "first" })) as GroupedEntity[];
    // first: words 😀 (I-LOC), berlin (B-LOC), ünknown (I-LOC): I-LOC then B-LOC then I-LOC (joins berlin's group)
    expect(g.map((e) => [e.entity_group, e.word, text.slice(e.start, e.end)])).toEqual([
      ["LOC", "😀", "😀"],
      ["LOC", "berlin ünknown", "Berlin ünknown"],
    ]);
  });

  it("per-call batches: an array gives one list per text", async () => {
    const r = await tokenClassification(nerModel(consistent), ["berlin", "my name"]);
    expect(r).toEqual([[{ entity: "B-LOC", score: close(S4), index: 1, word: "berlin", start: 0, end: 6 }], []]);
  });

  it("stride: windows over a long text, overlapping entities merged", async () => {
    const small = wordPieceTokenizer(["a", "b", "c", "d", "e", "berlin"], { model_max_length: 6 });
    const m = nerModel({ berlin: [0, 0, 0, 4, 0] }, small);
    const text = "a b c berlin d e";
    // windows of 4 tokens + [CLS]/[SEP] with 2 overlapping: [a b c berlin], [c berlin d e]
    const r = (await tokenClassification(m, text, { aggregationStrategy: "simple", stride: 2 })) as GroupedEntity[];
    expect(m.calls.flatMap((c) => c.inputIds).length).toBe(2);
    // berlin is found in both windows, kept once
    expect(r).toEqual([{ entity_group: "LOC", score: close(S4), word: "berlin", start: 6, end: 12 }]);
    // without a stride the text is truncated to the first window only
    const cut = (await tokenClassification(nerModel({ e: [0, 0, 0, 4, 0] }, small), text, {
      aggregationStrategy: "simple",
    })) as GroupedEntity[];
    expect(cut).toEqual([]);
  });

  it("rejects bad options like Python", async () => {
    const m = nerModel(consistent);
    await expect(tokenClassification(m, TEXT, { aggregationStrategy: "fancy" as "none" })).rejects.toThrow(
      /aggregationStrategy/,
    );
    await expect(tokenClassification(m, TEXT, { stride: 4 })).rejects.toThrow(/aggregationStrategy other than "none"/);
    await expect(tokenClassification(m, TEXT, { stride: 512, aggregationStrategy: "first" })).rejects.toThrow(
      RangeError,
    );
    await expect(tokenClassification(m, TEXT, { ignoreLabels: "O" as unknown as string[] })).rejects.toThrow(
      /ignoreLabels/,
    );
    await expect(tokenClassification(m, [TEXT, 5 as unknown as string])).rejects.toThrow(
      /inputs\[1\] must be a string/,
    );
  });

  const roberta = loadFixtureTokenizer("roberta");
  it.skipIf(!roberta)(
    needsFixtures("byte-level BPE (roberta fixture) uses the space heuristic for subwords", roberta),
    async () => {
      if (!roberta) return;
      const text = "My name is Wolfgang and I live in Berlin";
      const enc = roberta.encode(text);
      // B-PER on the first piece of Wolfgang, I-LOC (disagreeing) on its other pieces, B-LOC on Berlin
      const m = new ControlledModel(roberta, config, (ids) => ({
        logits: ids.map((_, t) => {
          const [s, e] = enc.offsets[t] ?? [0, 0];
          if (enc.specialTokensMask[t] || ids.length !== enc.length) return [2, 0, 0, 0, 0];
          if (s === 11) return [0, 5, 0, 0, 0];
          if (s > 11 && e <= 19) return [0, 0, 0, 0, 6];
          if (s === 34) return [0, 0, 0, 4, 0];
          return [2, 0, 0, 0, 0];
        }),
      }));
      expect(enc.tokens.slice(4, 6).join("|")).toMatch(/^ĠWolf/);
      const r = (await tokenClassification(m, text, { aggregationStrategy: "first" })) as GroupedEntity[];
      // "gang" starts at 15 with "fg" around it (no space): a subword, so the word takes Wolf's B-PER.
      expect(r).toEqual([
        { entity_group: "PER", score: close(S5), word: " Wolfgang", start: 11, end: 19 },
        { entity_group: "LOC", score: close(S4), word: " Berlin", start: 34, end: 40 },
      ]);
    },
  );
});
