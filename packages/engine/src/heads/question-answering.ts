/**
 * *ForQuestionAnswering → start_logits, end_logits [batch, seq]: `qa_outputs` (hidden → 2) on every
 * token, split into its two columns.
 */
import type { HeadContext, TaskHead } from "./common.js";

export function questionAnsweringHead(ctx: HeadContext): TaskHead {
  const qa = ctx.reader.linear("qa_outputs", 2, ctx.config.hiddenSize, true);
  return {
    outputNames: ["start_logits", "end_logits"],
    run(hidden, batch, seq) {
      const rows = batch * seq;
      const both = qa.apply(hidden, rows);
      const start = new Float32Array(rows);
      const end = new Float32Array(rows);
      for (let i = 0; i < rows; i++) {
        start[i] = both[2 * i];
        end[i] = both[2 * i + 1];
      }
      return { start_logits: { data: start, dims: [batch, seq] }, end_logits: { data: end, dims: [batch, seq] } };
    },
    bytesFor: (batch, seq) => batch * seq * 4 * 4,
  };
}
