import { asArray, asObject, configError, type Normalizer, optBool, optString, unsupported } from "../components.js";
import { BertNormalizer } from "./bert.js";
import { ByteLevelNormalizer } from "./byte-level.js";
import { PrecompiledNormalizer } from "./precompiled.js";
import { buildPattern, ReplaceNormalizer } from "./replace.js";
import { Lowercase, Prepend, SequenceNormalizer, Strip, StripAccents } from "./simple.js";
import { UnicodeNormalizer } from "./unicode-forms.js";

/** Builds a normalizer from its tokenizer.json object; `path` names it in errors. */
export function buildNormalizer(value: unknown, path: string): Normalizer {
  const json = asObject(value, path);
  const type = json.type;
  switch (type) {
    case "BertNormalizer": {
      const lowercase = optBool(json, "lowercase", true, path);
      const stripAccents = json.strip_accents;
      return new BertNormalizer(
        optBool(json, "clean_text", true, path),
        optBool(json, "handle_chinese_chars", true, path),
        stripAccents === null || stripAccents === undefined
          ? lowercase
          : optBool(json, "strip_accents", lowercase, path),
        lowercase,
      );
    }
    case "NFC":
    case "NFD":
    case "NFKC":
    case "NFKD":
      return new UnicodeNormalizer(type);
    case "Lowercase":
      return new Lowercase();
    case "StripAccents":
      return new StripAccents();
    case "Strip":
      return new Strip(optBool(json, "strip_left", true, path), optBool(json, "strip_right", true, path));
    case "Replace":
      return new ReplaceNormalizer(buildPattern(json.pattern, `${path}.pattern`), optString(json, "content", "", path));
    case "Prepend":
      return new Prepend(optString(json, "prepend", "", path));
    case "Precompiled": {
      const map = json.precompiled_charsmap;
      if (typeof map !== "string") configError(`${path}.precompiled_charsmap`, "expected a base64 string");
      return new PrecompiledNormalizer(map, path);
    }
    case "ByteLevel":
      return new ByteLevelNormalizer();
    case "Sequence": {
      const list = asArray(json.normalizers, `${path}.normalizers`);
      return new SequenceNormalizer(list.map((n, i) => buildNormalizer(n, `${path}.normalizers[${i}]`)));
    }
    default:
      unsupported(path, type);
  }
}
