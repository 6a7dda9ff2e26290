/**
 * Runs in Node before the workerd tests: reads the real tokenizer fixtures and asks the Rust
 * `tokenizers` library (the oracle) for its answers, then hands both to the tests inside
 * workerd through vitest's provide/inject.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Tokenizer as RustTokenizer } from "@anush008/tokenizers";
import type { TestProject } from "vitest/node";

export interface OracleCase {
  fixture: string;
  tokenizerJson: string;
  texts: string[];
  ids: number[][];
  /** Code-point offsets, as Rust reports them. */
  offsets: [number, number][][];
}

declare module "vitest" {
  export interface ProvidedContext {
    oracle: OracleCase[] | { skipped: string };
  }
}

const FIXTURES = ["bert-base-uncased", "gpt2"];

export default async function setup(project: TestProject): Promise<void> {
  const dir = resolve(
    process.env.FIXTURES_DIR ?? resolve(import.meta.dirname, "../../../../shared/fixtures"),
    "tokenizers",
  );
  if (!existsSync(dir)) {
    project.provide("oracle", { skipped: `fixtures not found at ${dir} (set FIXTURES_DIR)` });
    return;
  }
  const corpus = readFileSync(resolve(dir, "../corpora/mixed-2000.jsonl"), "utf8")
    .split("\n")
    .filter(Boolean)
    .slice(0, 60)
    .map((line) => JSON.parse(line) as string);
  const cases: OracleCase[] = [];
  for (const fixture of FIXTURES) {
    const path = join(dir, fixture, "tokenizer.json");
    const rust = await RustTokenizer.fromFile(path);
    const encodings = await Promise.all(corpus.map((text) => rust.encode(text, null)));
    cases.push({
      fixture,
      tokenizerJson: readFileSync(path, "utf8"),
      texts: corpus,
      ids: encodings.map((e) => e.getIds()),
      offsets: encodings.map((e) => e.getOffsets() as [number, number][]),
    });
  }
  project.provide("oracle", cases);
}
