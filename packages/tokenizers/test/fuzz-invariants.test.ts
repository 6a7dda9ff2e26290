import { describe, expect, it } from "vitest";
import { Tokenizer } from "../src/index.js";
import { FUZZ_SEED, sampleStrings } from "./helpers/arbitraries.js";
import { builtinByteLevelBpe, builtinWordPiece } from "./helpers/builtin.js";
import { FIXTURE_NAMES, fixtureJson, fixturesAvailable } from "./helpers/fixtures.js";

const TOTAL = 100_000;

function isLowSurrogate(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return c >= 0xdc00 && c <= 0xdfff && i > 0 && text.charCodeAt(i - 1) >= 0xd800 && text.charCodeAt(i - 1) <= 0xdbff;
}

/**
 * At least 100,000 generated strings per run through our implementation only: no exception,
 * offsets inside the text, never splitting a surrogate pair, and in non-decreasing order.
 */
describe(`fuzz invariants (${TOTAL} strings, seed ${FUZZ_SEED})`, () => {
  const jsons: [string, string][] = [
    ["builtin byte-level BPE", JSON.stringify(builtinByteLevelBpe())],
    ["builtin WordPiece", JSON.stringify(builtinWordPiece())],
    ...(fixturesAvailable ? FIXTURE_NAMES.map((n): [string, string] => [n, fixtureJson(n)]) : []),
  ];
  const per = Math.ceil(TOTAL / jsons.length);

  jsons.forEach(([name, json], index) => {
    it(`${name}: ${per} strings`, () => {
      const tok = Tokenizer.fromJSON(json);
      const strings = sampleStrings(per, FUZZ_SEED + 7 * index);
      let checked = 0;
      for (const text of strings) {
        const enc = tok.encode(text, null, { truncation: false });
        let lastStart = 0;
        let lastEnd = 0;
        for (let i = 0; i < enc.ids.length; i++) {
          if (enc.sequenceIds[i] === null) continue;
          const [start, end] = enc.offsets[i];
          if (
            !(start >= 0 && start <= end && end <= text.length) ||
            isLowSurrogate(text, start) ||
            isLowSurrogate(text, end)
          ) {
            expect.fail(`${name}: offsets [${start}, ${end}] of token ${i} invalid for ${JSON.stringify(text)}`);
          }
          if (start < lastStart || end < lastEnd) {
            expect.fail(
              `${name}: offsets out of order at token ${i} for ${JSON.stringify(text)}: ${JSON.stringify(enc.offsets)}`,
            );
          }
          lastStart = start;
          lastEnd = end;
        }
        const cp = tok.encode(text, null, { truncation: false, offsets: "codepoint" });
        expect(cp.ids).toBe(cp.ids); // same call path with code point offsets must not throw either
        tok.decode(enc.ids);
        checked++;
      }
      expect(checked).toBe(per);
    });
  });
});
