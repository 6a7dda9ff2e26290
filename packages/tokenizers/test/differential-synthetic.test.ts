import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import { type EncodeOptions, Tokenizer } from "../src/index.js";
import { corpusLines, corpusText, fixturesAvailable } from "./helpers/fixtures.js";
import { EDGE_INPUTS, randomStrings } from "./helpers/inputs.js";
import { compareAll, expectNoMismatch, oracleFromJson } from "./helpers/oracle.js";

// biome-ignore lint/suspicious/noExplicitAny: tokenizer.json is built freely here
type Json = any;

const require = createRequire(import.meta.url);
const binding = require("@anush008/tokenizers");

/**
 * Tokenizers the Rust oracle trains itself (BPE, WordPiece, Unigram, WordLevel through the
 * binding's `train`), plus hand-built model variants (byte fallback, fuse_unk, prefixes and
 * suffixes, decoders), each loaded by both implementations from the same JSON.
 */
describe("trained and synthetic tokenizers vs Rust tokenizers", () => {
  let dir = "";
  const trained: Record<string, Json> = {};
  let corpus = "";
  let inputs: string[] = [];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "edgeformers-tok-"));
    // Train on the shared corpora when present, else on generated text.
    corpus = fixturesAvailable
      ? `${corpusText("war-and-peace.txt").slice(0, 200_000)}\n${corpusText("hongloumeng.txt").slice(0, 40_000)}`
      : [...EDGE_INPUTS, ...randomStrings(4000, 5)].join("\n").repeat(3);
    const file = join(dir, "corpus.txt");
    writeFileSync(file, corpus);
    for (const [name, model] of [
      ["bpe", binding.BPE.empty()],
      ["wordpiece", binding.WordPiece.empty()],
      ["unigram", binding.Unigram.empty()],
      ["wordlevel", binding.WordLevel.empty()],
    ] as const) {
      const tok = new binding.Tokenizer(model);
      tok.setPreTokenizer(binding.whitespacePreTokenizer());
      tok.train([file]);
      const out = join(dir, `${name}.json`);
      tok.save(out);
      trained[name] = JSON.parse(readFileSync(out, "utf8"));
    }
    const lines = fixturesAvailable ? corpusLines().filter((_, i) => i % 8 === 0) : [];
    inputs = [...EDGE_INPUTS, ...lines, ...randomStrings(200, 23)];
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const clone = (name: string): Json => structuredClone(trained[name]);

  async function check(json: Json, options: EncodeOptions = {}, list: (string | [string, string])[] = inputs) {
    const text = JSON.stringify(json);
    expectNoMismatch(await compareAll(Tokenizer.fromJSON(text), oracleFromJson(text), list, options));
  }

  const byteTokens = Array.from({ length: 256 }, (_, b) => `<0x${b.toString(16).toUpperCase().padStart(2, "0")}>`);

  describe("trained by the oracle", () => {
    it("BPE with <unk>, fuse_unk on and off", async () => {
      for (const fuse of [false, true]) {
        const j = clone("bpe");
        j.model.vocab["<unk>"] = Object.keys(j.model.vocab).length;
        j.model.unk_token = "<unk>";
        j.model.fuse_unk = fuse;
        j.decoder = { type: "BPEDecoder", suffix: "</w>" };
        await check(j);
      }
    });
    it("BPE without unk token (unknown chars dropped) and ignore_merges", async () => {
      const j = clone("bpe");
      j.model.ignore_merges = true;
      await check(j);
    });
    it("BPE with byte_fallback, Metaspace and a llama-style decoder", async () => {
      const j = clone("bpe");
      let next = Object.keys(j.model.vocab).length;
      for (const t of [...byteTokens, "<unk>", "\u2581"]) j.model.vocab[t] ??= next++;
      j.model.unk_token = "<unk>";
      j.model.byte_fallback = true;
      j.model.fuse_unk = true;
      j.normalizer = {
        type: "Sequence",
        normalizers: [
          { type: "Prepend", prepend: "\u2581" },
          { type: "Replace", pattern: { String: " " }, content: "\u2581" },
        ],
      };
      j.pre_tokenizer = null;
      j.decoder = {
        type: "Sequence",
        decoders: [
          { type: "Replace", pattern: { String: "\u2581" }, content: " " },
          { type: "ByteFallback" },
          { type: "Fuse" },
          { type: "Strip", content: " ", start: 1, stop: 0 },
        ],
      };
      await check(
        j,
        {},
        inputs.filter((s) => s.length < 400),
      );
    });
    it("WordPiece (trained) with a short max_input_chars_per_word", async () => {
      for (const max of [100, 5]) {
        const j = clone("wordpiece");
        j.model.vocab["[UNK]"] ??= Object.keys(j.model.vocab).length;
        j.model.max_input_chars_per_word = max;
        j.decoder = { type: "WordPiece", prefix: "##", cleanup: max === 5 };
        await check(j);
      }
    });
    it("Unigram with unk_id, then with byte_fallback", async () => {
      const j = clone("unigram");
      j.model.vocab.push(["<unk>", 0]);
      j.model.unk_id = j.model.vocab.length - 1;
      await check(j);
      for (const t of byteTokens) j.model.vocab.push([t, -20]);
      j.model.byte_fallback = true;
      j.decoder = { type: "Sequence", decoders: [{ type: "ByteFallback" }, { type: "Fuse" }] };
      await check(j);
    });
    it("Unigram with Metaspace and a CTC decoder", async () => {
      const j = clone("unigram");
      j.model.vocab.push(["<unk>", 0], ["\u2581", -5], ["<pad>", 0], ["|", -3]);
      j.model.unk_id = j.model.vocab.length - 4;
      j.pre_tokenizer = { type: "Metaspace", replacement: "\u2581", prepend_scheme: "always", split: true };
      j.decoder = { type: "CTC", pad_token: "<pad>", word_delimiter_token: "|", cleanup: true };
      await check(j);
    });
    it("WordLevel with unk", async () => {
      const j = clone("wordlevel");
      j.model.vocab["<unk>"] ??= Object.keys(j.model.vocab).length;
      j.model.unk_token = "<unk>";
      await check(j);
    });
  });

  describe("hand-built BPE", () => {
    /** A tiny BPE trainer: most frequent pair first, as many merges as asked. */
    function miniBpe(prefix: string | null, suffix: string | null, merges: number): Json {
      const words = corpus
        .split(/\s+/)
        .filter((w) => w.length > 0)
        .slice(0, 20000);
      const seqs = words.map((w) => {
        const chars = Array.from(w);
        return chars.map(
          (c, i) => `${i > 0 && prefix ? prefix : ""}${c}${i === chars.length - 1 && suffix ? suffix : ""}`,
        );
      });
      const vocab = new Map<string, number>();
      for (const s of seqs) for (const t of s) if (!vocab.has(t)) vocab.set(t, vocab.size);
      const mergeList: [string, string][] = [];
      for (let m = 0; m < merges; m++) {
        const counts = new Map<string, number>();
        for (const s of seqs)
          for (let i = 0; i + 1 < s.length; i++) {
            const k = `${s[i]}\u0000${s[i + 1]}`;
            counts.set(k, (counts.get(k) ?? 0) + 1);
          }
        let best = "";
        let bestCount = 0;
        for (const [k, c] of counts) if (c > bestCount || (c === bestCount && k < best)) [best, bestCount] = [k, c];
        if (bestCount < 2) break;
        const [a, b] = best.split("\u0000");
        const merged = a + b.slice(prefix ? prefix.length : 0);
        if (!vocab.has(merged)) vocab.set(merged, vocab.size);
        mergeList.push([a, b]);
        for (const s of seqs)
          for (let i = 0; i + 1 < s.length; i++) if (s[i] === a && s[i + 1] === b) s.splice(i, 2, merged);
      }
      return {
        version: "1.0",
        truncation: null,
        padding: null,
        added_tokens: [],
        normalizer: null,
        pre_tokenizer: { type: "WhitespaceSplit" },
        post_processor: null,
        decoder: null,
        model: {
          type: "BPE",
          dropout: null,
          unk_token: null,
          continuing_subword_prefix: prefix,
          end_of_word_suffix: suffix,
          fuse_unk: false,
          byte_fallback: false,
          ignore_merges: false,
          vocab: Object.fromEntries(vocab),
          merges: mergeList,
        },
      };
    }

    it("continuing_subword_prefix ## with merges as pairs", async () => {
      const j = miniBpe("##", null, 300);
      j.decoder = { type: "WordPiece", prefix: "##", cleanup: false };
      await check(j);
    });
    it("end_of_word_suffix </w> with a BPE decoder and unk", async () => {
      const j = miniBpe(null, "</w>", 300);
      j.model.vocab["<unk>"] = Object.keys(j.model.vocab).length;
      j.model.unk_token = "<unk>";
      j.model.merges = j.model.merges.map(([a, b]: [string, string]) => `${a} ${b}`);
      j.decoder = { type: "BPEDecoder", suffix: "</w>" };
      await check(j);
    });
    it("prefix and suffix with byte_fallback and fuse_unk", async () => {
      const j = miniBpe("##", "</w>", 200);
      let next = Object.keys(j.model.vocab).length;
      for (const t of [...byteTokens, "[UNK]"]) j.model.vocab[t] ??= next++;
      j.model.unk_token = "[UNK]";
      j.model.byte_fallback = true;
      j.model.fuse_unk = true;
      await check(j);
    });
  });
});
