import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type Answer, questionAnswering } from "../src/tasks/question-answering.js";
import { ControlledModel, fixture, loadFixtureTokenizer, needsFixtures, wordPieceTokenizer } from "./helpers.js";

const tok = wordPieceTokenizer(["a", "b", "c", "d", "e", "f", "g", "h", "where", "is", "it", "wolf", "##gang"]);

/** start/end logits looked up by token string (0 when not listed); [CLS] under "[CLS]". */
function qaModel(start: Record<string, number>, end: Record<string, number>, tokenizer = tok) {
  return new ControlledModel(tokenizer, {}, (ids) => ({
    start_logits: ids.map((id) => [start[tokenizer.idToToken(id) ?? ""] ?? 0]),
    end_logits: ids.map((id) => [end[tokenizer.idToToken(id) ?? ""] ?? 0]),
  }));
}

const close = (x: number) => expect.closeTo(x, 5);

describe("question-answering", () => {
  // [CLS] where is it [SEP] a b c d [SEP]: wanted tokens are [CLS], a, b, c, d.
  // start logits a=1, b=2 → exps [1, e, e², 1, 1], sum 13.107338 → b 0.563731, a 0.207385, others 0.076294
  // end logits c=2, d=0.5 → exps [1, 1, 1, e², e^0.5], sum 12.037777 → c 0.613825, d 0.136964, others 0.083072
  const model = () => qaModel({ a: 1, b: 2 }, { c: 2, d: 0.5 });
  const input = { question: "where is it", context: "a b c d" };

  it("top 1: the best span start[s]*end[e], with char offsets into the context", async () => {
    // (b, c) = 0.563731 * 0.613825 = 0.346032
    expect(await questionAnswering(model(), input)).toEqual({
      score: close(0.346032),
      start: 2,
      end: 5,
      answer: "b c",
    });
  });

  it("topK 3 ranks the spans of the s <= e band", async () => {
    // (a,c) = 0.207385*0.613825 = 0.127298; (b,d) = 0.563731*0.136964 = 0.077211
    expect(await questionAnswering(model(), input, { topK: 3 })).toEqual([
      { score: close(0.346032), start: 2, end: 5, answer: "b c" },
      { score: close(0.127298), start: 0, end: 5, answer: "a b c" },
      { score: close(0.077211), start: 2, end: 7, answer: "b c d" },
    ]);
  });

  it("maxAnswerLen bounds the span length (tril band)", async () => {
    // maxAnswerLen 1: only s == e. (b,b) = (e²/13.107338)(1/12.037777) and (c,c) = (1/13.107338)(e²/12.037777)
    // are equal (0.046830); np.argmax takes the first in row-major order: (b,b).
    const r = (await questionAnswering(model(), input, { maxAnswerLen: 1 })) as Answer;
    expect(r).toEqual({ score: close(0.04683), start: 2, end: 3, answer: "b" });
  });

  it("handleImpossibleAnswer adds the null answer scored start[CLS]*end[CLS]", async () => {
    const m = qaModel({ "[CLS]": 5, a: 1, b: 2 }, { "[CLS]": 5, c: 2, d: 0.5 });
    // start: e^5/(e^5+e+e²+2) = 148.413159/160.520497 = 0.924574; end: 148.413159/159.450936 = 0.930776
    // null = 0.860571; the best span (b,c) = (7.389056/160.520497)*(7.389056/159.450936) = 0.002133
    const r = await questionAnswering(m, input, { handleImpossibleAnswer: true, topK: 2 });
    expect(r).toEqual([
      { score: close(0.924574 * 0.930776), start: 0, end: 0, answer: "" },
      { score: close(0.002133), start: 2, end: 5, answer: "b c" },
    ]);
    // without the option the null answer never appears
    expect(await questionAnswering(m, input)).toMatchObject({ answer: "b c" });
  });

  it("question tokens can never be the answer even with the largest logits", async () => {
    const m = qaModel({ where: 50, b: 1 }, { where: 50, b: 1 });
    expect(await questionAnswering(m, input)).toMatchObject({ start: 2, end: 3, answer: "b" });
  });

  it("long contexts are split into windows with docStride overlap and ranked together", async () => {
    // [CLS] where [SEP] + 5 context tokens + [SEP] = maxSeqLen 9; windows [a..e], [d..h] (stride 2)
    const m = qaModel({ g: 3 }, { h: 3 });
    const context = "a b c d e f g h";
    const r = await questionAnswering(m, { question: "where", context }, { maxSeqLen: 9, docStride: 2, topK: 2 });
    expect(m.calls.flatMap((c) => c.inputIds).map((ids) => ids.length)).toEqual([9, 9]);
    // window 2 wants [CLS] d e f g h: g (start) and h (end) each e³/(e³+5) = 20.085537/25.085537 = 0.800681
    // → (g,h) = 0.641090; next (d,h) = (1/25.085537)*0.800681 = 0.031918 (ties (e,h), (f,h): row-major first),
    // which beats window 1's uniform 1/6 * 1/6 = 0.027778.
    expect(r).toEqual([
      { score: close(0.64109), start: 12, end: 15, answer: "g h" },
      { score: close(0.031918), start: 6, end: 15, answer: "d e f g h" },
    ]);
  });

  it("alignToWords widens a subword span to its word; false keeps token offsets", async () => {
    const m = qaModel({ "##gang": 5 }, { "##gang": 5 });
    const q = { question: "where", context: "a Wolfgang b" };
    expect(await questionAnswering(m, q)).toMatchObject({ start: 2, end: 10, answer: "Wolfgang" });
    expect(await questionAnswering(m, q, { alignToWords: false })).toMatchObject({ start: 6, end: 10, answer: "gang" });
  });

  it("alignToWords merges spans with the same answer text by adding their scores", async () => {
    // [CLS] where [SEP] b c b [SEP]: start and end logits b=2 → b: e²/(2+2e²) = 7.389056/16.778112 = 0.440399
    // (b,b), (b,"c",b) and (b',b') each 0.440399² = 0.193951; the two "b" spans merge: 0.387902
    const m = qaModel({ b: 2 }, { b: 2 });
    const q = { question: "where", context: "b c b" };
    expect(await questionAnswering(m, q, { topK: 2 })).toEqual([
      { score: close(0.387902), start: 0, end: 1, answer: "b" },
      { score: close(0.193951), start: 0, end: 5, answer: "b c b" },
    ]);
    // without alignment each span stands alone (ties in row-major order)
    expect(await questionAnswering(m, q, { topK: 2, alignToWords: false })).toEqual([
      { score: close(0.193951), start: 0, end: 1, answer: "b" },
      { score: close(0.193951), start: 0, end: 5, answer: "b c b" },
    ]);
  });

  it("batches several examples, one result each", async () => {
    // second: c b a d → (b,d) = 0.563731*0.136964 = 0.077211 beats (b,b) = 0.046830
    const r = (await questionAnswering(model(), [input, { question: "it", context: "c b a d" }])) as Answer[];
    expect(r).toEqual([
      { score: close(0.346032), start: 2, end: 5, answer: "b c" },
      { score: close(0.077211), start: 2, end: 7, answer: "b a d" },
    ]);
    // a list of one example gives that example's result (Python unwraps it)
    expect(await questionAnswering(model(), [input])).toEqual({
      score: close(0.346032),
      start: 2,
      end: 5,
      answer: "b c",
    });
  });

  it("validates inputs and options like Python", async () => {
    await expect(questionAnswering(model(), { question: "", context: "a" })).rejects.toThrow(
      /inputs.question cannot be empty/,
    );
    await expect(questionAnswering(model(), { question: "a" } as never)).rejects.toThrow(/inputs.context is required/);
    await expect(questionAnswering(model(), "a b" as never)).rejects.toThrow(TypeError);
    await expect(questionAnswering(model(), input, { topK: 0 })).rejects.toThrow(/topK must be >= 1/);
    await expect(questionAnswering(model(), input, { maxAnswerLen: 0 })).rejects.toThrow(RangeError);
    await expect(questionAnswering(model(), input, { maxSeqLen: 8, docStride: 9 })).rejects.toThrow(
      /docStride \(9\) is larger than options.maxSeqLen/,
    );
  });
});

describe("question-answering on the SQuAD v2 sample with the bert-base-uncased tokenizer", () => {
  const bert = loadFixtureTokenizer("bert-base-uncased");
  const samplePath = fixture("data", "squad-v2-sample", "sample.json");
  it.skipIf(!bert || !samplePath)(
    needsFixtures("answer spans slice the context exactly", bert, samplePath),
    async () => {
      if (!bert || !samplePath) return;
      const sample = JSON.parse(readFileSync(samplePath, "utf8")) as {
        data: { question: string; context: string; answers: { answer_start: number[]; text: string[] } }[];
      };
      expect(sample.data.length).toBeGreaterThan(5);
      for (const ex of sample.data) {
        const gold = ex.answers.text[0];
        // The controlled model points start/end at the gold answer's first/last token (by offsets).
        const goldStart = ex.answers.answer_start[0] ?? -1;
        const goldEnd = goldStart + (gold?.length ?? 0);
        const full = bert.encode(ex.question, ex.context);
        const m = new ControlledModel(bert, {}, (ids) => {
          // find this window's context tokens by matching ids against the full encoding
          const at = (t: number) => {
            const seqStart = ids.indexOf(102) + 1; // first [SEP] ends the question
            const fullSeqStart = full.ids.indexOf(102) + 1;
            for (let shift = 0; shift + fullSeqStart < full.length; shift++) {
              if (ids.slice(seqStart, ids.length - 1).every((id, k) => full.ids[fullSeqStart + shift + k] === id)) {
                return t >= seqStart && t < ids.length - 1 ? full.offsets[fullSeqStart + shift + t - seqStart] : null;
              }
            }
            return null;
          };
          return {
            // unanswerable: [CLS] (t = 0) carries the logit, so the null score wins
            start_logits: ids.map((_, t) => [
              gold === undefined ? (t === 0 ? 10 : 0) : at(t)?.[0] === goldStart ? 10 : 0,
            ]),
            end_logits: ids.map((_, t) => [gold === undefined ? (t === 0 ? 10 : 0) : at(t)?.[1] === goldEnd ? 10 : 0]),
          };
        });
        const r = (await questionAnswering(
          m,
          { question: ex.question, context: ex.context },
          { handleImpossibleAnswer: gold === undefined },
        )) as Answer;
        expect(ex.context.slice(r.start, r.end)).toBe(r.answer);
        if (gold === undefined) {
          // null = ~1 * ~1 beats any span
          expect(r.answer).toBe("");
        } else {
          expect(r.answer).toBe(gold);
          expect(r.start).toBe(goldStart);
        }
      }
    },
  );
});
