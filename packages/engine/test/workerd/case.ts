// Shared by vitest.config.ts (Node computes the reference) and load-model.test.ts (workerd).
import type { TinyEncoderOptions } from "../../src/testing/tiny-encoder.js";

export const WORKERD_CASE: {
  options: TinyEncoderOptions;
  inputs: { inputIds: number[][]; attentionMask: number[][] };
} = {
  options: { seed: 202, modelType: "roberta", head: "ForSequenceClassification" },
  inputs: {
    inputIds: [
      [0, 9, 14, 5, 2],
      [0, 7, 2, 1, 1],
    ],
    attentionMask: [
      [1, 1, 1, 1, 1],
      [1, 1, 1, 0, 0],
    ],
  },
};
