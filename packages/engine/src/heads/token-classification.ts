/** *ForTokenClassification → logits [batch, seq, num_labels]: `classifier` on every token. */
import { type HeadContext, labelCount, type TaskHead } from "./common.js";

export function tokenClassificationHead(ctx: HeadContext): TaskHead {
  const h = ctx.config.hiddenSize;
  const labels = labelCount(ctx, "classifier.weight", true);
  const classifier = ctx.reader.linear("classifier", labels, h, true);
  return {
    outputNames: ["logits"],
    run: (hidden, batch, seq) => ({
      logits: { data: classifier.apply(hidden, batch * seq), dims: [batch, seq, labels] },
    }),
    bytesFor: (batch, seq) => batch * seq * labels * 4 * 2,
  };
}
