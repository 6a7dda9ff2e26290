import { readFileSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";
import { type FillMaskCandidate, fillMask } from "../src/tasks/fill-mask.js";
import { fillTemplate, promptClassification } from "../src/tasks/prompt-classification.js";
import type { LabelScore } from "../src/tasks/text-classification.js";
import { ControlledModel, fixture, loadFixtureTokenizer, needsFixtures, wordPieceTokenizer } from "./helpers.js";

// 5 specials + 14 words = vocabulary of 19
const tok = wordPieceTokenizer([
  "the",
  "capital",
  "of",
  "france",
  "is",
  "paris",
  "london",
  "good",
  "bad",
  "overall",
  "it",
  "was",
  ".",
  "##s",
]);
const id = (w: string) => tok.tokenToId(w) as number;
const V = tok.vocabSize;

/** Logits at every position: the listed words get their value, the rest 0. */
function mlm(values: Record<string, number>, tokenizer = tok, vocab = V) {
  const vec = new Array<number>(vocab).fill(0);
  for (const [w, v] of Object.entries(values)) vec[tokenizer.tokenToId(w) as number] = v;
  return new ControlledModel(tokenizer, {}, (ids) => ({ logits: ids.map(() => vec) }));
}

// paris 3, london 2, the 1, 16 others 0: Z = e³ + e² + e + 16 = 20.085537 + 7.389056 + 2.718282 + 16 = 46.192875
const P_PARIS = 20.085537 / 46.192875; // 0.434821
const P_LONDON = 7.389056 / 46.192875; // 0.159961
const P_THE = Math.E / 46.192875; // 2.718282 / 46.192875 = 0.058846
const P_OTHER = 1 / 46.192875; // 0.021648
const close = (x: number) => expect.closeTo(x, 5);
const model = () => mlm({ paris: 3, london: 2, the: 1 });

describe("fill-mask", () => {
  it("top k over the whole vocabulary with the filled sequence", async () => {
    expect(V).toBe(19);
    const r = await fillMask(model(), "The capital of France is [MASK].", { topK: 3 });
    expect(r).toEqual([
      { score: close(P_PARIS), token: id("paris"), token_str: "paris", sequence: "the capital of france is paris." },
      {
        score: close(P_LONDON),
        token: id("london"),
        token_str: "london",
        sequence: "the capital of france is london.",
      },
      { score: close(P_THE), token: id("the"), token_str: "the", sequence: "the capital of france is the." },
    ]);
  });

  it("defaults to 5 candidates; ties keep vocabulary order", async () => {
    const r = (await fillMask(model(), "[MASK]")) as FillMaskCandidate[];
    expect(r.map((c) => c.token)).toEqual([id("paris"), id("london"), id("the"), 0, 1]);
    expect(r[3].score).toBeCloseTo(P_OTHER, 6);
  });

  it("targets restrict the candidates without renormalising; topK capped to the targets", async () => {
    const r = (await fillMask(model(), "is [MASK].", { targets: ["the", "london"] })) as FillMaskCandidate[];
    expect(r.map((c) => [c.token_str, c.score])).toEqual([
      ["london", close(P_LONDON)],
      ["the", close(P_THE)],
    ]);
  });

  it("a target outside the vocabulary becomes its first token, with Python's warning", async () => {
    const warnings: string[] = [];
    const r = (await fillMask(model(), "[MASK]", {
      targets: "londons",
      onWarning: (w) => warnings.push(w),
    })) as FillMaskCandidate[];
    // "londons" → london ##s → london
    expect(r).toEqual([{ score: close(P_LONDON), token: id("london"), token_str: "london", sequence: "london" }]);
    expect(warnings).toEqual([
      "The specified target token `londons` does not exist in the model vocabulary. Replacing with `london`.",
    ]);
    const spy = vi.spyOn(console, "warn").mockImplementation(() => {});
    await fillMask(model(), "[MASK]", { targets: ["paris", "parisx"] });
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
  });

  it("several masks: one list per mask, sequences keep the special tokens", async () => {
    const r = (await fillMask(model(), "paris is [MASK] [MASK].", { topK: 1 })) as FillMaskCandidate[][];
    expect(r).toEqual([
      [
        {
          score: close(P_PARIS),
          token: id("paris"),
          token_str: "paris",
          sequence: "[CLS] paris is paris [MASK]. [SEP]",
        },
      ],
      [
        {
          score: close(P_PARIS),
          token: id("paris"),
          token_str: "paris",
          sequence: "[CLS] paris is [MASK] paris. [SEP]",
        },
      ],
    ]);
  });

  it("batches; a list of one input returns that input's result like Python", async () => {
    const m = model();
    const two = (await fillMask(m, ["[MASK]", "is [MASK]"], { topK: 1 })) as FillMaskCandidate[][];
    // one input per forward by default (the logits are vocabulary-wide)
    expect(m.calls.map((c) => c.inputIds.length)).toEqual([1, 1]);
    expect(two.map((r) => r[0].sequence)).toEqual(["paris", "is paris"]);
    const one = (await fillMask(model(), ["[MASK]"], { topK: 1 })) as FillMaskCandidate[];
    expect(one[0].sequence).toBe("paris");
  });

  it("validates", async () => {
    await expect(fillMask(model(), "no mask here")).rejects.toThrow(/inputs has no mask token \(\[MASK\]\)/);
    await expect(fillMask(model(), ["[MASK]", "none"])).rejects.toThrow(/inputs\[1\] has no mask token/);
    await expect(fillMask(model(), "[MASK]", { topK: 0 })).rejects.toThrow(RangeError);
    await expect(fillMask(model(), "[MASK]", { targets: [] })).rejects.toThrow(/at least one target/);
    await expect(fillMask(model(), "[MASK]", { targets: 3 as unknown as string })).rejects.toThrow(TypeError);
    await expect(fillMask(model(), "[MASK]", { topK: 50 })).rejects.toThrow(/larger than the vocabulary/);
  });

  const roberta = loadFixtureTokenizer("roberta");
  it.skipIf(!roberta)(needsFixtures("roberta fixture: <mask> and byte-level tokens", roberta), async () => {
    if (!roberta) return;
    const m = mlm({ ĠLondon: 3, ĠParis: 4 }, roberta, roberta.vocabSize);
    const r = (await fillMask(m, "The capital of France is<mask>.", { topK: 2 })) as FillMaskCandidate[];
    expect(r.map((c) => [c.token_str, c.sequence])).toEqual([
      [" Paris", "The capital of France is Paris."],
      [" London", "The capital of France is London."],
    ]);
  });
});

describe("prompt classification", () => {
  it("fills the template with the mask token", () => {
    expect(fillTemplate("Overall it was [MASK].", "nice", "<mask>")).toBe("nice Overall it was <mask>.");
    expect(fillTemplate("Review: {} Verdict: [MASK]", "nice", "[MASK]")).toBe("Review: nice Verdict: [MASK]");
  });

  it("softmax over the verbalizer tokens' mask logits, summed per label", async () => {
    // good 2, bad 0.5: softmax([2, 0.5]) = [0.817574, 0.182426]
    const r = await promptClassification(mlm({ good: 2, bad: 0.5, paris: 9 }), "the movie");
    expect(r).toEqual([
      { label: "positive", score: close(0.817574) },
      { label: "negative", score: close(0.182426) },
    ]);
  });

  it("several words per label add up; topK cuts", async () => {
    // softmax over {good: 1, paris: 1, bad: 0}: e/(2e+1) = 2.718282/6.436564 = 0.422319 each for good and paris → 0.844638; bad 1/(2e+1) = 0.155362
    const r = await promptClassification(mlm({ good: 1, paris: 1 }), ["x", "y"], {
      verbalizer: { positive: ["good", "paris"], negative: "bad" },
      topK: 1,
    });
    expect(r).toEqual([
      [{ label: "positive", score: close(0.844638) }],
      [{ label: "positive", score: close(0.844638) }],
    ]);
  });

  it("reads the mask position of the template", async () => {
    const m = new ControlledModel(tok, {}, (ids) => ({
      // good wins only at the [MASK] position
      logits: ids.map((t) => {
        const v = new Array<number>(V).fill(0);
        v[t === id("[MASK]") ? id("good") : id("bad")] = 5;
        return v;
      }),
    }));
    const r = (await promptClassification(m, "it was")) as LabelScore[];
    expect(r[0].label).toBe("positive");
    expect(m.calls[0].inputIds[0]).toEqual(tok.encode("it was Overall it was [MASK].").ids);
  });

  it("validates", async () => {
    await expect(promptClassification(model(), "x", { template: "no mask" })).rejects.toThrow(/\[MASK\]/);
    await expect(promptClassification(model(), "x", { verbalizer: {} })).rejects.toThrow(/at least one label/);
    await expect(promptClassification(model(), "x", { verbalizer: { a: [] } })).rejects.toThrow(/verbalizer.a/);
    await expect(promptClassification(model(), 4 as unknown as string)).rejects.toThrow(TypeError);
  });
});

describe("SST-2 dev sentences through prompt classification (bert-base-uncased tokenizer)", () => {
  const bert = loadFixtureTokenizer("bert-base-uncased");
  const tsv = fixture("data", "sst2-dev", "dev.tsv");
  it.skipIf(!bert || !tsv)(
    needsFixtures("every sentence gets both labels, sorted, summing to 1", bert, tsv),
    async () => {
      if (!bert || !tsv) return;
      const sentences = readFileSync(tsv, "utf8")
        .trim()
        .split("\n")
        .slice(1)
        .map((l) => l.split("\t")[0]);
      expect(sentences.length).toBe(872);
      const good = bert.tokenToId("good") as number;
      const bad = bert.tokenToId("bad") as number;
      // Logits only for ids below 3000 (enough for good/bad), so 872 sentences stay cheap:
      // good = (row length mod 3), bad = 1, so both orders occur.
      const V = 3000;
      const m = {
        config: {},
        tokenizer: bert,
        async forward({ inputIds }: { inputIds: number[][] }) {
          const S = inputIds[0].length;
          const data = new Float32Array(inputIds.length * S * V);
          inputIds.forEach((ids, b) => {
            const len = ids.filter((x) => x !== 0).length;
            for (let t = 0; t < S; t++) {
              data[(b * S + t) * V + good] = len % 3;
              data[(b * S + t) * V + bad] = 1;
            }
          });
          return { logits: { data, dims: [inputIds.length, S, V] } };
        },
      };
      const results = (await promptClassification(m, sentences, { batchSize: 32 })) as LabelScore[][];
      expect(results).toHaveLength(872);
      const firsts = new Set<string>();
      for (const r of results) {
        expect(r.map((x) => x.label).sort()).toEqual(["negative", "positive"]);
        expect(r[0].score).toBeGreaterThanOrEqual(r[1].score);
        expect(r[0].score + r[1].score).toBeCloseTo(1, 10);
        firsts.add(r[0].label);
      }
      expect(firsts.size).toBe(2);
    },
  );
});
