import * as z from "zod";

const tokenIds = z.array(z.number().int().min(0)).min(1);

/** OpenAI `POST /v1/embeddings`. */
export const OpenAIEmbeddingsRequest = z.object({
  input: z.union([z.string(), z.array(z.string()).min(1), tokenIds, z.array(tokenIds).min(1)]),
  model: z.string().min(1).optional(),
  encoding_format: z.enum(["float", "base64"]).default("float"),
  dimensions: z.number().int().positive().optional(),
  user: z.string().optional(),
});

const teiInputs = z.union([z.string(), z.array(z.string()).min(1)]);

/** TEI `POST /embed`. */
export const TeiEmbedRequest = z.object({
  model: z.string().min(1).optional(),
  inputs: teiInputs,
  normalize: z.boolean().default(true),
  truncate: z.boolean().default(false),
  truncation_direction: z.enum(["right", "left", "Right", "Left"]).default("right"),
  prompt_name: z.string().optional(),
  dimensions: z.number().int().positive().optional(),
});

/** TEI `POST /embed_all`. */
export const TeiEmbedAllRequest = z.object({
  model: z.string().min(1).optional(),
  inputs: teiInputs,
  truncate: z.boolean().default(false),
  truncation_direction: z.enum(["right", "left", "Right", "Left"]).default("right"),
});

/** TEI `POST /rerank`. */
export const TeiRerankRequest = z.object({
  model: z.string().min(1).optional(),
  query: z.string(),
  texts: z.array(z.string()).min(1),
  truncate: z.boolean().default(false),
  truncation_direction: z.enum(["right", "left", "Right", "Left"]).default("right"),
  raw_scores: z.boolean().default(false),
  return_text: z.boolean().default(false),
});

/** TEI `POST /similarity`. */
export const TeiSimilarityRequest = z.object({
  model: z.string().min(1).optional(),
  inputs: z.object({ source_sentence: z.string(), sentences: z.array(z.string()).min(1) }),
  truncate: z.boolean().default(false),
  truncation_direction: z.enum(["right", "left", "Right", "Left"]).default("right"),
  prompt_name: z.string().optional(),
});

/** Workers AI text embeddings (`@cf/baai/bge-*`): `{ text }` → `{ shape, data }`. */
export const WorkersAiRequest = z.object({
  text: z.union([z.string(), z.array(z.string()).min(1)]),
  truncate_inputs: z.boolean().default(false),
});

/** Hugging Face Inference task shape: `POST /models/{model}` with `{ inputs, parameters }`. */
export const HfInferenceRequest = z.object({
  inputs: z.union([
    z.string(),
    z.array(z.string()).min(1),
    z.object({ source_sentence: z.string(), sentences: z.array(z.string()).min(1) }),
  ]),
  parameters: z
    .object({
      normalize: z.boolean().optional(),
      truncate: z.boolean().optional(),
      truncation_direction: z.enum(["right", "left", "Right", "Left"]).optional(),
      prompt_name: z.string().optional(),
    })
    .strict()
    .optional(),
  options: z.record(z.string(), z.unknown()).optional(),
});
