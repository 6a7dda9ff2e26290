/**
 * Every architecture × head the kernels backend runs, through the public loadModel API, against
 * onnxruntime-node on an ONNX graph built from the same tensors: a padded batch with sentence
 * pairs (token_type_ids where the model has them), every output compared element by element.
 */
import { describe, expect, it } from "vitest";
import type { EncoderModelType, Head } from "../../src/index.js";
import { compareWithOrt } from "../helpers/ort-compare.js";

const HEADS: Head[] = [
  "base",
  "ForSequenceClassification",
  "ForTokenClassification",
  "ForQuestionAnswering",
  "ForMaskedLM",
];

const ARCHITECTURES: { modelType: EncoderModelType; seed: number }[] = [
  { modelType: "bert", seed: 11 },
  { modelType: "distilbert", seed: 21 },
  { modelType: "roberta", seed: 31 },
  { modelType: "xlm-roberta", seed: 41 },
  { modelType: "electra", seed: 51 },
  { modelType: "albert", seed: 61 },
];

const cases = ARCHITECTURES.flatMap(({ modelType, seed }) =>
  HEADS.map((head, i) => ({ modelType, head, seed: seed + i })),
);

describe("architecture × head against onnxruntime-node (max abs error < 1e-4)", () => {
  it.each(cases)("$modelType $head", async ({ modelType, head, seed }) => {
    const { errors } = await compareWithOrt({ seed, modelType, head });
    for (const [name, err] of Object.entries(errors)) {
      console.info(`[ort] ${modelType} ${head} ${name}: max abs error ${err.toExponential(2)}`);
      expect(err, name).toBeLessThan(1e-4);
    }
  });
});

describe("BERT head checkpoints with and without the bert. prefix", () => {
  it.each(["", "bert."])("ForTokenClassification with prefix %j", async (prefix) => {
    const { errors, tiny } = await compareWithOrt({ seed: 5, head: "ForTokenClassification", prefix });
    expect(Object.keys(tiny.tensors).some((n) => n.startsWith("bert."))).toBe(prefix === "bert.");
    expect(errors.logits).toBeLessThan(1e-4);
  });

  it("ForMaskedLM uses a stored decoder weight when the checkpoint has one, gelu_new transform", async () => {
    const { errors, tiny } = await compareWithOrt({
      seed: 6,
      head: "ForMaskedLM",
      untiedDecoderCopy: true,
      hiddenAct: "gelu_new",
    });
    expect(tiny.tensors["cls.predictions.decoder.weight"]).toBeDefined();
    expect(errors.logits).toBeLessThan(1e-4);
  });

  it("sequence-classification logits of a padded row equal the row run alone", async () => {
    const { model, ours } = await compareWithOrt({ seed: 7, head: "ForSequenceClassification" });
    const alone = await model.forward({ inputIds: [[2, 8, 3]], tokenTypeIds: [[0, 0, 0]] });
    const labels = alone.logits.dims[1];
    for (let j = 0; j < labels; j++) expect(alone.logits.data[j]).toBeCloseTo(ours.logits[2 * labels + j], 5);
  });
});

describe("factorised embeddings and position ids", () => {
  it("ELECTRA with embedding_size 8 < hidden 16 goes through embeddings_project", async () => {
    for (const head of ["base", "ForMaskedLM"] as const) {
      const { errors, tiny } = await compareWithOrt({ seed: 71, modelType: "electra", head, embeddingSize: 8 });
      const prefix = head === "base" ? "" : "electra.";
      expect(tiny.tensors[`${prefix}embeddings_project.weight`].shape).toEqual([16, 8]);
      for (const err of Object.values(errors)) expect(err).toBeLessThan(1e-4);
    }
  });

  it("ALBERT shares one layer group across 3 layers", async () => {
    const { errors, tiny } = await compareWithOrt({ seed: 72, modelType: "albert", numLayers: 3 });
    expect(Object.keys(tiny.tensors).filter((n) => n.includes("albert_layers")).length).toBe(16);
    expect(errors.last_hidden_state).toBeLessThan(1e-4);
  });

  it("ALBERT with 2 groups of 2 inner layers over 4 layers (group ⌊i / 2⌋, every inner layer each step)", async () => {
    const { errors, tiny } = await compareWithOrt({
      seed: 74,
      modelType: "albert",
      numLayers: 4,
      numHiddenGroups: 2,
      innerGroupNum: 2,
    });
    expect(tiny.tensors["encoder.albert_layer_groups.1.albert_layers.1.ffn.weight"]).toBeDefined();
    expect(errors.last_hidden_state).toBeLessThan(1e-4);
  });

  it("ReLU feed-forward (hidden_act relu) in the encoder and the DistilBERT MLM transform", async () => {
    for (const modelType of ["bert", "distilbert"] as const) {
      const { errors } = await compareWithOrt({ seed: 75, modelType, head: "ForMaskedLM", hiddenAct: "relu" });
      expect(errors.logits).toBeLessThan(1e-4);
    }
  });

  it("RoBERTa positions start at padding_idx + 1 and padding keeps padding_idx (left padding too)", async () => {
    // Left-padded rows: counting positions from 0 (or ignoring the pad id) would shift every token.
    const inputs = {
      inputIds: [
        [1, 1, 0, 9, 14, 2],
        [0, 7, 8, 9, 10, 2],
      ],
      attentionMask: [
        [0, 0, 1, 1, 1, 1],
        [1, 1, 1, 1, 1, 1],
      ],
    };
    const { errors } = await compareWithOrt({ seed: 73, modelType: "roberta" }, inputs);
    expect(errors.last_hidden_state).toBeLessThan(1e-4);
  });
});
