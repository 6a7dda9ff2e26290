/**
 * question-answering (extractive), after transformers' QuestionAnsweringPipeline with a fast
 * tokenizer: the question and context are encoded as a pair, the context split into overflowing
 * windows (only_second truncation to max_seq_len with doc_stride overlap); per window, tokens that
 * cannot be in an answer (p_mask: question, special tokens, except [CLS]) get logit -10000, start and
 * end are softmaxed, the [CLS] product is the null score, [CLS] is zeroed, and spans are scored
 * start[s] * end[e] for s <= e < s + max_answer_len (np.triu / np.tril of the outer product).
 * Answers of every window are ranked together; char offsets come from the token offsets (the
 * enclosing words' with align_to_words). With align_to_words, as transformers since PR #38761,
 * each window proposes top_k * 2 + 10 spans and spans giving the same answer text (compared
 * lowercased) are merged by adding their scores, so widened subword spans do not repeat.
 */
import type { Encoding } from "@edgeformers/tokenizers";
import { forwardAll } from "../batching.js";
import { maxInputLength } from "../config.js";
import { softmax } from "../math.js";
import { output, type PipelineModel, row } from "../model.js";
import { specialToken } from "../special-tokens.js";
import {
  asBatch,
  checkBoolean,
  checkInteger,
  checkKnownOptions,
  checkObject,
  checkString,
  describe,
  OPTIONS_ONLY,
} from "../validate.js";

export interface QuestionAnsweringInput {
  question: string;
  context: string;
}

export interface QuestionAnsweringOptions {
  topK?: number;
  /** Overlap (tokens) between context windows. Default min(maxSeqLen / 2, 128). */
  docStride?: number;
  maxAnswerLen?: number;
  /** Window length in tokens. Default min(model max length, 384). */
  maxSeqLen?: number;
  /** Accepted for Python compatibility; like Python with a fast tokenizer, it has no effect. */
  maxQuestionLen?: number;
  handleImpossibleAnswer?: boolean;
  alignToWords?: boolean;
  batchSize?: number;
}

export interface Answer {
  score: number;
  start: number;
  end: number;
  answer: string;
}

export type QuestionAnsweringOutput = Answer | Answer[];

const KNOWN = [
  "topK",
  "docStride",
  "maxAnswerLen",
  "maxSeqLen",
  "maxQuestionLen",
  "handleImpossibleAnswer",
  "alignToWords",
  "batchSize",
] as const;

function checkInput(value: unknown, field: string): QuestionAnsweringInput {
  const o = checkObject(value, field);
  for (const key of ["question", "context"] as const) {
    if (o[key] === undefined || o[key] === null) throw new TypeError(`${field}.${key} is required`);
    if (checkString(o[key], `${field}.${key}`).length === 0) throw new RangeError(`${field}.${key} cannot be empty`);
  }
  return { question: o.question as string, context: o.context as string };
}

/** One scored span of one window, token indices. */
interface Span {
  start: number;
  end: number;
  score: number;
}

/**
 * Python's select_starts_ends + decode_spans on one window. Returns the spans and the window's
 * null score (start[0] * end[0] after the masked softmax).
 */
export function selectSpans(
  startLogits: number[],
  endLogits: number[],
  pMask: number[],
  attentionMask: number[],
  topK: number,
  maxAnswerLen: number,
): { spans: Span[]; nullScore: number } {
  const n = startLogits.length;
  const wanted = pMask.map((p, i) => (1 - p) & attentionMask[i]);
  const start = softmax(startLogits.map((x, i) => (wanted[i] ? x : -10000)));
  const end = softmax(endLogits.map((x, i) => (wanted[i] ? x : -10000)));
  const nullScore = start[0] * end[0];
  start[0] = 0;
  end[0] = 0;
  const score = (s: number, e: number) => (e >= s && e - s <= maxAnswerLen - 1 ? start[s] * end[e] : 0);

  let picked: number[];
  if (topK === 1) {
    // np.argmax over the flattened candidates: the first maximum in row-major order.
    let best = 0;
    let bestScore = -1;
    for (let s = 0; s < n; s++) {
      for (let e = s; e < Math.min(n, s + maxAnswerLen); e++) {
        const v = score(s, e);
        if (v > bestScore) {
          bestScore = v;
          best = s * n + e;
        }
      }
    }
    picked = [bestScore > 0 ? best : 0];
  } else {
    // The top_k highest; equal scores in row-major order (numpy's order among ties is unspecified).
    const positive: number[] = [];
    for (let s = 0; s < n; s++)
      for (let e = s; e < Math.min(n, s + maxAnswerLen); e++) if (score(s, e) > 0) positive.push(s * n + e);
    positive.sort((a, b) => score(Math.floor(b / n), b % n) - score(Math.floor(a / n), a % n) || a - b);
    picked = positive.slice(0, topK);
    // Python fills the top_k with zero-score cells when there are too few candidates.
    for (let flat = 0; picked.length < Math.min(topK, n * n) && flat < n * n; flat++) {
      if (score(Math.floor(flat / n), flat % n) === 0) picked.push(flat);
    }
  }
  // Python keeps a span when both ends are wanted tokens; np.isin against the 2-D nonzero() also
  // lets index 0 through whenever any token is wanted.
  const anyWanted = wanted.some((w) => w === 1);
  const allowed = (i: number) => wanted[i] === 1 || (i === 0 && anyWanted);
  const spans = picked
    .map((flat) => ({ start: Math.floor(flat / n), end: flat % n }))
    .filter((sp) => allowed(sp.start) && allowed(sp.end))
    .map((sp) => ({ ...sp, score: score(sp.start, sp.end) }));
  return { spans, nullScore };
}

/** Python's get_indices: char span of the enclosing words, or of the tokens themselves. */
function charSpan(encoding: Encoding, s: number, e: number, alignToWords: boolean): [number, number] {
  if (alignToWords) {
    const startWord = encoding.tokenToWord(s);
    const endWord = encoding.tokenToWord(e);
    const startTokens = startWord === null ? null : encoding.wordToTokens(startWord, 1);
    const endTokens = endWord === null ? null : encoding.wordToTokens(endWord, 1);
    if (startTokens && endTokens) return [encoding.offsets[startTokens[0]][0], encoding.offsets[endTokens[1] - 1][1]];
  }
  return [encoding.offsets[s][0], encoding.offsets[e][1]];
}

export async function questionAnswering(
  model: PipelineModel,
  inputs: QuestionAnsweringInput | QuestionAnsweringInput[],
  options: QuestionAnsweringOptions = {},
): Promise<QuestionAnsweringOutput | QuestionAnsweringOutput[]> {
  const o = checkObject(options, "options");
  checkKnownOptions(o, KNOWN, "question-answering");
  const topK = o.topK === undefined ? 1 : checkInteger(o.topK, "options.topK", 1);
  const maxAnswerLen = o.maxAnswerLen === undefined ? 15 : checkInteger(o.maxAnswerLen, "options.maxAnswerLen", 1);
  const modelMax = maxInputLength(model);
  const maxSeqLen =
    o.maxSeqLen === undefined ? Math.min(modelMax ?? 384, 384) : checkInteger(o.maxSeqLen, "options.maxSeqLen", 1);
  const docStride =
    o.docStride === undefined
      ? Math.min(Math.floor(maxSeqLen / 2), 128)
      : checkInteger(o.docStride, "options.docStride", 0);
  if (docStride > maxSeqLen)
    throw new RangeError(`options.docStride (${docStride}) is larger than options.maxSeqLen (${maxSeqLen})`);
  if (o.maxQuestionLen !== undefined) checkInteger(o.maxQuestionLen, "options.maxQuestionLen", 1);
  const handleImpossible =
    o.handleImpossibleAnswer === undefined
      ? false
      : checkBoolean(o.handleImpossibleAnswer, "options.handleImpossibleAnswer");
  const alignToWords = o.alignToWords === undefined ? true : checkBoolean(o.alignToWords, "options.alignToWords");
  const batchSize = o.batchSize === undefined ? undefined : checkInteger(o.batchSize, "options.batchSize", 1);
  if (
    !Array.isArray(inputs) &&
    (inputs === null || typeof inputs !== "object") &&
    (inputs as unknown) !== OPTIONS_ONLY
  ) {
    throw new TypeError(`inputs must be a {question, context} object or an array of them, got ${describe(inputs)}`);
  }
  const { items, single } = asBatch(inputs, "inputs", checkInput);

  const clsId = specialToken(model.tokenizer, "cls_token")?.id ?? null;
  const windows: { item: number; encoding: Encoding; pMask: number[] }[] = [];
  items.forEach(({ question, context }, item) => {
    let first: Encoding;
    try {
      first = model.tokenizer.encode(question, context, {
        truncation: { maxLength: maxSeqLen, strategy: "only_second", stride: docStride },
        padding: false,
      });
    } catch (e) {
      const field = single ? "inputs" : `inputs[${item}]`;
      throw new RangeError(
        `${field} cannot be split into windows of ${maxSeqLen} tokens with docStride ${docStride} (the question may be too long): ${(e as Error).message}`,
      );
    }
    for (const encoding of [first, ...first.overflowing]) {
      // p_mask: 1 for tokens outside the context; [CLS] stays available (the "no answer" slot).
      const pMask = encoding.sequenceIds.map((seq, t) => (encoding.ids[t] === clsId ? 0 : seq === 1 ? 0 : 1));
      windows.push({ item, encoding, pMask });
    }
  });
  const outputs = await forwardAll(
    model,
    windows.map((w) => w.encoding),
    batchSize,
  );

  const preTopK = alignToWords ? topK * 2 + 10 : topK;
  const answers: Answer[][] = items.map(() => []);
  const minNull = items.map(() => 1000000);
  windows.forEach(({ item, encoding, pMask }, w) => {
    const startTensor = output(outputs[w], "start_logits", 2);
    const endTensor = output(outputs[w], "end_logits", 2);
    const n = encoding.length;
    const { spans, nullScore } = selectSpans(
      row(startTensor, 0).slice(0, n),
      row(endTensor, 0).slice(0, n),
      pMask,
      encoding.attentionMask,
      preTopK,
      maxAnswerLen,
    );
    if (handleImpossible) minNull[item] = Math.min(minNull[item], nullScore);
    for (const span of spans) {
      const [start, end] = charSpan(encoding, span.start, span.end, alignToWords);
      const text = items[item].context.slice(start, end);
      const same = answers[item].find((a) => a.answer.toLowerCase() === text.toLowerCase());
      if (same) same.score += span.score;
      else answers[item].push({ score: span.score, start, end, answer: text });
    }
  });
  const results = answers.map((list, item) => {
    if (handleImpossible) list.push({ score: minNull[item], start: 0, end: 0, answer: "" });
    // sorted(..., reverse=True) is stable: equal scores keep window order.
    const ranked = [...list].sort((a, b) => b.score - a.score).slice(0, topK);
    return ranked.length === 1 ? ranked[0] : ranked;
  });
  // Python unwraps a list of one example too.
  return single || results.length === 1 ? results[0] : results;
}
