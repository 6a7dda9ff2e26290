import { describe, expect, it } from "vitest";
import { type EncodeOptions, Tokenizer } from "../src/index.js";
import { fixturesAvailable } from "./helpers/fixtures.js";
import { EDGE_INPUTS } from "./helpers/inputs.js";
import { compareAll, expectNoMismatch, oracleFromJson } from "./helpers/oracle.js";
import { variantHarness } from "./helpers/variants.js";

/** Every truncation strategy and direction, with stride, and padding, against the oracle. */
describe.skipIf(!fixturesAvailable)("truncation and padding vs Rust tokenizers", () => {
  const { load, lines, inputs, pairs, check } = variantHarness();

  describe("truncation", () => {
    const strategies = ["longest_first", "only_first", "only_second"] as const;
    for (const name of ["bert-base-uncased", "roberta", "t5-small", "gpt2"] as const) {
      for (const strategy of strategies) {
        for (const direction of ["right", "left"] as const) {
          it(`${name} ${strategy} ${direction}`, async () => {
            const j = load(name);
            // Long enough to truncate, short enough that pair overflow cross products stay small.
            const long = lines.filter((l) => l.length > 80 && l.length < 220).slice(0, 28);
            const list: (string | [string, string])[] = [
              ...long.slice(0, 14),
              ...long.slice(14).map((l, i): [string, string] => [l, long[i]]),
              ...long.slice(0, 8).map((l, i): [string, string] => [EDGE_INPUTS[i + 5], l]),
            ];
            for (const [maxLength, stride] of [
              [20, 0],
              [31, 4],
            ]) {
              await check(j, { truncation: { maxLength, strategy, direction, stride } }, list);
            }
            await check(
              j,
              { truncation: { maxLength: 18, strategy, direction, stride: 2 }, addSpecialTokens: false },
              list,
            );
          });
        }
      }
    }
    it("max_length 0 moves everything to overflowing", async () => {
      await check(
        load("bert-base-uncased"),
        { truncation: { maxLength: 0 }, addSpecialTokens: false },
        pairs.slice(0, 20),
      );
    });
  });

  describe("padding (encodeBatch)", () => {
    for (const name of ["bert-base-uncased", "gpt2", "t5-small"] as const) {
      it(name, async () => {
        const j = load(name);
        const text = JSON.stringify(j);
        const ours = Tokenizer.fromJSON(text);
        const oracle = oracleFromJson(text);
        // The binding's encodeBatch takes single strings only; pairs are covered below.
        const batch: string[] = inputs.slice(0, 18);
        const optionsList: EncodeOptions[] = [
          { padding: { strategy: "longest" } },
          { padding: { strategy: "longest", direction: "left", padToMultipleOf: 8, padId: 3, padToken: "<pad>" } },
          { padding: { strategy: "max_length", maxLength: 40 }, truncation: { maxLength: 30, stride: 2 } },
          { padding: { maxLength: 50, direction: "left" }, truncation: { maxLength: 16, direction: "left" } },
        ];
        for (const options of optionsList) {
          const { applyToOracle, fromOracle, fromOurs } = await import("./helpers/oracle.js");
          oracle.disableTruncation();
          applyToOracle(oracle, options);
          const expected = (await oracle.encodeBatch(batch)).map(fromOracle);
          const actual = ours.encodeBatch(batch, { ...options, offsets: "codepoint" }).map(fromOurs);
          expect(actual).toEqual(expected);
        }
        oracle.disablePadding();
        const padded = await compareAll(ours, oracle, pairs.slice(0, 30), {
          padding: { maxLength: 64, direction: "left" },
          truncation: { maxLength: 40, stride: 3 },
        });
        expectNoMismatch(padded);
      });
    }
  });
});
