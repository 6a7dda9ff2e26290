/**
 * Which models the engine can run: the model_type from config.json and the head named by its
 * `architectures`. Anything else is refused with a message that lists what is supported, so a
 * user learns immediately instead of getting a wrong answer from a half-understood model.
 */
import { ModelFolderError } from "./errors.js";

/** BERT and its descendants (MiniLM, BGE, E5 and GTE-v1 are all model_type "bert"). */
export const ENCODER_MODEL_TYPES = ["bert", "distilbert", "roberta", "xlm-roberta", "electra", "albert"] as const;
export type EncoderModelType = (typeof ENCODER_MODEL_TYPES)[number];

export const HEADS = [
  "base",
  "ForSequenceClassification",
  "ForTokenClassification",
  "ForQuestionAnswering",
  "ForMaskedLM",
] as const;
export type Head = (typeof HEADS)[number];

/** Class-name prefix transformers uses for each model_type ("BertForMaskedLM", "XLMRobertaModel"). */
const CLASS_PREFIX: Record<EncoderModelType, string> = {
  bert: "Bert",
  distilbert: "DistilBert",
  roberta: "Roberta",
  "xlm-roberta": "XLMRoberta",
  electra: "Electra",
  albert: "Albert",
};

export interface EncoderArchitecture {
  kind: "encoder";
  modelType: EncoderModelType;
  head: Head;
  /** The `architectures[0]` class name, or null when config.json has none (then: base model). */
  className: string | null;
}

export interface StaticArchitecture {
  kind: "static";
  modelType: "model2vec";
}

export type Architecture = EncoderArchitecture | StaticArchitecture;

const SUPPORTED_TEXT =
  `supported model_type values: ${ENCODER_MODEL_TYPES.join(", ")}, model2vec; ` +
  `supported heads: ${HEADS.map((h) => (h === "base" ? "base model" : h)).join(", ")}`;

/** Resolves config.json's model_type and architectures, or throws a ModelFolderError naming config.json. */
export function resolveArchitecture(config: Record<string, unknown>, file = "config.json"): Architecture {
  const modelType = config.model_type;
  if (modelType === "model2vec") return { kind: "static", modelType };
  if (typeof modelType !== "string")
    throw new ModelFolderError(`"model_type" is missing or not a string (${SUPPORTED_TEXT})`, file);
  if (!(ENCODER_MODEL_TYPES as readonly string[]).includes(modelType)) {
    throw new ModelFolderError(`model_type "${modelType}" is not supported (${SUPPORTED_TEXT})`, file);
  }
  const type = modelType as EncoderModelType;
  const architectures = config.architectures;
  if (architectures === undefined || architectures === null)
    return { kind: "encoder", modelType: type, head: "base", className: null };
  if (!Array.isArray(architectures) || architectures.length === 0 || typeof architectures[0] !== "string") {
    throw new ModelFolderError(
      `"architectures" must be a non-empty array of class names, got ${JSON.stringify(architectures)}`,
      file,
    );
  }
  if (architectures.length > 1) {
    throw new ModelFolderError(
      `"architectures" lists several classes (${architectures.join(", ")}); exactly one is supported`,
      file,
    );
  }
  const className = architectures[0] as string;
  const prefix = CLASS_PREFIX[type];
  if (!className.startsWith(prefix)) {
    throw new ModelFolderError(
      `architecture "${className}" does not belong to model_type "${type}" (expected ${prefix}…)`,
      file,
    );
  }
  const suffix = className.slice(prefix.length);
  const head: Head | undefined =
    suffix === "Model" ? "base" : (HEADS as readonly string[]).includes(suffix) ? (suffix as Head) : undefined;
  if (head === undefined)
    throw new ModelFolderError(`architecture "${className}" has an unsupported head (${SUPPORTED_TEXT})`, file);
  return { kind: "encoder", modelType: type, head, className };
}
