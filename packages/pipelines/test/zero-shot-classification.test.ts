import { describe, expect, it } from "vitest";
import { pipeline } from "../src/pipeline.js";
import { formatTemplate, zeroShotClassification } from "../src/tasks/zero-shot-classification.js";
import { ControlledModel, wordPieceTokenizer } from "./helpers.js";

const tok = wordPieceTokenizer([
  "this",
  "example",
  "is",
  "sports",
  "politics",
  "cooking",
  "alpha",
  "beta",
  "topic",
  "the",
  "match",
  ".",
]);
const NLI = {
  id2label: { 0: "contradiction", 1: "neutral", 2: "entailment" },
  label2id: { contradiction: 0, neutral: 1, entailment: 2 },
};

/** NLI logits from the hypothesis word present: sports [0,0,2], politics [1,0,1], cooking [2,0,0], else [0,0,0]. */
function nli(
  config: Record<string, unknown> = NLI,
  table: Record<string, number[]> = { sports: [0, 0, 2], politics: [1, 0, 1], cooking: [2, 0, 0] },
) {
  return new ControlledModel(tok, config, (ids) => {
    const words = ids.map((id) => tok.idToToken(id) ?? "");
    const hit = Object.keys(table).find((w) => words.includes(w));
    return { logits: hit ? table[hit] : [0, 0, 0] };
  });
}
const close = (x: number) => expect.closeTo(x, 5);

describe("zero-shot-classification", () => {
  it("single label: softmax of the entailment logits across candidates", async () => {
    // entailment logits [2, 1, 0] → softmax = [0.665241, 0.244728, 0.090031]
    const r = await zeroShotClassification(nli(), "the match", { candidateLabels: ["cooking", "sports", "politics"] });
    expect(r).toEqual({
      sequence: "the match",
      labels: ["sports", "politics", "cooking"],
      scores: [close(0.665241), close(0.244728), close(0.090031)],
    });
  });

  it("multi_label: softmax over [contradiction, entailment] per label", async () => {
    // sports softmax([0,2])[1] = 0.880797; politics softmax([1,1])[1] = 0.5; cooking softmax([2,0])[1] = 0.119203
    const r = await zeroShotClassification(nli(), "the match", {
      candidateLabels: "politics, cooking,, sports",
      multiLabel: true,
    });
    expect(r).toEqual({
      sequence: "the match",
      labels: ["sports", "politics", "cooking"],
      scores: [close(0.880797), 0.5, close(0.119203)],
    });
  });

  it("a single candidate uses the multi-label formula", async () => {
    expect(await zeroShotClassification(nli(), "x", { candidateLabels: ["politics"] })).toEqual({
      sequence: "x",
      labels: ["politics"],
      scores: [0.5],
    });
  });

  it("equal scores come out in reverse label order (reversed argsort)", async () => {
    const r = await zeroShotClassification(nli(), "x", { candidateLabels: ["alpha", "beta"] });
    expect(r).toEqual({ sequence: "x", labels: ["beta", "alpha"], scores: [0.5, 0.5] });
  });

  it("entailment at index 0 makes the contradiction the last logit", async () => {
    const config = {
      id2label: { 0: "ENTAILMENT", 1: "NEUTRAL", 2: "CONTRADICTION" },
      label2id: { ENTAILMENT: 0, NEUTRAL: 1, CONTRADICTION: 2 },
    };
    // sports [3, 9, 1]: softmax([c=1, e=3])[1] = 0.880797 (neutral 9 ignored)
    const r = await zeroShotClassification(nli(config, { sports: [3, 9, 1] }), "x", {
      candidateLabels: ["sports"],
      multiLabel: true,
    });
    expect(r).toEqual({ sequence: "x", labels: ["sports"], scores: [close(0.880797)] });
  });

  it("without an entail* label: id -1 (the last logit) and Python's warning", async () => {
    const warnings: string[] = [];
    const config = { id2label: { 0: "LABEL_0", 1: "LABEL_1", 2: "LABEL_2" } };
    // entailment = last logit: sports 2, politics 1 → softmax([2, 1]) = [0.731059, 0.268941]
    const r = await zeroShotClassification(nli(config), "x", {
      candidateLabels: ["politics", "sports"],
      onWarning: (w) => warnings.push(w),
    });
    expect(r).toEqual({ sequence: "x", labels: ["sports", "politics"], scores: [close(0.731059), close(0.268941)] });
    expect(warnings[0]).toMatch(/Failed to determine 'entailment' label id/);
  });

  it("hypothesis template and pairs", async () => {
    const m = nli();
    await zeroShotClassification(m, ["the match", "x"], {
      candidateLabels: ["sports", "cooking"],
      hypothesisTemplate: "Topic: {}.",
      batchSize: 3,
    });
    const first = m.calls[0].inputIds[0].map((id) => tok.idToToken(id));
    expect(first).toEqual(["[CLS]", "the", "match", "[SEP]", "topic", "[UNK]", "sports", ".", "[SEP]"]);
    expect(m.calls.map((c) => c.inputIds.length)).toEqual([3, 1]);
    expect(formatTemplate("{{literal}} {0}!", "a")).toBe("{literal} a!");
  });

  it("batches give one result per sequence", async () => {
    const r = await zeroShotClassification(nli(), ["a", "b"], { candidateLabels: ["sports", "cooking"] });
    expect(Array.isArray(r) && r.map((x) => x.sequence)).toEqual(["a", "b"]);
  });

  it("validates like Python", async () => {
    await expect(zeroShotClassification(nli(), "x", {})).rejects.toThrow(/candidateLabels is required/);
    await expect(zeroShotClassification(nli(), "x", { candidateLabels: " , " })).rejects.toThrow(/at least one label/);
    await expect(
      zeroShotClassification(nli(), "x", { candidateLabels: ["a"], hypothesisTemplate: "no slot" }),
    ).rejects.toThrow(/not able to be formatted/);
    await expect(
      zeroShotClassification(nli(), "x", { candidateLabels: ["a"], hypothesisTemplate: "{label}" }),
    ).rejects.toThrow(RangeError);
    await expect(zeroShotClassification(nli(), [], { candidateLabels: ["a"] })).rejects.toThrow(/empty/);
    await expect(
      zeroShotClassification(nli(), "x", { candidateLabels: ["a"], onWarning: "log" as never }),
    ).rejects.toThrow(/onWarning must be a function/);
    await expect(zeroShotClassification(nli(), "x", { candidateLabels: [1] as unknown as string[] })).rejects.toThrow(
      /candidateLabels\[0\]/,
    );
  });

  it("pipeline() takes no candidateLabels (Python's constructor does not); the call must give them", async () => {
    const zs = await pipeline("zero-shot-classification", nli());
    expect(await zs("the match", { candidateLabels: "cooking, sports, politics" })).toEqual(
      await zeroShotClassification(nli(), "the match", { candidateLabels: ["cooking", "sports", "politics"] }),
    );
    await expect(zs("the match")).rejects.toThrow(/candidateLabels is required/);
    await expect(pipeline("zero-shot-classification", nli(), { multiLabel: "yes" as never })).rejects.toThrow(
      /multiLabel/,
    );
  });
});
