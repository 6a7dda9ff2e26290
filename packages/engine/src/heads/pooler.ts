/**
 * The pooler of BERT, RoBERTa and ALBERT base models: dense + tanh on the first token
 * (pooler_output). ALBERT names it `pooler`, the others `pooler.dense`.
 */
import type { LinearLayer } from "../backends/weights.js";
import { firstTokens, type HeadContext, tanhInPlace } from "./common.js";

export class Pooler {
  private constructor(
    private readonly dense: LinearLayer,
    private readonly hiddenSize: number,
  ) {}

  /** The pooler of this checkpoint, or null when it has none (head checkpoints usually drop it). */
  static find(ctx: HeadContext): Pooler | null {
    const name = ctx.modelType === "albert" ? "pooler" : "pooler.dense";
    if (!ctx.reader.has(`${name}.weight`)) return null;
    const h = ctx.config.hiddenSize;
    return new Pooler(ctx.reader.linear(name, h, h), h);
  }

  /** [batch, hidden] */
  run(hidden: Float32Array, batch: number, seq: number): Float32Array {
    return tanhInPlace(this.dense.apply(firstTokens(hidden, batch, seq, this.hiddenSize), batch));
  }
}
