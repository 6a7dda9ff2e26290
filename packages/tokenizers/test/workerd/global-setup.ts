import type { TestProject } from "vitest/node";
import { corpusLines, fixtureJson, fixturesAvailable } from "../helpers/fixtures.js";
import { EDGE_INPUTS } from "../helpers/inputs.js";
import { fromOracle, oracleFromJson, type Plain } from "../helpers/oracle.js";

export interface WorkerdFixtures {
  available: boolean;
  inputs: (string | [string, string])[];
  tokenizers: Record<string, { json: string; expected: Plain[]; decoded: string[] }>;
}

declare module "vitest" {
  export interface ProvidedContext {
    workerdFixtures: WorkerdFixtures;
  }
}

/**
 * Runs in Node before the workerd project: workerd has no file system, so the fixture
 * files and the Rust oracle's expectations are computed here and provided to the tests.
 */
export default async function setup(project: TestProject) {
  const data: WorkerdFixtures = { available: fixturesAvailable, inputs: [], tokenizers: {} };
  if (fixturesAvailable) {
    const lines = corpusLines().filter((_, i) => i % 5 === 0);
    data.inputs = [...EDGE_INPUTS, ...lines, ...lines.slice(0, 40).map((l, i): [string, string] => [l, lines[i + 40]])];
    for (const name of ["bert-base-uncased", "gpt2"] as const) {
      const json = fixtureJson(name);
      const oracle = oracleFromJson(json);
      const expected: Plain[] = [];
      const decoded: string[] = [];
      for (const input of data.inputs) {
        const [a, b] = typeof input === "string" ? [input, null] : input;
        const enc = fromOracle(await oracle.encode(a, b));
        expected.push(enc);
        decoded.push(await oracle.decode(enc.ids, false));
      }
      data.tokenizers[name] = { json, expected, decoded };
    }
  }
  project.provide("workerdFixtures", data);
}
