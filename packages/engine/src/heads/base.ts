/** The base model (BertModel, RobertaModel, …): last_hidden_state, plus pooler_output when it has a pooler. */
import type { HeadContext, Outputs, TaskHead } from "./common.js";
import { Pooler } from "./pooler.js";

export function baseHead(ctx: HeadContext): TaskHead {
  const h = ctx.config.hiddenSize;
  const pooler = Pooler.find(ctx);
  return {
    outputNames: pooler ? ["last_hidden_state", "pooler_output"] : ["last_hidden_state"],
    run(hidden, batch, seq) {
      const out: Outputs = { last_hidden_state: { data: hidden, dims: [batch, seq, h] } };
      if (pooler) out.pooler_output = { data: pooler.run(hidden, batch, seq), dims: [batch, h] };
      return out;
    },
    bytesFor: (batch) => (pooler ? 3 * batch * h * 4 : 0),
  };
}
