import { asArray, asObject, configError, optBool, optString, type PreTokenizer, unsupported } from "../components.js";
import type { SplitBehavior } from "../normalized-string.js";
import { buildPattern } from "../normalizers/replace.js";
import { BertPreTokenizer } from "./bert.js";
import { ByteLevelPreTokenizer } from "./byte-level.js";
import { MetaspacePreTokenizer, type PrependScheme } from "./metaspace.js";
import {
  CharDelimiterSplit,
  DigitsPreTokenizer,
  PunctuationPreTokenizer,
  SequencePreTokenizer,
  SplitPreTokenizer,
  WhitespacePreTokenizer,
  WhitespaceSplit,
} from "./split.js";
import { UnicodeScriptsPreTokenizer } from "./unicode-scripts.js";

const BEHAVIORS: Record<string, SplitBehavior> = {
  Removed: "removed",
  Isolated: "isolated",
  MergedWithPrevious: "merged_with_previous",
  MergedWithNext: "merged_with_next",
  Contiguous: "contiguous",
};

function behavior(value: unknown, fallback: SplitBehavior, path: string): SplitBehavior {
  if (value === undefined || value === null) return fallback;
  const b = typeof value === "string" ? BEHAVIORS[value] : undefined;
  if (!b) configError(path, `behavior ${JSON.stringify(value)} is not supported`);
  return b;
}

export function buildPreTokenizer(value: unknown, path: string): PreTokenizer {
  const json = asObject(value, path);
  const type = json.type;
  switch (type) {
    case "BertPreTokenizer":
      return new BertPreTokenizer();
    case "ByteLevel":
      return new ByteLevelPreTokenizer(
        optBool(json, "add_prefix_space", true, path),
        optBool(json, "use_regex", true, path),
      );
    case "Whitespace":
      return new WhitespacePreTokenizer();
    case "WhitespaceSplit":
      return new WhitespaceSplit();
    case "Metaspace": {
      const replacement = optString(json, "replacement", "\u2581", path);
      if ([...replacement].length !== 1) configError(`${path}.replacement`, "expected a single char");
      let scheme: PrependScheme = "always";
      const raw = json.prepend_scheme;
      if (raw !== undefined && raw !== null) {
        if (raw !== "always" && raw !== "first" && raw !== "never") {
          configError(`${path}.prepend_scheme`, `${JSON.stringify(raw)} is not supported`);
        }
        scheme = raw;
      }
      if (json.add_prefix_space === false) {
        if (scheme !== "never") configError(path, "add_prefix_space does not match declared prepend_scheme");
        scheme = "never";
      }
      return new MetaspacePreTokenizer(replacement, scheme, optBool(json, "split", true, path));
    }
    case "Split":
      return new SplitPreTokenizer(
        buildPattern(json.pattern, `${path}.pattern`),
        behavior(json.behavior, "isolated", `${path}.behavior`),
        optBool(json, "invert", false, path),
      );
    case "Punctuation":
      return new PunctuationPreTokenizer(behavior(json.behavior, "isolated", `${path}.behavior`));
    case "Digits":
      return new DigitsPreTokenizer(optBool(json, "individual_digits", false, path));
    case "CharDelimiterSplit": {
      const d = optString(json, "delimiter", "", path);
      if ([...d].length !== 1) configError(`${path}.delimiter`, "expected a single char");
      return new CharDelimiterSplit(d);
    }
    case "UnicodeScripts":
      return new UnicodeScriptsPreTokenizer();
    case "Sequence": {
      const list = asArray(json.pretokenizers, `${path}.pretokenizers`);
      return new SequencePreTokenizer(list.map((p, i) => buildPreTokenizer(p, `${path}.pretokenizers[${i}]`)));
    }
    default:
      unsupported(path, type);
  }
}
