/**
 * token-classification (NER), after transformers' TokenClassificationPipeline:
 * softmax per token → gather_pre_entities (skip special tokens, detect subwords) → aggregate
 * (none/simple: argmax per token; first/average/max: per word) → group_entities (B-/I- tags)
 * → drop ignore_labels → with `stride`, merge the windows' overlapping entities.
 * `start`/`end` are UTF-16 offsets into the input, so `text.slice(start, end)` is the entity.
 */
import type { Encoding, Tokenizer } from "@edgeformers/tokenizers";
import { forwardAll } from "../batching.js";
import { labelsOf, maxInputLength } from "../config.js";
import { argmax, nanMean, softmax } from "../math.js";
import { output, type PipelineModel, row } from "../model.js";
import { specialToken } from "../special-tokens.js";
import { tokensToString } from "../tokens-to-string.js";
import { asBatch, checkEnum, checkInteger, checkKnownOptions, checkObject, checkString } from "../validate.js";

export type AggregationStrategy = "none" | "simple" | "first" | "average" | "max";

export interface TokenClassificationOptions {
  aggregationStrategy?: AggregationStrategy;
  /** Labels (or entity groups) to drop. Default ["O"]. */
  ignoreLabels?: string[];
  /** Overlap, in tokens, between windows of a text longer than the model's maximum. */
  stride?: number;
  batchSize?: number;
}

/** aggregation_strategy "none": one result per token. */
export interface TokenEntity {
  entity: string;
  score: number;
  index: number;
  word: string;
  start: number;
  end: number;
}

/** Any other strategy: one result per entity group. */
export interface GroupedEntity {
  entity_group: string;
  score: number;
  word: string;
  start: number;
  end: number;
}

export type TokenClassificationResult = TokenEntity[] | GroupedEntity[];

interface PreEntity {
  word: string;
  scores: number[];
  start: number;
  end: number;
  index: number;
  isSubword: boolean;
}

/** An entity while grouping: `score` may be NaN (Python marks ignored subword scores so). */
interface TaggedEntity {
  entity: string;
  score: number;
  word: string;
  start: number;
  end: number;
  index?: number;
}

const KNOWN = ["aggregationStrategy", "ignoreLabels", "stride", "batchSize"] as const;
const STRATEGIES = ["none", "simple", "first", "average", "max"] as const;

const codePoints = (s: string) => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

/**
 * Whether the tokenizer model marks continuation pieces (Python reads
 * `tokenizer._tokenizer.model.continuing_subword_prefix`). The Tokenizer does not expose its model
 * options, so a WordPiece vocabulary is recognised by its "##" pieces.
 */
function hasContinuingSubwordPrefix(tokenizer: Tokenizer): boolean {
  return ["##s", "##a", "##e", "##t", "##1"].some((t) => tokenizer.tokenToId(t) !== undefined);
}

function gatherPreEntities(
  sentence: string,
  encoding: Encoding,
  scores: number[][],
  tokenizer: Tokenizer,
  wordAware: boolean,
  unkId: number | null,
): PreEntity[] {
  const pre: PreEntity[] = [];
  for (let idx = 0; idx < encoding.length; idx++) {
    if (encoding.specialTokensMask[idx]) continue;
    let word = tokenizer.idToToken(encoding.ids[idx]) ?? encoding.tokens[idx];
    const [start, end] = encoding.offsets[idx];
    const wordRef = sentence.slice(start, end);
    let isSubword: boolean;
    if (wordAware) {
      // A "##ing" piece is longer than its text "ing"; a word-initial piece has the same length.
      isSubword = codePoints(word) !== codePoints(wordRef);
    } else {
      // Python's fallback: a token is a subword unless a space touches its start.
      isSubword = start > 0 && !sentence.slice(start - 1, start + 1).includes(" ");
    }
    if (encoding.ids[idx] === unkId) {
      word = wordRef;
      isSubword = false;
    }
    pre.push({ word, scores: scores[idx], start, end, index: idx, isSubword });
  }
  return pre;
}

function aggregateWord(
  group: PreEntity[],
  strategy: "first" | "average" | "max",
  labels: string[],
  tokenizer: Tokenizer,
): TaggedEntity {
  const word = tokensToString(
    tokenizer,
    group.map((e) => e.word),
  );
  let scores: number[];
  if (strategy === "first") scores = group[0].scores;
  else if (strategy === "max") {
    // max(entities, key=max score): the first token holding the highest single score.
    let best = group[0];
    for (const e of group) if (Math.max(...e.scores) > Math.max(...best.scores)) best = e;
    scores = best.scores;
  } else scores = group[0].scores.map((_, k) => nanMean(group.map((e) => e.scores[k])));
  const idx = argmax(scores);
  return { entity: labels[idx], score: scores[idx], word, start: group[0].start, end: group[group.length - 1].end };
}

function aggregateWords(
  pre: PreEntity[],
  strategy: "first" | "average" | "max",
  labels: string[],
  tokenizer: Tokenizer,
): TaggedEntity[] {
  const words: TaggedEntity[] = [];
  let group: PreEntity[] | null = null;
  for (const e of pre) {
    if (group === null) group = [e];
    else if (e.isSubword) group.push(e);
    else {
      words.push(aggregateWord(group, strategy, labels, tokenizer));
      group = [e];
    }
  }
  if (group !== null) words.push(aggregateWord(group, strategy, labels, tokenizer));
  return words;
}

/** Python's get_tag: "B-X" → (B, X), "I-X" → (I, X), anything else → (I, whole name). */
function getTag(name: string): [string, string] {
  if (name.startsWith("B-")) return ["B", name.slice(2)];
  if (name.startsWith("I-")) return ["I", name.slice(2)];
  return ["I", name];
}

function groupSubEntities(entities: TaggedEntity[], tokenizer: Tokenizer): GroupedEntity {
  // Python: entities[0]["entity"].split("-", 1)[-1]
  const first = entities[0].entity;
  const dash = first.indexOf("-");
  return {
    entity_group: dash < 0 ? first : first.slice(dash + 1),
    score: nanMean(entities.map((e) => e.score)),
    word: tokensToString(
      tokenizer,
      entities.map((e) => e.word),
    ),
    start: entities[0].start,
    end: entities[entities.length - 1].end,
  };
}

function groupEntities(entities: TaggedEntity[], tokenizer: Tokenizer): GroupedEntity[] {
  const groups: GroupedEntity[] = [];
  let current: TaggedEntity[] = [];
  for (const entity of entities) {
    if (current.length === 0) {
      current.push(entity);
      continue;
    }
    const [bi, tag] = getTag(entity.entity);
    const [, lastTag] = getTag(current[current.length - 1].entity);
    if (tag === lastTag && bi !== "B") current.push(entity);
    else {
      groups.push(groupSubEntities(current, tokenizer));
      current = [entity];
    }
  }
  if (current.length > 0) groups.push(groupSubEntities(current, tokenizer));
  return groups;
}

/**
 * Python's aggregate_overlapping_entities: sorted by start, an entity starting inside the previous
 * one replaces it when longer, or as long with a higher score; otherwise the previous is kept.
 */
function mergeOverlapping<T extends { start: number; end: number; score: number }>(entities: T[]): T[] {
  if (entities.length === 0) return entities;
  const sorted = [...entities].sort((a, b) => a.start - b.start);
  const merged: T[] = [];
  let previous = sorted[0];
  for (const entity of sorted) {
    if (previous.start <= entity.start && entity.start < previous.end) {
      const length = entity.end - entity.start;
      const previousLength = previous.end - previous.start;
      if (length > previousLength || (length === previousLength && entity.score > previous.score)) previous = entity;
    } else {
      merged.push(previous);
      previous = entity;
    }
  }
  merged.push(previous);
  return merged;
}

export async function tokenClassification(
  model: PipelineModel,
  inputs: string | string[],
  options: TokenClassificationOptions = {},
): Promise<TokenClassificationResult | TokenClassificationResult[]> {
  const o = checkObject(options, "options");
  checkKnownOptions(o, KNOWN, "token-classification");
  const strategy =
    o.aggregationStrategy === undefined
      ? "none"
      : checkEnum(o.aggregationStrategy, "options.aggregationStrategy", STRATEGIES);
  let ignoreLabels = ["O"];
  if (o.ignoreLabels !== undefined) {
    if (!Array.isArray(o.ignoreLabels)) throw new TypeError("options.ignoreLabels must be an array of label names");
    ignoreLabels = o.ignoreLabels.map((l, i) => checkString(l, `options.ignoreLabels[${i}]`));
  }
  const batchSize = o.batchSize === undefined ? undefined : checkInteger(o.batchSize, "options.batchSize", 1);
  const tokenizer = model.tokenizer;
  const maxLength = maxInputLength(model);
  let stride: number | null = null;
  if (o.stride !== undefined && o.stride !== null) {
    stride = checkInteger(o.stride, "options.stride", 0);
    if (maxLength !== null && stride >= maxLength) {
      throw new RangeError(
        `options.stride (${stride}) must be less than the model's maximum length (${maxLength}), or lower still for the special tokens`,
      );
    }
    if (strategy === "none") {
      throw new RangeError(
        'options.stride needs an aggregationStrategy other than "none" (as in Python), to merge the windows',
      );
    }
  }
  const { items, single } = asBatch(inputs, "inputs", (v, f) => checkString(v, f));

  // Python truncates to model_max_length; with a stride, the overflowing windows are kept too.
  const windows: { item: number; encoding: Encoding }[] = [];
  items.forEach((text, item) => {
    let encoding: Encoding;
    try {
      encoding = tokenizer.encode(text, null, {
        truncation: maxLength === null ? false : { maxLength, stride: stride ?? 0, strategy: "longest_first" },
        padding: false,
      });
    } catch (e) {
      throw new RangeError(
        `inputs${single ? "" : `[${item}]`} could not be split into windows: ${(e as Error).message}`,
      );
    }
    windows.push({ item, encoding });
    if (stride !== null) for (const overflow of encoding.overflowing) windows.push({ item, encoding: overflow });
  });
  const outputs = await forwardAll(
    model,
    windows.map((w) => w.encoding),
    batchSize,
  );

  const wordAware = hasContinuingSubwordPrefix(tokenizer);
  const unkId = specialToken(tokenizer, "unk_token")?.id ?? null;
  const perItem: { entities: (TokenEntity | GroupedEntity)[]; chunks: number }[] = items.map(() => ({
    entities: [],
    chunks: 0,
  }));
  windows.forEach(({ item, encoding }, w) => {
    const logits = output(outputs[w], "logits", 3);
    const scores = Array.from({ length: encoding.length }, (_, t) => softmax(row(logits, 0, t)));
    const labels = labelsOf(model, logits.dims[2]);
    const pre = gatherPreEntities(items[item], encoding, scores, tokenizer, wordAware, unkId);
    let entities: (TokenEntity | GroupedEntity)[];
    if (strategy === "none" || strategy === "simple") {
      const tokens: TokenEntity[] = pre.map((p) => {
        const k = argmax(p.scores);
        return { entity: labels[k], score: p.scores[k], index: p.index, word: p.word, start: p.start, end: p.end };
      });
      entities = strategy === "none" ? tokens : groupEntities(tokens, tokenizer);
    } else {
      entities = groupEntities(aggregateWords(pre, strategy, labels, tokenizer), tokenizer);
    }
    const kept = entities.filter((e) => !ignoreLabels.includes("entity" in e ? e.entity : e.entity_group));
    perItem[item].entities.push(...kept);
    perItem[item].chunks++;
  });
  const results = perItem.map(
    ({ entities, chunks }) => (chunks > 1 ? mergeOverlapping(entities) : entities) as TokenClassificationResult,
  );
  return single ? results[0] : results;
}
