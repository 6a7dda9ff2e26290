import { describe, expect, inject, it } from "vitest";
import { Tokenizer } from "../../src/index.js";

/**
 * Inside workerd: the bert and gpt2 fixtures (read in Node by the global setup) must give
 * exactly the Rust oracle's encodings, computed in Node.
 */
const data = inject("workerdFixtures");

describe("tokenizers inside workerd", () => {
  it("runs in workerd", () => {
    expect(typeof navigator !== "undefined" ? navigator.userAgent : "").toContain("Cloudflare-Workers");
  });

  it.skipIf(!data.available)("fixtures are provided", () => {
    expect(Object.keys(data.tokenizers).sort()).toEqual(["bert-base-uncased", "gpt2"]);
    expect(data.inputs.length).toBeGreaterThan(400);
  });

  for (const name of ["bert-base-uncased", "gpt2"]) {
    it.skipIf(!data.available)(`${name} matches the Rust oracle`, () => {
      const { json, expected, decoded } = data.tokenizers[name];
      const tok = Tokenizer.fromJSON(json);
      const mismatches: string[] = [];
      data.inputs.forEach((input, i) => {
        const [a, b] = typeof input === "string" ? [input, null] : input;
        const enc = tok.encode(a, b, { offsets: "codepoint" });
        const actual = {
          ids: enc.ids,
          tokens: enc.tokens,
          typeIds: enc.typeIds,
          offsets: enc.offsets,
          wordIds: enc.wordIds,
          sequenceIds: enc.sequenceIds,
          specialTokensMask: enc.specialTokensMask,
          attentionMask: enc.attentionMask,
        };
        const { overflowing, ...want } = expected[i];
        if (JSON.stringify(actual) !== JSON.stringify(want) || enc.overflowing.length !== overflowing.length) {
          mismatches.push(JSON.stringify(input).slice(0, 120));
        }
        if (tok.decode(enc.ids) !== decoded[i]) mismatches.push(`decode ${JSON.stringify(input).slice(0, 120)}`);
      });
      expect(mismatches).toEqual([]);
    });
  }
});
