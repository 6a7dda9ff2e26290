import { describe, expect, it } from "vitest";
import type { SentenceTransformersInfo } from "../src/model.js";
import { featureExtraction } from "../src/tasks/feature-extraction.js";
import { rerank } from "../src/tasks/rerank.js";
import { sentenceSimilarity } from "../src/tasks/sentence-similarity.js";
import { ControlledModel, sequenceLogits, wordPieceTokenizer } from "./helpers.js";

const tok = wordPieceTokenizer(["a", "b", "c", "query", ":"]);
const VECTORS: Record<string, number[]> = {
  "[CLS]": [1, 1, 1],
  "[SEP]": [-1, -1, -1],
  a: [2, 0, 0],
  b: [0, 4, 0],
  c: [0, 0, 6],
  query: [10, 0, 0],
  ":": [0, 10, 0],
};
/** last_hidden_state: a fixed vector per token; padding gets [99, 99, 99] so leaking it would show. */
function encoder(st?: SentenceTransformersInfo, config: Record<string, unknown> = {}) {
  return new ControlledModel(
    tok,
    config,
    (ids, mask) => ({
      last_hidden_state: ids.map((id, t) => (mask[t] ? (VECTORS[tok.idToToken(id) ?? ""] ?? [0, 0, 0]) : [99, 99, 99])),
    }),
    st,
  );
}
const closeAll = (xs: number[]) => xs.map((x) => expect.closeTo(x, 5));

describe("feature-extraction pooling ([CLS] a b [SEP] = [1,1,1] [2,0,0] [0,4,0] [-1,-1,-1])", () => {
  const cases: [string, number[]][] = [
    ["mean", [0.5, 1, 0]], // [2,4,0] / 4
    ["cls", [1, 1, 1]],
    ["max", [2, 4, 1]],
    ["mean_sqrt_len", [1, 2, 0]], // [2,4,0] / sqrt(4)
    ["weightedmean", [0.1, 0.9, -0.3]], // (1*[1,1,1] + 2*[2,0,0] + 3*[0,4,0] + 4*[-1,-1,-1]) / 10
    ["lasttoken", [-1, -1, -1]],
  ];
  for (const [mode, expected] of cases) {
    it(mode, async () => {
      expect(await featureExtraction(encoder(), "a b", { pooling: mode as "mean" })).toEqual(closeAll(expected));
    });
  }

  it("the model's pooling config is the default, else mean", async () => {
    expect(await featureExtraction(encoder({ pooling: { mode: "max" } }), "a b")).toEqual([2, 4, 1]);
    expect(await featureExtraction(encoder(), "a b")).toEqual([0.5, 1, 0]);
  });

  it("batches with padding: padded positions never leak into pooling", async () => {
    const m = encoder();
    // "a": ([1,1,1] + [2,0,0] + [-1,-1,-1]) / 3 = [2/3, 0, 0]; its row is padded to 5 tokens
    const r = await featureExtraction(m, ["a", "a b c"], { pooling: "max" });
    expect(m.calls[0].attentionMask).toEqual([
      [1, 1, 1, 0, 0],
      [1, 1, 1, 1, 1],
    ]);
    expect(r).toEqual([
      [2, 1, 1],
      [2, 4, 6],
    ]);
    expect(await featureExtraction(m, ["a", "a b c"])).toEqual([
      closeAll([2 / 3, 0, 0]),
      closeAll([2 / 5, 4 / 5, 6 / 5]),
    ]);
  });

  it("normalize, the Normalize module and Matryoshka dimensions in sentence-transformers order", async () => {
    // mean [0.5, 1, 0] / sqrt(1.25) = [0.447214, 0.894427, 0]
    expect(await featureExtraction(encoder(), "a b", { normalize: true })).toEqual(closeAll([0.447214, 0.894427, 0]));
    // Normalize module: weightedmean [0.1, 0.9, -0.3] / sqrt(0.91) = [0.104828, 0.943456, -0.314485], then cut to 2
    const st: SentenceTransformersInfo = { pooling: { mode: "weightedmean" }, normalize: true };
    expect(await featureExtraction(encoder(st), "a b", { dimensions: 2 })).toEqual(closeAll([0.104828, 0.943456]));
    // ... and normalize_embeddings after the cut: [0.104828, 0.943456] / 0.949262 = [0.110432, 0.993884]
    expect(await featureExtraction(encoder(st), "a b", { dimensions: 2, normalize: true })).toEqual(
      closeAll([0.110432, 0.993884]),
    );
  });

  it("prompts: default prompt name, promptName, prompt, include_prompt false", async () => {
    const prompts = { query: "query: ", passage: "" };
    const st: SentenceTransformersInfo = {
      pooling: { mode: "mean", includePrompt: false },
      config: { prompts, default_prompt_name: "query" },
    };
    // "query: a" = [CLS] query : a [SEP]; the prompt's 3 tokens ([CLS] query :) are left out: ([2,0,0] + [-1,-1,-1]) / 2
    expect(await featureExtraction(encoder(st), "a")).toEqual([0.5, -0.5, -0.5]);
    // include_prompt true: ([1,1,1] + [10,0,0] + [0,10,0] + [2,0,0] + [-1,-1,-1]) / 5 = [2.4, 2, 0]
    const included: SentenceTransformersInfo = { pooling: { mode: "mean" }, prompts, defaultPromptName: "query" };
    expect(await featureExtraction(encoder(included), "a")).toEqual(closeAll([2.4, 2, 0]));
    // promptName "passage" (empty prompt): [2/3, 0, 0]; an explicit prompt wins over promptName
    expect(await featureExtraction(encoder(included), "a", { promptName: "passage" })).toEqual(closeAll([2 / 3, 0, 0]));
    expect(await featureExtraction(encoder(included), "a", { prompt: "", promptName: "query" })).toEqual(
      closeAll([2 / 3, 0, 0]),
    );
    await expect(featureExtraction(encoder(included), "a", { promptName: "doc" })).rejects.toThrow(
      /"doc" is not one of the model's prompts \(\["query","passage"\]\)/,
    );
  });

  it("pooling none returns token embeddings", async () => {
    expect(await featureExtraction(encoder(), "a", { pooling: "none" })).toEqual([
      [1, 1, 1],
      [2, 0, 0],
      [-1, -1, -1],
    ]);
  });

  it("truncation to the model maximum, or rejection", async () => {
    const small = new ControlledModel(wordPieceTokenizer(["a"]), { max_position_embeddings: 4 }, (ids) => ({
      last_hidden_state: ids.map(() => [1]),
    }));
    await featureExtraction(small, "a a a a a");
    expect(small.calls[0].inputIds[0]).toHaveLength(4);
    await expect(featureExtraction(small, ["a", "a a a a a"], { truncation: false })).rejects.toThrow(
      /inputs\[1\] is 7 tokens long, more than the model's maximum of 4/,
    );
  });

  it("max_seq_length from sentence_bert_config.json wins over the model maximum", async () => {
    const m = encoder({ maxSeqLength: 3 });
    // [CLS] a [SEP] after truncation to 3: mean = [2/3, 0, 0]
    expect(await featureExtraction(m, "a b c")).toEqual(closeAll([2 / 3, 0, 0]));
    expect(m.calls[0].inputIds[0]).toHaveLength(3);
  });

  it("a model that outputs sentence_embedding itself (static embeddings) is used as is", async () => {
    const m = new ControlledModel(tok, {}, (ids) => ({ sentence_embedding: [ids.length, 0, 0] }), { normalize: true });
    // [CLS] a b [SEP] → [4, 0, 0] → Normalize module → [1, 0, 0]; dimensions 2 → [1, 0]
    expect(await featureExtraction(m, "a b", { dimensions: 2 })).toEqual([1, 0]);
    expect(m.calls[0].inputIds[0]).toHaveLength(4);
    // a StaticEmbedding module (Model2Vec) tokenizes without special tokens, as sentence-transformers does
    const modules = [
      { type: "sentence_transformers.models.StaticEmbedding" },
      { type: "sentence_transformers.models.Normalize" },
    ];
    const st = new ControlledModel(tok, {}, (ids) => ({ sentence_embedding: [ids.length, 1, 0] }), { modules });
    expect(await featureExtraction(st, "a b")).toEqual([2, 1, 0]);
    expect(st.calls[0].inputIds).toEqual([[tok.tokenToId("a"), tok.tokenToId("b")]]);
    await expect(featureExtraction(m, "a b", { pooling: "none" })).rejects.toThrow(/sentence embeddings only/);
  });

  it("validates", async () => {
    await expect(featureExtraction(encoder(), "a", { pooling: "sum" as "mean" })).rejects.toThrow(/options.pooling/);
    await expect(featureExtraction(encoder(), "a", { dimensions: 0 })).rejects.toThrow(RangeError);
    await expect(featureExtraction(encoder(), "a", { dimensions: 4 })).rejects.toThrow(
      /larger than the embedding size/,
    );
    await expect(featureExtraction(encoder(), null as unknown as string)).rejects.toThrow(/inputs must be a string/);
  });
});

describe("sentence-similarity", () => {
  // mean pooled: "a" = [2/3, 0, 0], "b" = [0, 4/3, 0], "a b" = [0.5, 1, 0]
  const input = { source_sentence: "a", sentences: ["a", "b", "a b"] };
  it("cosine by default", async () => {
    // cos = 1, 0, 0.5/sqrt(1.25) = 0.447214
    expect(await sentenceSimilarity(encoder(), input)).toEqual(closeAll([1, 0, 0.447214]));
  });
  it("the model's similarity_fn_name, or an explicit function", async () => {
    // dot: 4/9, 0, 1/3
    expect(await sentenceSimilarity(encoder({ config: { similarity_fn_name: "dot" } }), input)).toEqual(
      closeAll([4 / 9, 0, 1 / 3]),
    );
    // -euclidean: 0, -sqrt(4/9 + 16/9) = -1.490712, -sqrt(1/36 + 1) = -1.013794
    expect(await sentenceSimilarity(encoder(), input, { similarity: "euclidean" })).toEqual(
      closeAll([0, -1.490712, -1.013794]),
    );
    // -manhattan: 0, -2, -(1/6 + 1)
    expect(await sentenceSimilarity(encoder(), [input], { similarity: "manhattan" })).toEqual([
      closeAll([0, -2, -7 / 6]),
    ]);
  });
  it("validates", async () => {
    await expect(sentenceSimilarity(encoder(), { source_sentence: "a", sentences: [] })).rejects.toThrow(
      /inputs.sentences must be a non-empty array/,
    );
    await expect(
      sentenceSimilarity(encoder(), { source_sentence: "a", sentences: ["b"] }, { similarity: "jaccard" as "dot" }),
    ).rejects.toThrow(TypeError);
  });
});

describe("rerank", () => {
  const id = (w: string) => tok.tokenToId(w) as number;
  // logit = sum over the pair's tokens: a 2, b -1, c 0.5. Query "c": "a" 2.5, "b" -0.5, "c a" 3
  const cross = (config: Record<string, unknown> = {}) =>
    new ControlledModel(tok, config, sequenceLogits({ [id("a")]: [2], [id("b")]: [-1], [id("c")]: [0.5] }, 1));
  const input = { query: "c", texts: ["a", "b", "c a"] };

  it("sigmoid scores, sorted", async () => {
    // sigmoid(3) = 0.952574, sigmoid(2.5) = 0.924142, sigmoid(-0.5) = 0.377541
    expect(await rerank(cross(), input)).toEqual([
      { index: 2, score: expect.closeTo(0.952574, 5) },
      { index: 0, score: expect.closeTo(0.924142, 5) },
      { index: 1, score: expect.closeTo(0.377541, 5) },
    ]);
  });
  it("rawScores, topK and returnText", async () => {
    expect(await rerank(cross(), input, { rawScores: true, topK: 2, returnText: true })).toEqual([
      { index: 2, score: 3, text: "c a" },
      { index: 0, score: 2.5, text: "a" },
    ]);
  });
  it("an Identity activation in the config gives raw logits", async () => {
    const m = cross({ sentence_transformers: { activation_fn: "torch.nn.modules.linear.Identity" } });
    expect((await rerank(m, input, { topK: 1 }))[0]).toEqual({ index: 2, score: 3 });
  });
  it("pairs are encoded query first", async () => {
    const m = cross({ type_vocab_size: 2 });
    await rerank(m, { query: "c", texts: ["a b"] });
    expect(m.calls[0].tokenTypeIds?.[0]).toEqual([0, 0, 0, 1, 1, 1]);
  });
  it("validates", async () => {
    await expect(rerank(cross(), { query: "c", texts: [] })).rejects.toThrow(/texts must be a non-empty array/);
    await expect(rerank(cross(), { query: 1, texts: ["a"] } as never)).rejects.toThrow(/inputs.query must be a string/);
    const two = new ControlledModel(tok, {}, sequenceLogits({}, 2));
    await expect(rerank(two, input)).rejects.toThrow(/one output logit/);
  });
});
