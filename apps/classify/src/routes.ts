import type { Model } from "@edgeformers/engine";
import { type PipelineTask, pipeline } from "@edgeformers/pipelines";
import {
  checkInputs,
  checkModelLimits,
  ProblemError,
  parseModelConfig,
  type ResolvedModel,
  readLimits,
  readValidJson,
  resolveModel,
  resolveModelForTask,
  type ServerEnv,
  type ServiceApp,
} from "@edgeformers/server";
import type { Context } from "hono";
import type * as z from "zod";
import type { ClassifyBindings } from "./index.js";
import { getModel } from "./models.js";
import {
  ClassifyRequest,
  FillMaskRequest,
  HfInferenceRequest,
  NerRequest,
  QuestionAnsweringRequest,
  TeiPredictRequest,
  ZeroShotRequest,
} from "./schemas.js";

type AppContext = Context<ServerEnv<ClassifyBindings>>;

/** Catalogue tasks each route accepts (a zero-shot model is a sequence classifier too). */
const ROUTE_TASKS: Record<string, readonly string[]> = {
  "text-classification": ["text-classification", "sentiment-analysis", "zero-shot-classification"],
  "zero-shot-classification": ["zero-shot-classification", "text-classification"],
  "token-classification": ["token-classification", "ner"],
  "fill-mask": ["fill-mask"],
  "question-answering": ["question-answering"],
};

async function modelFor(
  c: AppContext,
  requested: string | undefined,
  task: string,
): Promise<{ resolved: ResolvedModel; model: Model }> {
  const resolved = resolveModelForTask(parseModelConfig(c.env.MODEL_CONFIG), requested, task, ROUTE_TASKS[task]);
  return { resolved, model: await getModel(resolved, c.env, c.get("metrics")) };
}

/** Python's keyword names → the pipelines' camelCase options; absent values are left out. */
function camelOptions(options: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined || key === "model" || key === "inputs") continue;
    out[key.replace(/_([a-z])/g, (_, ch: string) => ch.toUpperCase())] = value;
  }
  return out;
}

async function run(
  c: AppContext,
  task: PipelineTask,
  modelName: string | undefined,
  inputs: unknown,
  options: Record<string, unknown>,
) {
  const { resolved, model } = await modelFor(c, modelName, task);
  // Request limits: the worker's inputs per request, and the model's own maxBatch.
  const count = Array.isArray(inputs) ? inputs.length : 1;
  if (count > readLimits(c.env).maxInputs) checkInputs(Array(count).fill(""), "inputs", readLimits(c.env));
  checkModelLimits(resolved, count, undefined, "inputs");
  const pipe = await pipeline(task, model, camelOptions(options) as never);
  return (pipe as (inputs: unknown) => Promise<unknown>)(inputs);
}

function route<Schema extends z.ZodType<{ model?: string | undefined; inputs: unknown }>>(
  app: ServiceApp<ClassifyBindings>,
  path: string,
  task: PipelineTask,
  schema: Schema,
  summary: string,
) {
  app.post(path, async (c) => {
    const request = (await readValidJson(c, schema)) as { model?: string; inputs: unknown } & Record<string, unknown>;
    return c.json((await run(c, task, request.model, request.inputs, request)) as object);
  });
  app.docs.add({
    method: "post",
    path,
    tags: ["classify"],
    summary,
    body: schema,
    responses: { 200: { description: "Python pipeline output" } },
  });
}

/** The task a catalogue entry serves through the Hugging Face Inference route. */
export const HF_TASKS: Record<string, PipelineTask> = {
  "text-classification": "text-classification",
  "sentiment-analysis": "text-classification",
  "zero-shot-classification": "zero-shot-classification",
  "token-classification": "token-classification",
  ner: "token-classification",
  "fill-mask": "fill-mask",
  "question-answering": "question-answering",
};

export function registerRoutes(app: ServiceApp<ClassifyBindings>): void {
  route(
    app,
    "/v1/classify",
    "text-classification",
    ClassifyRequest,
    "Text classification (Python's text-classification pipeline)",
  );
  route(
    app,
    "/v1/zero-shot",
    "zero-shot-classification",
    ZeroShotRequest,
    "Zero-shot classification with an NLI model",
  );
  route(
    app,
    "/v1/ner",
    "token-classification",
    NerRequest,
    "Named entities, every aggregation strategy, UTF-16 offsets",
  );
  route(app, "/v1/fill-mask", "fill-mask", FillMaskRequest, "Fill the mask token, with top_k and targets");
  route(
    app,
    "/v1/question-answering",
    "question-answering",
    QuestionAnsweringRequest,
    "Extractive question answering with doc_stride",
  );

  // TEI /predict: every label, sorted; raw_scores skips the activation.
  app.post("/predict", async (c) => {
    const request = await readValidJson(c, TeiPredictRequest);
    const toInput = (value: string | string[]) =>
      typeof value === "string"
        ? value
        : value.length === 2
          ? { text: value[0], text_pair: value[1] }
          : (value[0] as string);
    const { inputs } = request;
    // A string or [a, b] is one input; a list of lists is a batch.
    const batch = Array.isArray(inputs) && Array.isArray(inputs[0]);
    const items = batch ? (inputs as string[][]).map(toInput) : [toInput(inputs as string | string[])];
    const options = { top_k: null, ...(request.raw_scores ? { function_to_apply: "none" } : {}) };
    const results = (await run(c, "text-classification", request.model, items, options)) as unknown[];
    return c.json(batch ? results : results[0]);
  });
  app.docs.add({
    method: "post",
    path: "/predict",
    tags: ["tei"],
    summary: "Text Embeddings Inference: predict",
    body: TeiPredictRequest,
    responses: { 200: { description: "[{ score, label }] sorted" } },
  });

  // The Hugging Face Inference API shape, so @huggingface/inference works with an endpoint URL.
  app.post("/models/:model{.+}", async (c) => {
    const request = await readValidJson(c, HfInferenceRequest);
    const name = c.req.param("model");
    const entry = resolveModel(parseModelConfig(c.env.MODEL_CONFIG), name).entry;
    const task = HF_TASKS[entry.task];
    if (!task) {
      throw new ProblemError({
        status: 422,
        slug: "wrong-task",
        detail: `Model "${name}" (${entry.task}) is not served by the classify worker.`,
        field: "model",
      });
    }
    // The API answers text classification with every label, one list per input.
    // The API's defaults: every label for text classification, grouped entities for NER.
    const defaults =
      task === "text-classification"
        ? { top_k: null }
        : task === "token-classification"
          ? { aggregation_strategy: "simple" }
          : {};
    const parameters = { ...defaults, ...request.parameters };
    const output = await run(c, task, name, request.inputs, parameters);
    const wrap = task === "text-classification" && typeof request.inputs === "string";
    return c.json((wrap ? [output] : output) as object);
  });
  app.docs.add({
    method: "post",
    path: "/models/:model",
    tags: ["hf-inference"],
    summary: "Hugging Face Inference task shape: { inputs, parameters }",
    body: HfInferenceRequest,
    responses: { 200: { description: "the task's output" } },
  });
}
