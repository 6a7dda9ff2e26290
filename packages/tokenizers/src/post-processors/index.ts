import { asArray, asObject, configError, optBool, type PostProcessor, unsupported } from "../components.js";
import type { RawEncoding } from "../encoding.js";
import { BertProcessing } from "./bert.js";
import { ByteLevelProcessing } from "./byte-level.js";
import { RobertaProcessing } from "./roberta.js";
import { TemplateProcessing } from "./template.js";

class SequenceProcessing implements PostProcessor {
  constructor(private readonly processors: PostProcessor[]) {}
  addedTokens(isPair: boolean): number {
    return this.processors.reduce((n, p) => n + p.addedTokens(isPair), 0);
  }
  processEncodings(encodings: RawEncoding[], addSpecialTokens: boolean): RawEncoding[] {
    let e = encodings;
    for (const p of this.processors) e = p.processEncodings(e, addSpecialTokens);
    return e;
  }
}

function tokenPair(value: unknown, path: string): [string, number] {
  const arr = asArray(value, path);
  if (arr.length !== 2 || typeof arr[0] !== "string" || typeof arr[1] !== "number")
    configError(path, "expected [token, id]");
  return [arr[0], arr[1]];
}

export function buildPostProcessor(value: unknown, path: string): PostProcessor {
  const json = asObject(value, path);
  const type = json.type;
  switch (type) {
    case "BertProcessing":
      return new BertProcessing(tokenPair(json.sep, `${path}.sep`), tokenPair(json.cls, `${path}.cls`));
    case "RobertaProcessing":
      return new RobertaProcessing(
        tokenPair(json.sep, `${path}.sep`),
        tokenPair(json.cls, `${path}.cls`),
        optBool(json, "trim_offsets", true, path),
        optBool(json, "add_prefix_space", true, path),
      );
    case "ByteLevel":
      return new ByteLevelProcessing(
        optBool(json, "trim_offsets", true, path),
        optBool(json, "add_prefix_space", true, path),
      );
    case "TemplateProcessing":
      return new TemplateProcessing(json, path);
    case "Sequence": {
      const list = asArray(json.processors, `${path}.processors`);
      return new SequenceProcessing(list.map((p, i) => buildPostProcessor(p, `${path}.processors[${i}]`)));
    }
    default:
      unsupported(path, type);
  }
}
