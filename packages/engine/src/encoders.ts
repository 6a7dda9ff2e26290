/** The encoder of each model_type on the kernels backend (one file per tensor layout). */
import type { Kernels } from "@edgeformers/kernels";
import type { EncoderArchitecture } from "./architecture.js";
import { buildAlbert } from "./backends/albert.js";
import { BertEncoder } from "./backends/bert.js";
import { buildDistilBert } from "./backends/distilbert.js";
import type { EncoderParts } from "./backends/encoder.js";
import type { Int8Kernel, WeightDtype, WeightReader } from "./backends/weights.js";
import type { EncoderConfig } from "./encoder-config.js";
import { ModelFolderError } from "./errors.js";
import type { TensorStore } from "./safetensors.js";

export interface BuiltEncoder {
  parts: EncoderParts;
  reader: WeightReader;
}

export function buildEncoder(
  kernels: Kernels,
  store: TensorStore,
  config: EncoderConfig,
  rawConfig: Readonly<Record<string, unknown>>,
  architecture: EncoderArchitecture,
  dtype: WeightDtype,
  file: string,
  int8Kernel?: Int8Kernel,
): BuiltEncoder {
  // Relative position embeddings (relative_key, relative_key_query) add an attention bias the
  // kernels path does not compute: refuse rather than return plausible but wrong outputs.
  const positionType = rawConfig.position_embedding_type ?? "absolute";
  if (positionType !== "absolute") {
    throw new ModelFolderError(
      `"position_embedding_type" ${JSON.stringify(positionType)} is not supported (supported: absolute)`,
      "config.json",
    );
  }
  switch (architecture.modelType) {
    case "distilbert":
      return buildDistilBert(kernels, store, config, dtype, file, int8Kernel);
    case "albert":
      return buildAlbert(kernels, store, config, rawConfig, dtype, file, int8Kernel);
    default: {
      // bert, roberta, xlm-roberta, electra share BERT's tensor layout.
      const encoder = new BertEncoder(kernels, store, config, architecture, undefined, file, dtype, int8Kernel);
      return { parts: encoder.parts, reader: encoder.reader };
    }
  }
}
