import { readFileSync } from "node:fs";
import { type GroupedEntity, type LabelScore, pipeline, TASKS } from "@edgeformers/pipelines";
import { describe, expect, it } from "vitest";
import {
  ControlledModel,
  fixture,
  loadFixtureTokenizer,
  needsFixtures,
  sequenceLogits,
  wordPieceTokenizer,
} from "./helpers.js";

const labels = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC"];
const tok = wordPieceTokenizer(["my", "name", "is", "wolf", "##gang", "and", "i", "live", "in", "berlin"]);
// wolf → B-PER (0.973756), ##gang → I-LOC (0.990182), berlin → B-LOC (0.931739)
const table: Record<string, number[]> = { wolf: [0, 5, 0, 0, 0], "##gang": [0, 0, 0, 0, 6], berlin: [0, 0, 0, 4, 0] };
const ner = () =>
  new ControlledModel(tok, { id2label: Object.fromEntries(labels.map((l, i) => [i, l])) }, (ids) => ({
    logits: ids.map((id) => table[tok.idToToken(id) ?? ""] ?? [2, 0, 0, 0, 0]),
  }));

describe("pipeline()", () => {
  it("binds options; per-call options override them (the issue's example)", async () => {
    const run = await pipeline("token-classification", ner(), { aggregationStrategy: "first" });
    const text = "My name is Wolfgang and I live in Berlin";
    const first = (await run(text)) as GroupedEntity[];
    expect(first.map((e) => [e.entity_group, e.word, text.slice(e.start, e.end)])).toEqual([
      ["PER", "wolfgang", "Wolfgang"],
      ["LOC", "berlin", "Berlin"],
    ]);
    const max = (await run(text, { aggregationStrategy: "max" })) as GroupedEntity[];
    expect(max[0]).toEqual({
      entity_group: "LOC",
      score: expect.closeTo(0.990182, 5),
      word: "wolfgang",
      start: 11,
      end: 19,
    });
    // the pipeline's own options are unchanged by a call's
    expect(((await run(text)) as GroupedEntity[])[0].entity_group).toBe("PER");
  });

  it("aliases and every task name", async () => {
    expect(TASKS).toEqual(
      expect.arrayContaining([
        "text-classification",
        "token-classification",
        "question-answering",
        "fill-mask",
        "zero-shot-classification",
        "feature-extraction",
        "sentence-similarity",
        "rerank",
        "prompt-classification",
        "sentiment-analysis",
        "ner",
      ]),
    );
    const run = await pipeline("ner", ner());
    expect(((await run("berlin")) as unknown[]).length).toBe(1);
  });

  it("rejects unknown tasks, bad models and bad options", async () => {
    await expect(pipeline("translation" as "ner", ner())).rejects.toThrow(/task must be one of/);
    await expect(pipeline("ner", {} as never)).rejects.toThrow(/model.config/);
    await expect(pipeline("ner", ner(), "first" as never)).rejects.toThrow(/options must be an object/);
    const run = await pipeline("ner", ner());
    await expect(run("x", { aggregation_strategy: "first" } as never)).rejects.toThrow(
      /unknown option "aggregation_strategy"/,
    );
    // the pipeline's own options are checked when it is created, as Python's constructor does
    await expect(pipeline("ner", ner(), { aggregationStrategy: "fancy" as "none" })).rejects.toThrow(
      /options.aggregationStrategy/,
    );
    await expect(pipeline("ner", ner(), { stride: 4 })).rejects.toThrow(/aggregationStrategy other than "none"/);
    await expect(pipeline("question-answering", ner(), { docStride: 500, maxSeqLen: 384 })).rejects.toThrow(
      /docStride/,
    );
    await expect(
      pipeline("zero-shot-classification", ner(), { hypothesisTemplate: "no slot", candidateLabels: ["a"] }),
    ).rejects.toThrow(/not able to be formatted/);
    await expect(pipeline("fill-mask", ner(), { onWarning: "log" as never })).rejects.toThrow(
      /onWarning must be a function/,
    );
  });

  it("a fill-mask pipeline warns about a multi-token target on its calls, not when created", async () => {
    const warnings: string[] = [];
    const m = new ControlledModel(tok, {}, (ids) => ({
      logits: ids.map(() => new Array<number>(tok.vocabSize).fill(0)),
    }));
    const fill = await pipeline("fill-mask", m, { targets: "berlins", onWarning: (w) => warnings.push(w) });
    expect(warnings).toHaveLength(0);
    await fill("[MASK]");
    // this vocabulary has no "##s", so WordPiece makes "berlins" a single [UNK]
    expect(warnings).toEqual([
      "The specified target token `berlins` does not exist in the model vocabulary. Replacing with `[UNK]`.",
    ]);
  });
});

describe("SST-2 dev sentences through text-classification (bert-base-uncased tokenizer)", () => {
  const bert = loadFixtureTokenizer("bert-base-uncased");
  const tsv = fixture("data", "sst2-dev", "dev.tsv");
  it.skipIf(!bert || !tsv)(needsFixtures("shapes, ordering and no errors", bert, tsv), async () => {
    if (!bert || !tsv) return;
    const sentences = readFileSync(tsv, "utf8")
      .trim()
      .split("\n")
      .slice(1)
      .map((l) => l.split("\t")[0]);
    const good = bert.tokenToId("good") as number;
    const bad = bert.tokenToId("bad") as number;
    const model = new ControlledModel(
      bert,
      { id2label: { 0: "NEGATIVE", 1: "POSITIVE" } },
      sequenceLogits({ [good]: [0, 1], [bad]: [1, 0] }, 2),
    );
    const classify = await pipeline("sentiment-analysis", model, { batchSize: 64 });
    const best = (await classify(sentences)) as LabelScore[];
    expect(best).toHaveLength(872);
    for (const r of best) {
      expect(["NEGATIVE", "POSITIVE"]).toContain(r.label);
      expect(r.score).toBeGreaterThanOrEqual(0.5);
    }
    const all = (await classify(sentences, { topK: null })) as LabelScore[][];
    all.forEach((r, i) => {
      expect(r).toHaveLength(2);
      expect(r[0].score).toBeGreaterThanOrEqual(r[1].score);
      expect(r[0].score + r[1].score).toBeCloseTo(1, 10);
      expect(r[0]).toEqual(best[i]);
    });
    // a sentence with "good" and no "bad" must be POSITIVE: softmax([0, 1])[1] = 0.731059
    const i = sentences.findIndex(
      (s) => / good /.test(s) && !/ bad /.test(s) && (s.match(/ good /g) ?? []).length === 1,
    );
    expect(best[i]).toEqual({ label: "POSITIVE", score: expect.closeTo(0.731059, 5) });
  });
});
