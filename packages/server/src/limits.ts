import { ProblemError } from "./problem.js";

/** Per-request limits, from vars so a deployment can tune them without a rebuild. */
export interface RequestLimits {
  /** Inputs in one request (texts, pairs or id lists). */
  maxInputs: number;
  /** UTF-16 code units in one input. */
  maxInputChars: number;
  /** Tokens produced by one request, all inputs together. */
  maxTokens: number;
}

export interface LimitBindings {
  MAX_INPUTS?: string;
  MAX_INPUT_CHARS?: string;
  MAX_TOKENS_PER_REQUEST?: string;
}

export const DEFAULT_LIMITS: RequestLimits = { maxInputs: 256, maxInputChars: 100_000, maxTokens: 131_072 };

function positive(value: string | undefined, fallback: number): number {
  const parsed = Number(value);
  return Number.isInteger(parsed) && parsed > 0 ? parsed : fallback;
}

export function readLimits(env: LimitBindings | undefined): RequestLimits {
  return {
    maxInputs: positive(env?.MAX_INPUTS, DEFAULT_LIMITS.maxInputs),
    maxInputChars: positive(env?.MAX_INPUT_CHARS, DEFAULT_LIMITS.maxInputChars),
    maxTokens: positive(env?.MAX_TOKENS_PER_REQUEST, DEFAULT_LIMITS.maxTokens),
  };
}

function tooLarge(field: string, detail: string, limit: number): ProblemError {
  return new ProblemError({ status: 413, slug: "limit-exceeded", detail, field, extensions: { limit } });
}

/** Checks the number of inputs and the length of each; `field` names the request field. */
export function checkInputs(texts: readonly string[], field: string, limits: RequestLimits): void {
  if (texts.length > limits.maxInputs) {
    throw tooLarge(
      field,
      `${texts.length} inputs exceed the limit of ${limits.maxInputs} per request.`,
      limits.maxInputs,
    );
  }
  texts.forEach((text, index) => {
    if (text.length > limits.maxInputChars) {
      throw tooLarge(
        `${field}.${index}`,
        `Input ${index} has ${text.length} characters, over the limit of ${limits.maxInputChars}.`,
        limits.maxInputChars,
      );
    }
  });
}

/** Checks the tokens a request produced (after truncation). */
export function checkTokens(count: number, limits: RequestLimits): void {
  if (count > limits.maxTokens) {
    throw tooLarge(
      "inputs",
      `The request produces ${count} tokens, over the limit of ${limits.maxTokens}.`,
      limits.maxTokens,
    );
  }
}

/**
 * A model's own limits from its catalogue entry (`maxBatch` inputs and `maxTokens` tokens per
 * request), for deployments that cap what one request may ask of a large model.
 */
export function checkModelLimits(
  model: { name: string; entry: { maxBatch?: number; maxTokens?: number } },
  inputs: number,
  tokens: number | undefined,
  field: string,
): void {
  const { maxBatch, maxTokens } = model.entry;
  if (maxBatch !== undefined && inputs > maxBatch) {
    throw tooLarge(field, `${inputs} inputs exceed model "${model.name}"'s maxBatch of ${maxBatch}.`, maxBatch);
  }
  if (maxTokens !== undefined && tokens !== undefined && tokens > maxTokens) {
    throw tooLarge(
      field,
      `The request has ${tokens} tokens, over model "${model.name}"'s maxTokens of ${maxTokens}.`,
      maxTokens,
    );
  }
}
