/**
 * Model2Vec static models behind the same `Model` interface: forward() pools each row's ids
 * (where attentionMask is 1) into `sentence_embedding` [batch, dim], as StaticEmbeddingModel does.
 */
import type { Tokenizer } from "@edgeformers/tokenizers";
import type { StaticArchitecture } from "./architecture.js";
import type { StaticEmbeddingModel } from "./backends/static.js";
import { checkForwardInputs, type ForwardInputs } from "./input.js";
import type { Model, ModelOutputs, ModelSentenceTransformers, ModelStats } from "./model.js";

export class StaticModel implements Model {
  readonly backend = "static" as const;
  readonly dtype = "f32" as const;
  readonly outputNames = ["sentence_embedding"] as const;
  readonly tokenizer: Tokenizer;
  private forwardCalls = 0;

  constructor(
    readonly config: Readonly<Record<string, unknown>>,
    readonly architecture: StaticArchitecture,
    readonly sentenceTransformers: ModelSentenceTransformers | null,
    private readonly model: StaticEmbeddingModel,
    private readonly weightsBytes: number,
    private readonly budgetBytes: number,
  ) {
    this.tokenizer = model.tokenizer;
  }

  async forward(inputs: ForwardInputs): Promise<ModelOutputs> {
    const rows = checkForwardInputs(inputs, {
      vocabSize: Number.MAX_SAFE_INTEGER, // poolIds range-checks against the mapping/table itself
      typeVocabSize: 0,
      maxLength: Number.MAX_SAFE_INTEGER,
    });
    const dim = this.model.dim;
    const data = new Float32Array(rows.length * dim);
    for (const r of rows) {
      const ids = Array.from(r.ids).filter((_, s) => r.mask === null || r.mask[s] === 1);
      data.set(this.model.poolIds(ids), r.index * dim);
    }
    this.forwardCalls++;
    return { sentence_embedding: { data, dims: [rows.length, dim] } };
  }

  stats(): ModelStats {
    return {
      backend: this.backend,
      dtype: this.dtype,
      weightsBytes: this.weightsBytes,
      arenaBytes: 0,
      peakBytes: this.weightsBytes,
      budgetBytes: this.budgetBytes,
      forwardCalls: this.forwardCalls,
      batches: this.forwardCalls,
    };
  }
}
