// What the fixture-variant tests share: fixtures loaded once and cloned per edit, one input list
// (edge cases, every 10th corpus line, random strings) with pairs drawn from it, and a check that
// our tokenizer and the Rust oracle, both loading the same edited JSON, agree on every input.
import { type EncodeOptions, Tokenizer } from "../../src/index.js";
import { corpusLines, type FixtureName, fixtureJson, fixturesAvailable } from "./fixtures.js";
import { EDGE_INPUTS, randomStrings } from "./inputs.js";
import { compareAll, expectNoMismatch, oracleFromJson } from "./oracle.js";

// biome-ignore lint/suspicious/noExplicitAny: tokenizer.json is edited freely by these tests
export type Json = any;

export function variantHarness() {
  const base: Partial<Record<FixtureName, Json>> = {};
  /** A fresh, editable copy of a fixture's tokenizer.json. */
  const load = (name: FixtureName): Json => {
    base[name] ??= JSON.parse(fixtureJson(name));
    return structuredClone(base[name]);
  };
  const lines = fixturesAvailable ? corpusLines() : [];
  const inputs = [...EDGE_INPUTS, ...lines.filter((_, i) => i % 10 === 0), ...randomStrings(150, 11)];
  const pairs: [string, string][] = inputs.slice(0, 120).map((s, i) => [s, inputs[(i * 13 + 5) % inputs.length]]);
  async function check(json: Json, options: EncodeOptions = {}, list: (string | [string, string])[] = inputs) {
    const text = JSON.stringify(json);
    const r = await compareAll(Tokenizer.fromJSON(text), oracleFromJson(text), list, options);
    expectNoMismatch(r);
  }
  return { load, lines, inputs, pairs, check };
}
