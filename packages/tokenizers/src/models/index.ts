import { asObject, configError, type Model, optBool, optNumber, optString, unsupported } from "../components.js";
import { BpeModel } from "./bpe.js";
import { UnigramModel } from "./unigram.js";
import { Vocab } from "./vocab.js";
import { WordLevelModel } from "./wordlevel.js";
import { WordPieceModel } from "./wordpiece.js";

/** The model type, read like Rust: explicit `type`, else guessed from the fields (old schema). */
function modelType(json: Record<string, unknown>): unknown {
  if (json.type !== undefined) return json.type;
  if (Array.isArray(json.vocab)) return "Unigram";
  if (json.merges !== undefined) return "BPE";
  if (json.continuing_subword_prefix !== undefined || json.max_input_chars_per_word !== undefined) return "WordPiece";
  return "WordLevel";
}

function nullableString(json: Record<string, unknown>, key: string, path: string): string | null {
  const v = json[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== "string") configError(`${path}.${key}`, "expected a string");
  return v;
}

export function buildModel(value: unknown, path: string): Model {
  const json = asObject(value, path);
  const type = modelType(json);
  switch (type) {
    case "WordPiece":
      return new WordPieceModel(
        Vocab.fromObject(json.vocab, `${path}.vocab`),
        optString(json, "unk_token", "[UNK]", path),
        optString(json, "continuing_subword_prefix", "##", path),
        optNumber(json, "max_input_chars_per_word", 100, path),
        path,
      );
    case "BPE":
      return new BpeModel(
        Vocab.fromObject(json.vocab, `${path}.vocab`),
        json.merges,
        {
          unkToken: nullableString(json, "unk_token", path),
          continuingSubwordPrefix: nullableString(json, "continuing_subword_prefix", path),
          endOfWordSuffix: nullableString(json, "end_of_word_suffix", path),
          fuseUnk: optBool(json, "fuse_unk", false, path),
          byteFallback: optBool(json, "byte_fallback", false, path),
          ignoreMerges: optBool(json, "ignore_merges", false, path),
        },
        path,
      );
    case "Unigram": {
      const unk = json.unk_id;
      if (unk !== undefined && unk !== null && typeof unk !== "number")
        configError(`${path}.unk_id`, "expected a number");
      return new UnigramModel(
        json.vocab,
        (unk as number | null | undefined) ?? null,
        optBool(json, "byte_fallback", false, path),
        path,
      );
    }
    case "WordLevel":
      return new WordLevelModel(
        Vocab.fromObject(json.vocab, `${path}.vocab`),
        optString(json, "unk_token", "<unk>", path),
      );
    default:
      unsupported(path, type);
  }
}
