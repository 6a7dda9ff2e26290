import {
  checkInputs,
  checkModelLimits,
  checkTokens,
  ProblemError,
  parseModelConfig,
  type ResolvedModel,
  readLimits,
  readValidJson,
  resolveModelForTask,
  type ServerEnv,
  type ServiceApp,
} from "@edgeformers/server";
import type { Context } from "hono";
import { type Embedder, getEmbedder } from "./embedders.js";
import type { EmbedBindings as Bindings } from "./index.js";
import {
  HfInferenceRequest,
  OpenAIEmbeddingsRequest,
  TeiEmbedAllRequest,
  TeiEmbedRequest,
  TeiRerankRequest,
  TeiSimilarityRequest,
  WorkersAiRequest,
} from "./schemas.js";
import { cosineSimilarity, float32ToBase64 } from "./vectors.js";

type AppContext = Context<ServerEnv<Bindings>>;

/** Catalogue tasks the embedding routes accept; /rerank wants a cross-encoder. */
export const EMBEDDING_TASKS = ["feature-extraction", "sentence-similarity", "embeddings", "rerank"];

async function embedderFor(
  c: AppContext,
  requested: string | undefined,
  task = "feature-extraction",
): Promise<{ name: string; model: ResolvedModel; embedder: Embedder }> {
  const model = resolveModelForTask(parseModelConfig(c.env.MODEL_CONFIG), requested, task, EMBEDDING_TASKS);
  return { name: model.name, model, embedder: await getEmbedder(model, c.env, c.get("metrics")) };
}

/**
 * Token ids of every text, rejecting (413, naming the input) any over the model's limit
 * unless `truncate` is set — the contract of TEI's `truncate` and OpenAI's input limit.
 */
function tokenizeAll(embedder: Embedder, texts: readonly string[], truncate: boolean, field: string): number[][] {
  return texts.map((text, index) => {
    const ids = embedder.tokenize(text, truncate);
    if (ids.length > embedder.maxTokens) {
      throw new ProblemError({
        status: 413,
        slug: "input-too-long",
        detail: `Input ${index} has ${ids.length} tokens, over the model's ${embedder.maxTokens}; set truncate to cut it.`,
        field: `${field}.${index}`,
        extensions: { limit: embedder.maxTokens },
      });
    }
    return ids;
  });
}

function checkDimensions(embedder: Embedder, dimensions: number | undefined): void {
  if (dimensions !== undefined && dimensions > embedder.dimensions) {
    throw new ProblemError({
      status: 422,
      slug: "invalid-field",
      detail: `dimensions ${dimensions} exceeds the model's ${embedder.dimensions}.`,
      field: "dimensions",
    });
  }
}

/** Checks the request's tokens against the worker's and the model's limits, then counts them. */
function countTokens(c: AppContext, model: ResolvedModel, ids: readonly number[][], field = "inputs"): void {
  const tokens = ids.reduce((sum, list) => sum + list.length, 0);
  checkTokens(tokens, readLimits(c.env));
  checkModelLimits(model, ids.length, tokens, field);
  c.get("metrics").addTokens(model.name, tokens);
}

/** TEI spells the direction either way round. */
const direction = (value: string | undefined): "right" | "left" => (value?.toLowerCase() === "left" ? "left" : "right");

/** Routes whose pipelines cut inputs at the end only say so rather than cut the wrong end. */
function rightTruncationOnly(value: string | undefined, route: string): void {
  if (direction(value) === "left") {
    throw new ProblemError({
      status: 422,
      slug: "invalid-field",
      detail: `${route} cuts long inputs at the end only; truncation_direction left is not available there.`,
      field: "truncation_direction",
    });
  }
}

export function registerRoutes(app: ServiceApp<Bindings>): void {
  app.post("/v1/embeddings", async (c) => {
    const request = await readValidJson(c, OpenAIEmbeddingsRequest);
    const { input } = request;
    const limits = readLimits(c.env);
    const { name, model, embedder } = await embedderFor(c, request.model);
    checkDimensions(embedder, request.dimensions);
    const options = { truncate: false, normalize: embedder.normalizeByDefault, dimensions: request.dimensions };
    let ids: number[][];
    let vectors: Float32Array[];
    if (typeof input === "string" || typeof input[0] === "string") {
      const texts = typeof input === "string" ? [input] : (input as string[]);
      checkInputs(texts, "input", limits);
      ids = tokenizeAll(embedder, texts, false, "input");
      countTokens(c, model, ids, "input");
      vectors = await embedder.embed(texts, options);
    } else {
      // Token-id input, as OpenAI accepts: one list or a list of lists.
      ids = typeof input[0] === "number" ? [input as number[]] : (input as number[][]);
      if (ids.length > limits.maxInputs)
        checkInputs(
          ids.map(() => ""),
          "input",
          limits,
        );
      countTokens(c, model, ids, "input");
      vectors = await embedder.embedIds(ids, options);
    }
    const tokens = ids.reduce((sum, list) => sum + list.length, 0);
    const data = vectors.map((vector, index) => ({
      object: "embedding" as const,
      index,
      embedding: request.encoding_format === "base64" ? float32ToBase64(vector) : Array.from(vector),
    }));
    return c.json({ object: "list", data, model: name, usage: { prompt_tokens: tokens, total_tokens: tokens } });
  });

  app.post("/embed", async (c) => {
    const request = await readValidJson(c, TeiEmbedRequest);
    const texts = typeof request.inputs === "string" ? [request.inputs] : request.inputs;
    checkInputs(texts, "inputs", readLimits(c.env));
    const { model, embedder } = await embedderFor(c, request.model);
    checkDimensions(embedder, request.dimensions);
    countTokens(c, model, tokenizeAll(embedder, texts, request.truncate, "inputs"));
    const vectors = await embedder.embed(texts, {
      truncate: request.truncate,
      truncationDirection: direction(request.truncation_direction),
      normalize: request.normalize,
      dimensions: request.dimensions,
      promptName: request.prompt_name,
    });
    return c.json(vectors.map((vector) => Array.from(vector)));
  });

  app.post("/embed_all", async (c) => {
    const request = await readValidJson(c, TeiEmbedAllRequest);
    rightTruncationOnly(request.truncation_direction, "/embed_all");
    const texts = typeof request.inputs === "string" ? [request.inputs] : request.inputs;
    checkInputs(texts, "inputs", readLimits(c.env));
    const { model, embedder } = await embedderFor(c, request.model);
    if (!embedder.embedTokens) {
      throw new ProblemError({
        status: 422,
        slug: "wrong-task",
        detail: "Token embeddings need a transformer encoder; static models have none.",
        field: "model",
      });
    }
    countTokens(c, model, tokenizeAll(embedder, texts, request.truncate, "inputs"));
    return c.json(await embedder.embedTokens(texts, request.truncate));
  });

  app.post("/rerank", async (c) => {
    const request = await readValidJson(c, TeiRerankRequest);
    rightTruncationOnly(request.truncation_direction, "/rerank");
    checkInputs([request.query, ...request.texts], "texts", readLimits(c.env));
    const { model, embedder } = await embedderFor(c, request.model, "rerank");
    if (!embedder.rerank) {
      throw new ProblemError({
        status: 422,
        slug: "wrong-task",
        detail: "Reranking needs a cross-encoder (a sequence-classification model).",
        field: "model",
      });
    }
    countTokens(c, model, tokenizeAll(embedder, request.texts, request.truncate, "texts"), "texts");
    const ranked = await embedder.rerank(request.query, request.texts, {
      rawScores: request.raw_scores,
      truncate: request.truncate,
    });
    return c.json(
      ranked.map((r) => ({
        index: r.index,
        ...(request.return_text ? { text: request.texts[r.index] } : {}),
        score: r.score,
      })),
    );
  });

  app.post("/similarity", async (c) => {
    const request = await readValidJson(c, TeiSimilarityRequest);
    const texts = [request.inputs.source_sentence, ...request.inputs.sentences];
    checkInputs(texts, "inputs.sentences", readLimits(c.env));
    const { model, embedder } = await embedderFor(c, request.model);
    countTokens(c, model, tokenizeAll(embedder, texts, request.truncate, "inputs"));
    const [source, ...others] = await embedder.embed(texts, {
      truncate: request.truncate,
      truncationDirection: direction(request.truncation_direction),
      normalize: false,
      promptName: request.prompt_name,
    });
    return c.json(others.map((vector) => cosineSimilarity(source as Float32Array, vector)));
  });

  app.post("/ai/run/:model{.+}", async (c) => {
    const request = await readValidJson(c, WorkersAiRequest);
    const texts = typeof request.text === "string" ? [request.text] : request.text;
    checkInputs(texts, "text", readLimits(c.env));
    const { model, embedder } = await embedderFor(c, c.req.param("model"));
    countTokens(c, model, tokenizeAll(embedder, texts, request.truncate_inputs, "text"), "text");
    const vectors = await embedder.embed(texts, {
      truncate: request.truncate_inputs,
      normalize: embedder.normalizeByDefault,
    });
    return c.json({ shape: [vectors.length, embedder.dimensions], data: vectors.map((v) => Array.from(v)) });
  });

  // The Hugging Face Inference shape (feature-extraction and sentence-similarity), so
  // @huggingface/inference's InferenceClient works with an endpoint URL.
  app.post("/models/:model{.+}", async (c) => {
    const request = await readValidJson(c, HfInferenceRequest);
    const { inputs } = request;
    const parameters = request.parameters ?? {};
    const { model, embedder } = await embedderFor(c, c.req.param("model"));
    const truncate = parameters.truncate ?? false;
    const similarity = typeof inputs === "object" && !Array.isArray(inputs);
    const texts = similarity
      ? [inputs.source_sentence, ...inputs.sentences]
      : typeof inputs === "string"
        ? [inputs]
        : inputs;
    checkInputs(texts, "inputs", readLimits(c.env));
    countTokens(c, model, tokenizeAll(embedder, texts, truncate, "inputs"));
    const vectors = await embedder.embed(texts, {
      truncate,
      truncationDirection: direction(parameters.truncation_direction),
      normalize: similarity ? false : (parameters.normalize ?? embedder.normalizeByDefault),
      promptName: parameters.prompt_name,
    });
    if (similarity) {
      const [source, ...others] = vectors;
      return c.json(others.map((vector) => cosineSimilarity(source as Float32Array, vector)));
    }
    const rows = vectors.map((vector) => Array.from(vector));
    return c.json(typeof inputs === "string" ? rows[0] : rows);
  });

  const tags = ["embed"];
  app.docs.add({
    method: "post",
    path: "/v1/embeddings",
    tags: ["openai"],
    summary: "OpenAI embeddings: input as a string, strings or token ids; float or base64; dimensions",
    body: OpenAIEmbeddingsRequest,
    responses: {
      200: { description: "{ object: list, data: [{ object: embedding, index, embedding }], model, usage }" },
    },
  });
  app.docs.add({
    method: "post",
    path: "/embed",
    tags: ["tei", ...tags],
    summary: "Text Embeddings Inference: embed",
    body: TeiEmbedRequest,
    responses: { 200: { description: "a list of vectors" } },
  });
  app.docs.add({
    method: "post",
    path: "/embed_all",
    tags: ["tei", ...tags],
    summary: "Text Embeddings Inference: one vector per token (transformer encoders)",
    body: TeiEmbedAllRequest,
    responses: { 200: { description: "a list of token-vector lists" } },
  });
  app.docs.add({
    method: "post",
    path: "/rerank",
    tags: ["tei", ...tags],
    summary: "Text Embeddings Inference: rerank texts against a query with a cross-encoder",
    body: TeiRerankRequest,
    responses: { 200: { description: "[{ index, text?, score }] best first" } },
  });
  app.docs.add({
    method: "post",
    path: "/similarity",
    tags: ["tei", ...tags],
    summary: "Text Embeddings Inference: cosine similarity of sentences to a source sentence",
    body: TeiSimilarityRequest,
    responses: { 200: { description: "a list of scores" } },
  });
  app.docs.add({
    method: "post",
    path: "/models/:model",
    tags: ["hf-inference", ...tags],
    summary: "Hugging Face Inference shape: feature-extraction (a string or strings) and sentence-similarity",
    body: HfInferenceRequest,
    responses: { 200: { description: "a vector, vectors, or similarity scores" } },
  });
  app.docs.add({
    method: "post",
    path: "/ai/run/:model",
    tags: ["workers-ai", ...tags],
    summary: "Workers AI text embeddings shape",
    body: WorkersAiRequest,
    responses: { 200: { description: "{ shape: [n, dimensions], data: number[][] }" } },
  });
}
