import { configError, type Json, type Normalizer } from "../components.js";
import type { NormalizedString } from "../normalized-string.js";
import { regexMatches, stringMatches } from "../pattern.js";
import { translateRegex } from "../unicode.js";

/** A `{String: ...}` or `{Regex: ...}` pattern as found in Replace and Split. */
export type PatternMatcher = (s: string) => number[];

export function buildPattern(value: unknown, path: string): PatternMatcher {
  const p = value as Json | null;
  if (p && typeof p === "object" && typeof p.String === "string") {
    const needle = p.String;
    return (s) => stringMatches(s, needle);
  }
  if (p && typeof p === "object" && typeof p.Regex === "string") {
    let re: RegExp;
    try {
      re = new RegExp(translateRegex(p.Regex), "gu");
    } catch (e) {
      configError(path, `regex ${JSON.stringify(p.Regex)} is not supported: ${(e as Error).message}`);
    }
    return (s) => regexMatches(re, s);
  }
  configError(path, "expected {String: ...} or {Regex: ...}");
}

export class ReplaceNormalizer implements Normalizer {
  constructor(
    private readonly pattern: PatternMatcher,
    private readonly content: string,
  ) {}
  normalize(input: NormalizedString): void {
    input.replace(this.pattern(input.normalized), this.content);
  }
}
