import {
  asArray,
  asObject,
  configError,
  type Decoder,
  optBool,
  optNumber,
  optString,
  unsupported,
} from "../components.js";
import { buildPattern, type PatternMatcher } from "../normalizers/replace.js";
import { ByteFallbackDecoder, ByteLevelDecoder } from "./bytes.js";
import {
  BpeDecoder,
  CtcDecoder,
  FuseDecoder,
  MetaspaceDecoder,
  ReplaceDecoder,
  StripDecoder,
  WordPieceDecoder,
} from "./text.js";

class SequenceDecoder implements Decoder {
  constructor(private readonly decoders: Decoder[]) {}
  decodeChain(tokens: string[]): string[] {
    let t = tokens;
    for (const d of this.decoders) t = d.decodeChain(t);
    return t;
  }
}

export function buildDecoder(value: unknown, path: string): Decoder {
  const json = asObject(value, path);
  const type = json.type;
  switch (type) {
    case "WordPiece":
      return new WordPieceDecoder(optString(json, "prefix", "##", path), optBool(json, "cleanup", true, path));
    case "ByteLevel":
      return new ByteLevelDecoder();
    case "Metaspace": {
      const replacement = optString(json, "replacement", "\u2581", path);
      let prepend = json.prepend_scheme ?? "always";
      if (json.add_prefix_space === false) prepend = "never";
      if (prepend !== "always" && prepend !== "first" && prepend !== "never") {
        configError(`${path}.prepend_scheme`, `${JSON.stringify(prepend)} is not supported`);
      }
      return new MetaspaceDecoder(replacement, prepend !== "never");
    }
    case "BPEDecoder":
      return new BpeDecoder(optString(json, "suffix", "</w>", path));
    case "ByteFallback":
      return new ByteFallbackDecoder();
    case "Fuse":
      return new FuseDecoder();
    case "Strip":
      return new StripDecoder(
        optString(json, "content", " ", path),
        optNumber(json, "start", 0, path),
        optNumber(json, "stop", 0, path),
      );
    case "Replace": {
      const pattern: PatternMatcher = buildPattern(json.pattern, `${path}.pattern`);
      return new ReplaceDecoder(pattern, optString(json, "content", "", path));
    }
    case "CTC":
      return new CtcDecoder(
        optString(json, "pad_token", "<pad>", path),
        optString(json, "word_delimiter_token", "|", path),
        optBool(json, "cleanup", true, path),
      );
    case "Sequence": {
      const list = asArray(json.decoders, `${path}.decoders`);
      return new SequenceDecoder(list.map((d, i) => buildDecoder(d, `${path}.decoders[${i}]`)));
    }
    default:
      unsupported(path, type);
  }
}
