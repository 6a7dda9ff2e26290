import { describe, it } from "vitest";
import { Tokenizer } from "../src/index.js";
import { FUZZ_SEED, sampleStrings } from "./helpers/arbitraries.js";
import { builtinByteLevelBpe, builtinWordPiece } from "./helpers/builtin.js";
import { FIXTURE_NAMES, fixtureJson, fixturesAvailable } from "./helpers/fixtures.js";
import { compareAll, expectNoMismatch, oracleFromJson } from "./helpers/oracle.js";

const PER_TOKENIZER = 1500;

/** fast-check generated strings (fresh seed each run), compared with the Rust oracle. */
describe(`generated strings vs Rust tokenizers (seed ${FUZZ_SEED}, replay with FUZZ_SEED)`, () => {
  const sources: [string, () => string][] = [
    ["builtin byte-level BPE", () => JSON.stringify(builtinByteLevelBpe())],
    ["builtin WordPiece", () => JSON.stringify(builtinWordPiece())],
    ...(fixturesAvailable ? FIXTURE_NAMES.map((n): [string, () => string] => [n, () => fixtureJson(n)]) : []),
  ];
  sources.forEach(([name, load], index) => {
    it(`${name}: ${PER_TOKENIZER} strings and ${PER_TOKENIZER / 5} pairs`, async () => {
      const json = load();
      const strings = sampleStrings(PER_TOKENIZER, FUZZ_SEED + index);
      const pairs = sampleStrings(PER_TOKENIZER / 5, FUZZ_SEED + 1000 + index).map((s, i): [string, string] => [
        s,
        strings[i],
      ]);
      const r = await compareAll(Tokenizer.fromJSON(json), oracleFromJson(json), [...strings, ...pairs]);
      expectNoMismatch(r);
    });
  });
});
