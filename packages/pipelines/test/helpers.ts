/** Controlled models (deterministic logits from input ids) and small real tokenizers for the tests. */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Tokenizer } from "@edgeformers/tokenizers";
import type { ForwardInputs, ModelOutputs, PipelineModel, SentenceTransformersInfo, Tensor } from "../src/model.js";

const here = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(here, "../../..");
export const FIXTURES_DIR = process.env.FIXTURES_DIR ?? resolve(REPO_ROOT, "../shared/fixtures");

/** A fixture path, or null (with a visible message) when the shared fixtures are absent. */
export function fixture(...parts: string[]): string | null {
  const path = join(FIXTURES_DIR, ...parts);
  if (!existsSync(path)) {
    // Written to stderr directly: vitest's silent mode hides console output of passing files.
    process.stderr.write(`[pipelines tests] fixture ${path} is absent: skipping the tests that need it\n`);
    return null;
  }
  return path;
}

/** A test title that says, in the run's output, when the shared fixtures it needs are absent. */
export function needsFixtures(title: string, ...present: unknown[]): string {
  return present.every((p) => p !== null && p !== undefined)
    ? title
    : `${title} [SKIPPED: shared fixtures absent under ${FIXTURES_DIR}]`;
}

export function loadFixtureTokenizer(name: string): Tokenizer | null {
  const dir = fixture("tokenizers", name);
  if (!dir) return null;
  const configPath = join(dir, "tokenizer_config.json");
  return Tokenizer.fromJSON(
    readFileSync(join(dir, "tokenizer.json"), "utf8"),
    existsSync(configPath) ? readFileSync(configPath, "utf8") : undefined,
  );
}

/** The tokenizer.json of a small BERT-style WordPiece tokenizer (lowercasing, [CLS] a [SEP] b [SEP]). */
export function wordPieceTokenizerJson(words: readonly string[]): Record<string, unknown> {
  const vocab: Record<string, number> = {};
  for (const w of ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", ...words])
    if (!(w in vocab)) vocab[w] = Object.keys(vocab).length;
  const special = (id: number, content: string) => ({
    id,
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  });
  const json = {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: [
      special(0, "[PAD]"),
      special(1, "[UNK]"),
      special(2, "[CLS]"),
      special(3, "[SEP]"),
      special(4, "[MASK]"),
    ],
    normalizer: {
      type: "BertNormalizer",
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: null,
      lowercase: true,
    },
    pre_tokenizer: { type: "BertPreTokenizer" },
    post_processor: {
      type: "TemplateProcessing",
      single: [
        { SpecialToken: { id: "[CLS]", type_id: 0 } },
        { Sequence: { id: "A", type_id: 0 } },
        { SpecialToken: { id: "[SEP]", type_id: 0 } },
      ],
      pair: [
        { SpecialToken: { id: "[CLS]", type_id: 0 } },
        { Sequence: { id: "A", type_id: 0 } },
        { SpecialToken: { id: "[SEP]", type_id: 0 } },
        { Sequence: { id: "B", type_id: 1 } },
        { SpecialToken: { id: "[SEP]", type_id: 1 } },
      ],
      special_tokens: {
        "[CLS]": { id: "[CLS]", ids: [2], tokens: ["[CLS]"] },
        "[SEP]": { id: "[SEP]", ids: [3], tokens: ["[SEP]"] },
      },
    },
    decoder: { type: "WordPiece", prefix: "##", cleanup: true },
    model: {
      type: "WordPiece",
      unk_token: "[UNK]",
      continuing_subword_prefix: "##",
      max_input_chars_per_word: 100,
      vocab,
    },
  };
  return json;
}

/** That tokenizer, loaded, with the usual special tokens in its tokenizer_config. */
export function wordPieceTokenizer(words: string[], config: Record<string, unknown> = {}): Tokenizer {
  return Tokenizer.fromJSON(wordPieceTokenizerJson(words), {
    cls_token: "[CLS]",
    sep_token: "[SEP]",
    pad_token: "[PAD]",
    mask_token: "[MASK]",
    unk_token: "[UNK]",
    model_max_length: 512,
    ...config,
  });
}

export type Compute = (ids: number[], mask: number[], typeIds: number[]) => Record<string, number[] | number[][]>;

/**
 * A model whose outputs are a function of each row's ids. `compute` returns, per output name,
 * a vector (→ dims [batch, n]) or one vector per position (→ dims [batch, seq, n], or [batch, seq]
 * when each vector has one value and the name ends in `_logits`).
 */
export class ControlledModel implements PipelineModel {
  calls: ForwardInputs[] = [];
  constructor(
    readonly tokenizer: Tokenizer,
    readonly config: Record<string, unknown>,
    private readonly compute: Compute,
    readonly sentenceTransformers?: SentenceTransformersInfo,
  ) {}

  async forward(inputs: ForwardInputs): Promise<ModelOutputs> {
    this.calls.push(inputs);
    const rows = inputs.inputIds.map((ids, b) =>
      this.compute(ids, inputs.attentionMask?.[b] ?? ids.map(() => 1), inputs.tokenTypeIds?.[b] ?? ids.map(() => 0)),
    );
    const out: Record<string, Tensor> = {};
    for (const name of Object.keys(rows[0])) {
      const values = rows.map((r) => r[name]);
      const first = values[0];
      if (typeof first[0] === "number") {
        const n = first.length;
        out[name] = { data: Float32Array.from((values as number[][]).flat()), dims: [rows.length, n] };
      } else {
        const seq = first.length;
        const n = (first as number[][])[0].length;
        const flat = (values as number[][][]).flatMap((v) => v.flat());
        out[name] = {
          data: Float32Array.from(flat),
          dims: name.endsWith("_logits") && n === 1 ? [rows.length, seq] : [rows.length, seq, n],
        };
      }
    }
    return out;
  }
}

/** Sums a per-token table over the attended tokens: sequence-classification logits. */
export function sequenceLogits(table: Record<number, number[]>, numLabels: number): Compute {
  return (ids, mask) => {
    const logits = new Array<number>(numLabels).fill(0);
    ids.forEach((id, i) => {
      if (mask[i] && table[id]) {
        table[id].forEach((v, k) => {
          logits[k] += v;
        });
      }
    });
    return { logits };
  };
}

export const round = (x: number, digits = 6) => Number(x.toFixed(digits));
export const softmaxRef = (xs: number[]) => {
  const m = Math.max(...xs);
  const e = xs.map((x) => Math.exp(x - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
};
