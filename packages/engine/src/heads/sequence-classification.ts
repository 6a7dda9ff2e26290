/**
 * *ForSequenceClassification → logits [batch, num_labels], from the first token:
 *   BERT, ALBERT:          pooler (dense + tanh) → classifier
 *   RoBERTa, XLM-RoBERTa:  classifier.dense + tanh → classifier.out_proj
 *   ELECTRA:               classifier.dense + GELU → classifier.out_proj
 *   DistilBERT:            pre_classifier + ReLU → classifier
 * Head tensors sit at the checkpoint root, outside the base-model prefix.
 */
import { ModelFolderError } from "../errors.js";
import { firstTokens, type HeadContext, labelCount, reluInPlace, type TaskHead, tanhInPlace } from "./common.js";
import { Pooler } from "./pooler.js";

export function sequenceClassificationHead(ctx: HeadContext): TaskHead {
  const { reader: r, config, modelType } = ctx;
  const h = config.hiddenSize;
  let classify: (cls: Float32Array, batch: number) => Float32Array;
  let labels: number;
  if (modelType === "bert" || modelType === "albert") {
    const pooler = Pooler.find(ctx);
    if (!pooler) {
      const name = `${r.prefix}${modelType === "albert" ? "pooler" : "pooler.dense"}.weight`;
      throw new ModelFolderError(`tensor "${name}" is missing (the classifier reads the pooler output)`, r.file);
    }
    labels = labelCount(ctx, "classifier.weight", true);
    const classifier = r.linear("classifier", labels, h, true);
    return {
      outputNames: ["logits"],
      run: (hidden, batch, seq) => ({
        logits: { data: classifier.apply(pooler.run(hidden, batch, seq), batch), dims: [batch, labels] },
      }),
      bytesFor: (batch) => batch * (3 * h + labels) * 4,
    };
  }
  if (modelType === "distilbert") {
    labels = labelCount(ctx, "classifier.weight", true);
    const pre = r.linear("pre_classifier", h, h, true);
    const classifier = r.linear("classifier", labels, h, true);
    classify = (cls, batch) => classifier.apply(reluInPlace(pre.apply(cls, batch)), batch);
  } else {
    labels = labelCount(ctx, "classifier.out_proj.weight", true);
    const dense = r.linear("classifier.dense", h, h, true);
    const outProj = r.linear("classifier.out_proj", labels, h, true);
    const electra = modelType === "electra";
    classify = (cls, batch) => {
      const mid = electra ? dense.apply(cls, batch, "gelu") : tanhInPlace(dense.apply(cls, batch));
      return outProj.apply(mid, batch);
    };
  }
  return {
    outputNames: ["logits"],
    run: (hidden, batch, seq) => ({
      logits: { data: classify(firstTokens(hidden, batch, seq, h), batch), dims: [batch, labels] },
    }),
    bytesFor: (batch) => batch * (3 * h + labels) * 4,
  };
}
