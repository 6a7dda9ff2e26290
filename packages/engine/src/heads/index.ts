/** Chooses the task head named by config.json's `architectures`. */
import type { Head } from "../architecture.js";
import { baseHead } from "./base.js";
import type { HeadContext, TaskHead } from "./common.js";
import { maskedLmHead } from "./masked-lm.js";
import { questionAnsweringHead } from "./question-answering.js";
import { sequenceClassificationHead } from "./sequence-classification.js";
import { tokenClassificationHead } from "./token-classification.js";

const BUILDERS: Record<Head, (ctx: HeadContext) => TaskHead> = {
  base: baseHead,
  ForSequenceClassification: sequenceClassificationHead,
  ForTokenClassification: tokenClassificationHead,
  ForQuestionAnswering: questionAnsweringHead,
  ForMaskedLM: maskedLmHead,
};

export function buildHead(head: Head, ctx: HeadContext): TaskHead {
  return BUILDERS[head](ctx);
}

export type { HeadContext, Outputs, TaskHead, Tensor } from "./common.js";
