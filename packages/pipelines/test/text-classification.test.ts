import { describe, expect, it } from "vitest";
import { textClassification } from "../src/tasks/text-classification.js";
import { ControlledModel, sequenceLogits, wordPieceTokenizer } from "./helpers.js";

const tok = wordPieceTokenizer(["good", "bad", "movie", "plot", "the", "meh"]);
const id = (w: string) => tok.tokenToId(w) as number;
const config = {
  id2label: { 0: "NEGATIVE", 1: "POSITIVE" },
  label2id: { NEGATIVE: 0, POSITIVE: 1 },
  type_vocab_size: 2,
};
// "good" adds [0, 2] and "bad" adds [2, 0]: "good movie" → logits [0, 2].
const model = () =>
  new ControlledModel(
    tok,
    config,
    sequenceLogits({ [id("good")]: [0, 2], [id("bad")]: [2, 0], [id("meh")]: [1, 1] }, 2),
  );

describe("text-classification", () => {
  it("legacy default: a single string gives [best], softmax for 2 labels", async () => {
    // softmax([0, 2]) = [0.119203, 0.880797]
    const r = (await textClassification(model(), "good movie")) as { label: string; score: number }[];
    expect(r).toHaveLength(1);
    expect(r[0].label).toBe("POSITIVE");
    expect(r[0].score).toBeCloseTo(0.880797, 5);
  });

  it("an array gives one best dict per input", async () => {
    const r = (await textClassification(model(), ["good movie", "bad plot"])) as { label: string; score: number }[];
    expect(r.map((x) => x.label)).toEqual(["POSITIVE", "NEGATIVE"]);
    expect(r[1].score).toBeCloseTo(0.880797, 5);
  });

  it("topK null returns every label sorted; topK 1 a list of one", async () => {
    const all = (await textClassification(model(), "bad movie", { topK: null })) as { label: string; score: number }[];
    expect(all.map((x) => x.label)).toEqual(["NEGATIVE", "POSITIVE"]);
    expect(all[1].score).toBeCloseTo(0.119203, 5);
    const one = (await textClassification(model(), ["bad movie", "good"], { topK: 1 })) as { label: string }[][];
    expect(one).toEqual([
      [{ label: "NEGATIVE", score: expect.any(Number) }],
      [{ label: "POSITIVE", score: expect.any(Number) }],
    ]);
  });

  it("equal scores keep label order (Python's stable sort)", async () => {
    // "meh" → logits [1, 1] → softmax [0.5, 0.5]
    const r = (await textClassification(model(), "meh", { topK: null })) as { label: string; score: number }[];
    expect(r).toEqual([
      { label: "NEGATIVE", score: 0.5 },
      { label: "POSITIVE", score: 0.5 },
    ]);
  });

  it("config.return_all_scores: legacy mode lists every label in label order (Python's deprecated path)", async () => {
    const m = new ControlledModel(
      tok,
      { ...config, return_all_scores: true },
      sequenceLogits({ [id("good")]: [0, 2] }, 2),
    );
    // softmax([0, 2]) = [0.119203, 0.880797], not sorted; a lone string is wrapped once more
    expect(await textClassification(m, "good")).toEqual([
      [
        { label: "NEGATIVE", score: expect.closeTo(0.119203, 5) },
        { label: "POSITIVE", score: expect.closeTo(0.880797, 5) },
      ],
    ]);
    // an explicit topK wins over the config
    expect(await textClassification(m, "good", { topK: 1 })).toEqual([
      { label: "POSITIVE", score: expect.closeTo(0.880797, 5) },
    ]);
  });

  it("functionToApply sigmoid and none", async () => {
    const s = (await textClassification(model(), "good", { topK: null, functionToApply: "sigmoid" })) as {
      score: number;
    }[];
    // sigmoid(2) = 0.880797, sigmoid(0) = 0.5
    expect(s[0].score).toBeCloseTo(0.880797, 5);
    expect(s[1].score).toBe(0.5);
    const n = (await textClassification(model(), "good good", { topK: null, functionToApply: "none" })) as {
      label: string;
      score: number;
    }[];
    expect(n).toEqual([
      { label: "POSITIVE", score: 4 },
      { label: "NEGATIVE", score: 0 },
    ]);
  });

  it("default function follows problem_type and num_labels like Python", async () => {
    const mk = (cfg: Record<string, unknown>, n: number) =>
      new ControlledModel(tok, cfg, sequenceLogits({ [id("good")]: new Array(n).fill(1) }, n));
    // num_labels 1 → sigmoid(1) = 0.731059
    const one = (await textClassification(mk({ id2label: { 0: "SCORE" } }, 1), "good")) as {
      label: string;
      score: number;
    }[];
    expect(one[0]).toEqual({ label: "SCORE", score: expect.closeTo(0.731059, 5) });
    // regression → raw logit 1
    const reg = (await textClassification(mk({ problem_type: "regression", num_labels: 1 }, 1), "good")) as {
      label: string;
      score: number;
    }[];
    expect(reg[0]).toEqual({ label: "LABEL_0", score: 1 });
    // multi_label with 3 labels → sigmoid each = 0.731059 (softmax would give 1/3)
    const ml = (await textClassification(mk({ problem_type: "multi_label_classification" }, 3), "good", {
      topK: null,
    })) as { score: number }[];
    expect(ml.map((x) => x.score)).toEqual(new Array(3).fill(expect.closeTo(0.731059, 5)));
    // 3 labels without problem_type → softmax = 1/3 each
    const sm = (await textClassification(mk({}, 3), "good", { topK: null })) as { label: string; score: number }[];
    expect(sm.map((x) => x.label)).toEqual(["LABEL_0", "LABEL_1", "LABEL_2"]);
    expect(sm[0].score).toBeCloseTo(1 / 3, 6);
  });

  it("a text pair is encoded as a pair and returns a bare dict in legacy mode", async () => {
    const m = model();
    const r = await textClassification(m, { text: "good", text_pair: "bad bad" });
    // logits [0,2] + 2*[2,0] = [4, 2] → softmax [0.880797, 0.119203]
    expect(r).toEqual({ label: "NEGATIVE", score: expect.closeTo(0.880797, 5) });
    expect(m.calls[0].tokenTypeIds?.[0]).toEqual([0, 0, 0, 1, 1, 1]);
  });

  it("token type ids are passed only to models with type_vocab_size > 1 (not DistilBERT/RoBERTa)", async () => {
    const { type_vocab_size: _, ...distilbert } = config;
    const m = new ControlledModel(tok, distilbert, sequenceLogits({}, 2));
    await textClassification(m, { text: "good", text_pair: "bad" });
    expect(m.calls[0].tokenTypeIds).toBeUndefined();
    expect(m.calls[0].attentionMask).toEqual([[1, 1, 1, 1, 1]]);
  });

  it("validates inputs and options", async () => {
    await expect(textClassification(model(), 3 as unknown as string)).rejects.toThrow(TypeError);
    await expect(textClassification(model(), [])).rejects.toThrow(/inputs must not be an empty array/);
    await expect(textClassification(model(), ["a", { text: 1 } as unknown as string])).rejects.toThrow(
      /inputs\[1\]\.text must be a string/,
    );
    await expect(textClassification(model(), "a", { topK: 0 })).rejects.toThrow(RangeError);
    await expect(textClassification(model(), "a", { functionToApply: "relu" as "none" })).rejects.toThrow(
      /functionToApply/,
    );
    await expect(textClassification(model(), "a", { top_k: 2 } as object)).rejects.toThrow(/unknown option "top_k"/);
  });

  it("too-long inputs are rejected unless truncation is on", async () => {
    const small = new ControlledModel(
      wordPieceTokenizer(["good"], { model_max_length: 4 }),
      config,
      sequenceLogits({}, 2),
    );
    await expect(textClassification(small, "good good good good")).rejects.toThrow(
      /inputs is 6 tokens long, more than the model's maximum of 4/,
    );
    await textClassification(small, "good good good good", { truncation: true });
    expect(small.calls[0].inputIds[0]).toHaveLength(4);
  });
});
