import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { R2Source, StaticEmbeddingModel, serializeSafetensors } from "../../src/index.js";

describe("StaticEmbeddingModel inside workerd", () => {
  it("loads a model2vec folder from R2 and embeds (main entry has no Node-only dependency)", async () => {
    const tokenizer = {
      version: "1.0",
      added_tokens: [],
      normalizer: {
        type: "BertNormalizer",
        clean_text: true,
        handle_chinese_chars: true,
        strip_accents: null,
        lowercase: true,
      },
      pre_tokenizer: { type: "BertPreTokenizer" },
      model: {
        type: "WordPiece",
        unk_token: "[UNK]",
        continuing_subword_prefix: "##",
        max_input_chars_per_word: 100,
        vocab: { "[UNK]": 0, edge: 1, model: 2 },
      },
    };
    const embeddings = new Float32Array([9, 9, 3, 0, 0, 4]); // [UNK], edge, model
    await env.MODELS.put("m2v/config.json", JSON.stringify({ model_type: "model2vec", normalize: true }));
    await env.MODELS.put("m2v/tokenizer.json", JSON.stringify(tokenizer));
    await env.MODELS.put(
      "m2v/model.safetensors",
      serializeSafetensors({ embeddings: { dtype: "F32", shape: [3, 2], data: embeddings } }),
    );
    const model = await StaticEmbeddingModel.load(new R2Source(env.MODELS, { prefix: "m2v/" }));
    // mean([3,0],[0,4]) = [1.5, 2] → / 2.5
    const v = model.embed("Edge model ???");
    expect(v[0]).toBeCloseTo(0.6, 6);
    expect(v[1]).toBeCloseTo(0.8, 6);
  });
});
