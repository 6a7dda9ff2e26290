import * as z from "zod";

const text = z.string();
const texts = z.union([text, z.array(text).min(1)]);
const pair = z.object({ text, text_pair: text.optional() });
const model = z.string().min(1).optional();

/** `POST /v1/classify`: Python's text-classification pipeline call. */
export const ClassifyRequest = z.object({
  model,
  inputs: z.union([text, pair, z.array(z.union([text, pair])).min(1)]),
  top_k: z.number().int().positive().nullable().optional(),
  function_to_apply: z.enum(["default", "sigmoid", "softmax", "none"]).optional(),
});

/** `POST /v1/zero-shot`. */
export const ZeroShotRequest = z.object({
  model,
  inputs: texts,
  candidate_labels: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  hypothesis_template: z.string().optional(),
  multi_label: z.boolean().optional(),
});

/** `POST /v1/ner`. */
export const NerRequest = z.object({
  model,
  inputs: texts,
  aggregation_strategy: z.enum(["none", "simple", "first", "average", "max"]).optional(),
  ignore_labels: z.array(z.string()).optional(),
  stride: z.number().int().min(0).optional(),
});

/** `POST /v1/fill-mask`. */
export const FillMaskRequest = z.object({
  model,
  inputs: texts,
  top_k: z.number().int().positive().optional(),
  targets: z.union([z.string(), z.array(z.string()).min(1)]).optional(),
});

const qaInput = z.object({ question: z.string(), context: z.string() });

/** `POST /v1/question-answering`. */
export const QuestionAnsweringRequest = z.object({
  model,
  inputs: z.union([qaInput, z.array(qaInput).min(1)]),
  top_k: z.number().int().positive().optional(),
  doc_stride: z.number().int().min(0).optional(),
  max_answer_len: z.number().int().positive().optional(),
  max_seq_len: z.number().int().positive().optional(),
  max_question_len: z.number().int().positive().optional(),
  handle_impossible_answer: z.boolean().optional(),
  align_to_words: z.boolean().optional(),
});

/** TEI `POST /predict`: a string, a pair, or a batch of single strings and pairs. */
export const TeiPredictRequest = z.object({
  model,
  inputs: z.union([text, z.array(text).min(1).max(2), z.array(z.array(text).min(1).max(2)).min(1)]),
  truncate: z.boolean().default(false),
  raw_scores: z.boolean().default(false),
});

/** Hugging Face Inference task shape: `POST /models/{model}` with `{ inputs, parameters }`. */
export const HfInferenceRequest = z.object({
  inputs: z.unknown(),
  parameters: z.record(z.string(), z.unknown()).optional(),
  options: z.record(z.string(), z.unknown()).optional(),
});
