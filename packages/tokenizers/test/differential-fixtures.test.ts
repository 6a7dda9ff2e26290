import { describe, expect, it } from "vitest";
import { Tokenizer } from "../src/index.js";
import { corpusLines, FIXTURE_NAMES, fixtureJson, fixturesAvailable } from "./helpers/fixtures.js";
import { compareAll, expectNoMismatch, oracleFromJson } from "./helpers/oracle.js";
import { mulberry32 } from "./helpers/random.js";

/**
 * Every shared fixture against the Rust oracle on every corpus line, plus random sentence
 * pairs, with and without special tokens, using the truncation block of each file.
 */
describe.skipIf(!fixturesAvailable)("shared fixtures vs Rust tokenizers", () => {
  const lines = fixturesAvailable ? corpusLines() : [];

  it("the corpus has 2000 lines", () => {
    expect(lines.length).toBe(2000);
  });

  for (const name of FIXTURE_NAMES) {
    describe(name, () => {
      const json = fixturesAvailable ? fixtureJson(name) : "{}";

      it("every corpus line (single sequence)", async () => {
        const r = await compareAll(Tokenizer.fromJSON(json), oracleFromJson(json), lines);
        expect(r.compared).toBe(2000);
        expectNoMismatch(r);
      });

      it("random sentence pairs", async () => {
        const rand = mulberry32(name.length * 7919);
        const pairs: [string, string][] = [];
        for (let i = 0; i < 400; i++) {
          pairs.push([lines[Math.floor(rand() * lines.length)], lines[Math.floor(rand() * lines.length)]]);
        }
        expectNoMismatch(await compareAll(Tokenizer.fromJSON(json), oracleFromJson(json), pairs));
      });

      it("without special tokens", async () => {
        const r = await compareAll(Tokenizer.fromJSON(json), oracleFromJson(json), lines.slice(0, 500), {
          addSpecialTokens: false,
        });
        expectNoMismatch(r);
      });

      it("vocabulary lookups", () => {
        const ours = Tokenizer.fromJSON(json);
        const oracle = oracleFromJson(json);
        expect(ours.vocabSize).toBe(oracle.getVocabSize(true));
        for (let id = 0; id < ours.vocabSize; id += 97) {
          const token = oracle.idToToken(id);
          expect(ours.idToToken(id)).toBe(token ?? undefined);
          if (token !== null) expect(ours.tokenToId(token)).toBe(oracle.tokenToId(token));
        }
      });
    });
  }
});
