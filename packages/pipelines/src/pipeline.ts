/**
 * `pipeline(task, model, options)`: binds a task to a loaded model and default options. The
 * returned function takes one input or an array, and per-call options that override the
 * pipeline's (as Python's call kwargs override the constructor's).
 */
import { checkModel, type PipelineModel } from "./model.js";
import { type Embedding, type FeatureExtractionOptions, featureExtraction } from "./tasks/feature-extraction.js";
import { type FillMaskOptions, type FillMaskResult, fillMask } from "./tasks/fill-mask.js";
import { type PromptClassificationOptions, promptClassification } from "./tasks/prompt-classification.js";
import {
  type QuestionAnsweringInput,
  type QuestionAnsweringOptions,
  type QuestionAnsweringOutput,
  questionAnswering,
} from "./tasks/question-answering.js";
import { type RerankInput, type RerankOptions, type RerankResult, rerank } from "./tasks/rerank.js";
import {
  type SentenceSimilarityInput,
  type SentenceSimilarityOptions,
  sentenceSimilarity,
} from "./tasks/sentence-similarity.js";
import {
  type LabelScore,
  type TextClassificationInput,
  type TextClassificationOptions,
  type TextClassificationOutput,
  textClassification,
} from "./tasks/text-classification.js";
import {
  type TokenClassificationOptions,
  type TokenClassificationResult,
  tokenClassification,
} from "./tasks/token-classification.js";
import {
  type ZeroShotClassificationOptions,
  type ZeroShotResult,
  zeroShotClassification,
} from "./tasks/zero-shot-classification.js";
import { checkObject, mergeOptions, OPTIONS_ONLY, OptionsChecked } from "./validate.js";

/** [input, options, output] per task. */
export interface TaskSignatures {
  "text-classification": [
    TextClassificationInput | TextClassificationInput[],
    TextClassificationOptions,
    TextClassificationOutput,
  ];
  "token-classification": [
    string | string[],
    TokenClassificationOptions,
    TokenClassificationResult | TokenClassificationResult[],
  ];
  "question-answering": [
    QuestionAnsweringInput | QuestionAnsweringInput[],
    QuestionAnsweringOptions,
    QuestionAnsweringOutput | QuestionAnsweringOutput[],
  ];
  "fill-mask": [string | string[], FillMaskOptions, FillMaskResult | FillMaskResult[]];
  "zero-shot-classification": [string | string[], ZeroShotClassificationOptions, ZeroShotResult | ZeroShotResult[]];
  "feature-extraction": [string | string[], FeatureExtractionOptions, Embedding | Embedding[] | Embedding[][]];
  "sentence-similarity": [
    SentenceSimilarityInput | SentenceSimilarityInput[],
    SentenceSimilarityOptions,
    number[] | number[][],
  ];
  rerank: [RerankInput | RerankInput[], RerankOptions, RerankResult[] | RerankResult[][]];
  "prompt-classification": [string | string[], PromptClassificationOptions, LabelScore[] | LabelScore[][]];
}

const ALIASES = {
  "sentiment-analysis": "text-classification",
  ner: "token-classification",
  embeddings: "feature-extraction",
  "sentence-embeddings": "feature-extraction",
} as const;

export type PipelineTask = keyof TaskSignatures | keyof typeof ALIASES;

type Canonical<T extends PipelineTask> = T extends keyof typeof ALIASES ? (typeof ALIASES)[T] : T;
type Input<T extends PipelineTask> = TaskSignatures[Canonical<T>][0];
type Options<T extends PipelineTask> = TaskSignatures[Canonical<T>][1];
type Output<T extends PipelineTask> = TaskSignatures[Canonical<T>][2];

export type Pipeline<T extends PipelineTask> = (inputs: Input<T>, options?: Options<T>) => Promise<Output<T>>;

type Runner = (model: PipelineModel, inputs: never, options: Record<string, unknown>) => Promise<unknown>;

const RUNNERS: Record<keyof TaskSignatures, Runner> = {
  "text-classification": textClassification as Runner,
  "token-classification": tokenClassification as Runner,
  "question-answering": questionAnswering as Runner,
  "fill-mask": fillMask as Runner,
  "zero-shot-classification": zeroShotClassification as Runner,
  "feature-extraction": featureExtraction as Runner,
  "sentence-similarity": sentenceSimilarity as Runner,
  rerank: rerank as Runner,
  "prompt-classification": promptClassification as Runner,
};

/** Tasks with an `onWarning` option. */
const WARNS = new Set<string>(["fill-mask", "prompt-classification", "zero-shot-classification"]);

export const TASKS: readonly string[] = [...Object.keys(RUNNERS), ...Object.keys(ALIASES)];

/**
 * Creates a pipeline. Its options are checked now (a typo or a bad value fails here, naming the
 * option, as Python's constructor does); call options override them per call.
 */
export async function pipeline<T extends PipelineTask>(
  task: T,
  model: PipelineModel,
  options?: Options<T>,
): Promise<Pipeline<T>> {
  const canonical = (
    typeof task === "string" && task in ALIASES ? ALIASES[task as keyof typeof ALIASES] : task
  ) as keyof TaskSignatures;
  const run = typeof canonical === "string" && Object.hasOwn(RUNNERS, canonical) ? RUNNERS[canonical] : undefined;
  if (!run) throw new TypeError(`task must be one of ${TASKS.join(", ")}, got ${JSON.stringify(task)}`);
  const loaded = checkModel(model);
  const base = options === undefined ? {} : checkObject(options, "options");
  // Warnings (e.g. a multi-token fill-mask target) are left for the calls, which resolve options again.
  const silenceable = base.onWarning === undefined || typeof base.onWarning === "function";
  const quiet = WARNS.has(canonical) && silenceable ? { ...base, onWarning: () => {} } : base;
  try {
    await run(loaded, OPTIONS_ONLY as never, quiet);
  } catch (e) {
    if (!(e instanceof OptionsChecked)) throw e;
  }
  return ((inputs: never, callOptions?: object) => run(loaded, inputs, mergeOptions(base, callOptions))) as Pipeline<T>;
}
