/**
 * `pipeline(task, model, options)`: binds a task to a loaded model and default options. The
 * returned function takes one input or an array, and per-call options that override the
 * pipeline's (as Python's call kwargs override the constructor's).
 */
import { checkModel, type PipelineModel } from "./model.js";
import { textClassification, type TextClassificationInput, type TextClassificationOptions, type TextClassificationOutput } from "./tasks/text-classification.js";
import { checkObject, mergeOptions } from "./validate.js";

interface TaskSignatures {
  "text-classification": [TextClassificationInput | TextClassificationInput[], TextClassificationOptions, TextClassificationOutput];
}

export type PipelineTask = keyof TaskSignatures | "sentiment-analysis";

type Canonical<T extends PipelineTask> = T extends "sentiment-analysis" ? "text-classification" : T;
type Input<T extends PipelineTask> = TaskSignatures[Canonical<T>][0];
type Options<T extends PipelineTask> = TaskSignatures[Canonical<T>][1];
type Output<T extends PipelineTask> = TaskSignatures[Canonical<T>][2];

export type Pipeline<T extends PipelineTask> = (inputs: Input<T>, options?: Options<T>) => Promise<Output<T>>;

type Runner = (model: PipelineModel, inputs: never, options: Record<string, unknown>) => Promise<unknown>;

const RUNNERS: Record<keyof TaskSignatures, Runner> = {
  "text-classification": textClassification as Runner,
};

const ALIASES: Record<string, keyof TaskSignatures> = {
  "sentiment-analysis": "text-classification",
};

export const TASKS: readonly string[] = [...Object.keys(RUNNERS), ...Object.keys(ALIASES)];

export async function pipeline<T extends PipelineTask>(task: T, model: PipelineModel, options?: Options<T>): Promise<Pipeline<T>> {
  const canonical = (ALIASES[task as string] ?? task) as keyof TaskSignatures;
  const run = RUNNERS[canonical];
  if (typeof task !== "string" || !run) throw new TypeError(`task must be one of ${TASKS.join(", ")}, got ${JSON.stringify(task)}`);
  const loaded = checkModel(model);
  const base = options === undefined ? {} : checkObject(options, "options");
  return ((inputs: never, callOptions?: object) => run(loaded, inputs, mergeOptions(base, callOptions))) as Pipeline<T>;
}
