import {
  checkInputs,
  checkTokens,
  ProblemError,
  parseModelConfig,
  readLimits,
  readValidJson,
  resolveModel,
  type ServerEnv,
  type ServiceApp,
} from "@edgeformers/server";
import type { Context } from "hono";
import { type Embedder, getEmbedder } from "./embedders.js";
import type { EmbedBindings as Bindings } from "./index.js";
import { OpenAIEmbeddingsRequest, TeiEmbedRequest, TeiSimilarityRequest, WorkersAiRequest } from "./schemas.js";
import { cosineSimilarity, finishVector, float32ToBase64 } from "./vectors.js";

type AppContext = Context<ServerEnv<Bindings>>;

async function embedderFor(
  c: AppContext,
  requested: string | undefined,
): Promise<{ name: string; embedder: Embedder }> {
  const model = resolveModel(parseModelConfig(c.env.MODEL_CONFIG), requested);
  return { name: model.name, embedder: await getEmbedder(model, c.env, c.get("metrics")) };
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

function rejectPromptName(promptName: string | undefined): void {
  // Static models carry no sentence-transformers prompts; the pipelines add them for encoders.
  if (promptName !== undefined) {
    throw new ProblemError({
      status: 422,
      slug: "invalid-field",
      detail: `prompt_name "${promptName}" is not defined for this model.`,
      field: "prompt_name",
    });
  }
}

function countTokens(c: AppContext, model: string, ids: readonly number[][]): number {
  const tokens = ids.reduce((sum, list) => sum + list.length, 0);
  checkTokens(tokens, readLimits(c.env));
  c.get("metrics").addTokens(model, tokens);
  return tokens;
}

const leftTruncationUnsupported = (direction: string) => {
  if (direction.toLowerCase() === "left") {
    throw new ProblemError({
      status: 422,
      slug: "invalid-field",
      detail:
        "truncation_direction left is not supported by static (Model2Vec) models, which keep the start of a text.",
      field: "truncation_direction",
    });
  }
};

export function registerRoutes(app: ServiceApp<Bindings>): void {
  app.post("/v1/embeddings", async (c) => {
    const request = await readValidJson(c, OpenAIEmbeddingsRequest);
    const { input } = request;
    const limits = readLimits(c.env);
    const { name, embedder } = await embedderFor(c, request.model);
    checkDimensions(embedder, request.dimensions);
    let ids: number[][];
    if (typeof input === "string" || typeof input[0] === "string") {
      const texts = typeof input === "string" ? [input] : (input as string[]);
      checkInputs(texts, "input", limits);
      ids = tokenizeAll(embedder, texts, false, "input");
    } else {
      // Token-id input, as OpenAI accepts: one list or a list of lists.
      ids = typeof input[0] === "number" ? [input as number[]] : (input as number[][]);
      if (ids.length > limits.maxInputs)
        checkInputs(
          ids.map(() => ""),
          "input",
          limits,
        );
    }
    const tokens = countTokens(c, name, ids);
    const data = ids.map((list, index) => {
      const vector = finishVector(embedder.embedIds(list), request.dimensions, embedder.normalizeByDefault);
      return {
        object: "embedding" as const,
        index,
        embedding: request.encoding_format === "base64" ? float32ToBase64(vector) : Array.from(vector),
      };
    });
    return c.json({ object: "list", data, model: name, usage: { prompt_tokens: tokens, total_tokens: tokens } });
  });

  app.post("/embed", async (c) => {
    const request = await readValidJson(c, TeiEmbedRequest);
    rejectPromptName(request.prompt_name);
    leftTruncationUnsupported(request.truncation_direction);
    const texts = typeof request.inputs === "string" ? [request.inputs] : request.inputs;
    checkInputs(texts, "inputs", readLimits(c.env));
    const { name, embedder } = await embedderFor(c, request.model);
    checkDimensions(embedder, request.dimensions);
    const ids = tokenizeAll(embedder, texts, request.truncate, "inputs");
    countTokens(c, name, ids);
    return c.json(
      ids.map((list) => Array.from(finishVector(embedder.embedIds(list), request.dimensions, request.normalize))),
    );
  });

  app.post("/similarity", async (c) => {
    const request = await readValidJson(c, TeiSimilarityRequest);
    rejectPromptName(request.prompt_name);
    leftTruncationUnsupported(request.truncation_direction);
    const texts = [request.inputs.source_sentence, ...request.inputs.sentences];
    checkInputs(texts, "inputs.sentences", readLimits(c.env));
    const { name, embedder } = await embedderFor(c, request.model);
    const ids = tokenizeAll(embedder, texts, request.truncate, "inputs");
    countTokens(c, name, ids);
    const [source, ...others] = ids.map((list) => embedder.embedIds(list));
    return c.json(others.map((vector) => cosineSimilarity(source as Float32Array, vector)));
  });

  app.post("/ai/run/:model{.+}", async (c) => {
    const request = await readValidJson(c, WorkersAiRequest);
    const texts = typeof request.text === "string" ? [request.text] : request.text;
    checkInputs(texts, "text", readLimits(c.env));
    const { name, embedder } = await embedderFor(c, c.req.param("model"));
    const ids = tokenizeAll(embedder, texts, request.truncate_inputs, "text");
    countTokens(c, name, ids);
    const data = ids.map((list) =>
      Array.from(finishVector(embedder.embedIds(list), undefined, embedder.normalizeByDefault)),
    );
    return c.json({ shape: [data.length, embedder.dimensions], data });
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
    path: "/similarity",
    tags: ["tei", ...tags],
    summary: "Text Embeddings Inference: cosine similarity of sentences to a source sentence",
    body: TeiSimilarityRequest,
    responses: { 200: { description: "a list of scores" } },
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
