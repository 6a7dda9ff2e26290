import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The shared fixtures folder: $FIXTURES_DIR, else ../shared/fixtures next to the repo root. */
export const FIXTURES_DIR =
  process.env.FIXTURES_DIR ?? resolve(dirname(fileURLToPath(import.meta.url)), "../../../../../shared/fixtures");

export const FIXTURE_NAMES = [
  "bert-base-uncased",
  "distilbert",
  "bert-base-chinese",
  "gpt2",
  "roberta",
  "t5-small",
] as const;
export type FixtureName = (typeof FIXTURE_NAMES)[number];

export const fixturesAvailable = existsSync(resolve(FIXTURES_DIR, "tokenizers/bert-base-uncased/tokenizer.json"));

if (!fixturesAvailable) {
  console.warn(
    `[tokenizers tests] shared fixtures not found at ${FIXTURES_DIR} (set FIXTURES_DIR): fixture-based suites are SKIPPED`,
  );
}

export function fixtureJson(name: FixtureName): string {
  return readFileSync(resolve(FIXTURES_DIR, "tokenizers", name, "tokenizer.json"), "utf8");
}

export function fixtureConfig(name: FixtureName): string {
  return readFileSync(resolve(FIXTURES_DIR, "tokenizers", name, "tokenizer_config.json"), "utf8");
}

export function corpusLines(): string[] {
  return readFileSync(resolve(FIXTURES_DIR, "corpora/mixed-2000.jsonl"), "utf8")
    .split("\n")
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as string);
}

export function corpusText(name: "war-and-peace.txt" | "hongloumeng.txt"): string {
  return readFileSync(resolve(FIXTURES_DIR, "corpora", name), "utf8");
}
