/**
 * Third-party oracles: real PyTorch exports of Hugging Face models (shared fixtures, not written by
 * this project). Their weights are recovered into a safetensors checkpoint with HF names, loaded by
 * loadModel on the kernels backend, and compared with onnxruntime-node running the original graph
 * — which checks position ids, masks and layer layout against the exporter's, not our, reading of
 * transformers. Skipped with a message when the fixtures are absent.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadKernels } from "@edgeformers/kernels/node";
import { describe, expect, it } from "vitest";
import { countingPositions } from "../../src/backends/encoder.js";
import { buildHead } from "../../src/heads/index.js";
import {
  BertEncoder,
  BundleSource,
  type EncoderArchitecture,
  loadModel,
  parseSafetensors,
  readEncoderConfig,
  resolveArchitecture,
  serializeSafetensors,
} from "../../src/index.js";
import { tinyTokenizer } from "../../src/testing/tiny-encoder.js";
import { recoverExport } from "../helpers/export-to-folder.js";
import { fixture } from "../helpers/fixtures.js";
import { maxAbsDiff, runOrt } from "../helpers/ort-compare.js";

const xlmr = fixture("models", "onnx-exports", "opensearch-tiny-xlmroberta-crossencoder");
const distil = fixture("models", "onnx-exports", "optimum-tiny-distilbert-classification");

describe.skipIf(!xlmr.available)(`XLM-RoBERTa cross-encoder exported by PyTorch 2.7 (${xlmr.label})`, () => {
  it("logits match onnxruntime on the original graph, padded batch (pad id 1) within 1e-4", async () => {
    const onnx = readFileSync(join(xlmr.path, "model.onnx"));
    const { tensors, numHeads, layerNormEps } = recoverExport(
      onnx,
      (n) => n.startsWith("roberta.") || n.startsWith("classifier."),
      32,
    );
    expect(numHeads).not.toBeNull();
    expect(Object.keys(tensors)).toContain("roberta.encoder.layer.1.output.dense.weight");
    const config = {
      model_type: "xlm-roberta",
      architectures: ["XLMRobertaForSequenceClassification"],
      vocab_size: 100,
      hidden_size: 32,
      num_hidden_layers: 2,
      num_attention_heads: numHeads,
      intermediate_size: 64,
      max_position_embeddings: 64,
      type_vocab_size: 1,
      hidden_act: "gelu",
      layer_norm_eps: layerNormEps,
      pad_token_id: 1,
      num_labels: 1,
    };
    const model = await loadModel(
      new BundleSource({
        "config.json": JSON.stringify(config),
        "tokenizer.json": readFileSync(join(xlmr.path, "tokenizer.json"), "utf8"),
        "model.safetensors": serializeSafetensors(tensors),
      }),
    );
    const pairs: [string, string][] = [
      ["how do edge workers run models", "models run inside the isolate"],
      ["hello", "world"],
      ["a much longer question about position ids and padding", "short"],
    ];
    const encoded = pairs.map(([a, b]) => Array.from(model.tokenizer.encode(a, b).ids));
    const seq = Math.max(...encoded.map((e) => e.length));
    const inputs = {
      inputIds: encoded.map((e) => [...e, ...Array(seq - e.length).fill(1)]),
      attentionMask: encoded.map((e) => [...e.map(() => 1), ...Array(seq - e.length).fill(0)]),
    };
    expect(new Set(encoded.map((e) => e.length)).size).toBeGreaterThan(1);
    const ours = await model.forward(inputs);
    const reference = await runOrt(new Uint8Array(onnx), inputs);
    const err = maxAbsDiff(ours.logits.data, reference.logits);
    console.info(
      `[real export] xlm-roberta seq-cls logits ${Array.from(reference.logits, (v) => v.toFixed(5))}: max abs error ${err.toExponential(2)} (heads ${numHeads}, eps ${layerNormEps})`,
    );
    expect(err).toBeLessThan(1e-4);
    // Control: positions counted from 0 (the classic porting bug) must be visibly wrong, so this
    // comparison really checks RoBERTa's position ids against the exporter's.
    const cfg = readEncoderConfig(config, "xlm-roberta");
    const arch = resolveArchitecture(config) as EncoderArchitecture;
    const kernels = loadKernels();
    const encoder = new BertEncoder(
      kernels,
      parseSafetensors(serializeSafetensors(tensors), "model.safetensors"),
      cfg,
      arch,
    );
    const head = buildHead(arch.head, { kernels, reader: encoder.reader, config: cfg, modelType: arch.modelType });
    encoder.parts.embeddings.positionIds = countingPositions;
    const batch = inputs.inputIds.length;
    const hidden = encoder.forward({
      inputIds: Int32Array.from(inputs.inputIds.flat()),
      batch,
      seq,
      attentionMask: Int32Array.from(inputs.attentionMask.flat()),
    });
    const naiveErr = maxAbsDiff(head.run(hidden, batch, seq).logits.data, reference.logits);
    console.info(`[real export] xlm-roberta with positions counted from 0: max abs error ${naiveErr.toExponential(2)}`);
    expect(naiveErr).toBeGreaterThan(1000 * Math.max(err, 1e-9));
  });
});

describe.skipIf(!distil.available)(`DistilBERT SST-2 classifier exported by PyTorch 1.10 (${distil.label})`, () => {
  it("logits match onnxruntime on the original graph within 1e-4", async () => {
    const onnx = readFileSync(join(distil.path, "model.onnx"));
    const configText = readFileSync(join(distil.path, "config.json"), "utf8");
    const { tensors } = recoverExport(
      onnx,
      (n) => n.startsWith("distilbert.") || n.startsWith("pre_classifier.") || n.startsWith("classifier."),
      2,
    );
    const model = await loadModel(
      new BundleSource({
        "config.json": configText,
        "tokenizer.json": JSON.stringify(tinyTokenizer(30522)),
        "model.safetensors": serializeSafetensors(tensors),
      }),
    );
    const inputs = {
      inputIds: [
        [101, 7592, 2088, 2003, 2307, 102],
        [101, 2023, 2003, 1037, 102, 0],
      ],
      attentionMask: [
        [1, 1, 1, 1, 1, 1],
        [1, 1, 1, 1, 1, 0],
      ],
    };
    const ours = await model.forward(inputs);
    const reference = await runOrt(new Uint8Array(onnx), inputs);
    const err = maxAbsDiff(ours.logits.data, reference.logits);
    console.info(
      `[real export] distilbert logits ${Array.from(reference.logits, (v) => v.toFixed(6))}: max abs error ${err.toExponential(2)} (dim 2: a weak check, LayerNorm over 2 values is nearly constant)`,
    );
    expect(err).toBeLessThan(1e-4);
  });
});

const squad = fixture("models", "onnx-exports", "ort-keras2onnx-tfbert-squad-qa");
const mrpc = fixture("models", "onnx-exports", "ort-keras2onnx-tfbert-mrpc-seqcls");

describe.skipIf(!mrpc.available)(`backend "ort" on the keras2onnx TF BERT MRPC export (${mrpc.label})`, () => {
  it("names output_1 logits and reproduces the upstream output", async () => {
    const { readTensorProto } = await import("../helpers/onnx-reader.js");
    const pb = (f: string) => readTensorProto(readFileSync(join(mrpc.path, "test_data_set_0", f)));
    const inputs = Object.fromEntries(["input_0.pb", "input_1.pb", "input_2.pb"].map((f) => [pb(f).name, pb(f)]));
    const ids = Array.from(inputs.input_ids.data);
    const config = {
      model_type: "bert",
      architectures: ["BertForSequenceClassification"],
      vocab_size: Math.max(...ids) + 1,
      hidden_size: 8,
      num_hidden_layers: 12,
      num_attention_heads: 2,
      intermediate_size: 32,
      max_position_embeddings: 512,
      type_vocab_size: 2,
      layer_norm_eps: 1e-12,
    };
    const model = await loadModel(
      new BundleSource({
        "config.json": JSON.stringify(config),
        "tokenizer.json": JSON.stringify(tinyTokenizer(Math.max(6, config.vocab_size))),
        "onnx/model.onnx": readFileSync(join(mrpc.path, "TFBertForSequenceClassification_1.onnx")),
      }),
      { backend: "ort" },
    );
    const out = await model.forward({
      inputIds: [ids],
      attentionMask: [Array.from(inputs.attention_mask.data)],
      tokenTypeIds: [Array.from(inputs.token_type_ids.data)],
    });
    expect(out.logits.dims).toEqual([1, 2]);
    expect(maxAbsDiff(out.logits.data, pb("output_0.pb").data)).toBeLessThan(1e-5);
  });
});

describe.skipIf(!squad.available)(`backend "ort" on the keras2onnx TF BERT QA export (${squad.label})`, () => {
  it("feeds int32 ids, names output_1/output_2 start/end_logits, and reproduces the upstream outputs", async () => {
    const { readTensorProto } = await import("../helpers/onnx-reader.js");
    const pb = (f: string) => readTensorProto(readFileSync(join(squad.path, "test_data_set_0", f)));
    const inputs = Object.fromEntries(["input_0.pb", "input_1.pb", "input_2.pb"].map((f) => [pb(f).name, pb(f)]));
    const config = {
      model_type: "bert",
      architectures: ["BertForQuestionAnswering"],
      vocab_size: 20,
      hidden_size: 8,
      num_hidden_layers: 24,
      num_attention_heads: 2,
      intermediate_size: 32,
      max_position_embeddings: 512,
      type_vocab_size: 2,
      layer_norm_eps: 1e-12,
    };
    const model = await loadModel(
      new BundleSource({
        "config.json": JSON.stringify(config),
        "tokenizer.json": JSON.stringify(tinyTokenizer(20)),
        "onnx/model.onnx": readFileSync(join(squad.path, "TFBertForQuestionAnswering.onnx")),
      }),
      { backend: "ort" },
    );
    expect(model.outputNames).toEqual(["output_1", "output_2", "start_logits", "end_logits"]);
    const row = (name: string) => [Array.from(inputs[name].data)];
    const out = await model.forward({
      inputIds: row("input_ids"),
      attentionMask: row("attention_mask"),
      tokenTypeIds: row("token_type_ids"),
    });
    const start = pb("output_0.pb").data;
    const end = pb("output_1.pb").data;
    expect(out.start_logits.dims).toEqual([1, 7]);
    expect(maxAbsDiff(out.start_logits.data, start)).toBeLessThan(1e-5);
    expect(maxAbsDiff(out.end_logits.data, end)).toBeLessThan(1e-5);
  });
});

/**
 * A keras2onnx TF BERT export's weights as a Hugging Face folder for the kernels backend, its
 * recorded inputs as one forward row, and a reader for its recorded outputs.
 */
async function kerasExport(
  path: string,
  file: string,
  scope: string,
  layers: number,
  head: "qa_outputs" | "classifier",
) {
  const { readGraph, readTensorProto } = await import("../helpers/onnx-reader.js");
  const { kerasBertTensors } = await import("../helpers/keras-bert.js");
  const { tensors: graph } = readGraph(readFileSync(join(path, file)));
  const { tensors, eps } = kerasBertTensors(graph, scope, layers, head);
  const pb = (f: string) => readTensorProto(readFileSync(join(path, "test_data_set_0", f)));
  const inputs = Object.fromEntries(["input_0.pb", "input_1.pb", "input_2.pb"].map((f) => [pb(f).name, pb(f)]));
  const row = (name: string) => [Array.from(inputs[name].data)];
  const forward = {
    inputIds: row("input_ids"),
    attentionMask: row("attention_mask"),
    tokenTypeIds: row("token_type_ids"),
  };
  const vocab = tensors["bert.embeddings.word_embeddings.weight"].shape[0];
  /** The model with this config.json (hidden 8, intermediate 32, the export's positions and eps added). */
  const load = (config: Record<string, unknown>) =>
    loadModel(
      new BundleSource({
        "config.json": JSON.stringify({
          model_type: "bert",
          hidden_size: 8,
          intermediate_size: 32,
          max_position_embeddings: tensors["bert.embeddings.position_embeddings.weight"].shape[0],
          type_vocab_size: 2,
          layer_norm_eps: eps,
          ...config,
        }),
        "tokenizer.json": JSON.stringify(tinyTokenizer(Number(config.vocab_size))),
        "model.safetensors": serializeSafetensors(tensors),
      }),
    );
  return { pb, forward, vocab, load };
}

describe.skipIf(!squad.available)(
  `kernels backend on the weights of the keras2onnx TF BERT QA export (${squad.label})`,
  () => {
    it("start/end logits equal the upstream outputs (padded row, token types), with 2 heads and only then", async () => {
      const { pb, forward, load } = await kerasExport(
        squad.path,
        "TFBertForQuestionAnswering.onnx",
        "tf_bert_for_question_answering",
        24,
        "qa_outputs",
      );
      expect(forward.attentionMask[0]).toContain(0);
      const start = pb("output_0.pb").data;
      const end = pb("output_1.pb").data;
      // The export does not state the head count (shapes are computed at run time): try the divisors of 8.
      const errors: Record<number, number> = {};
      for (const heads of [1, 2, 4, 8]) {
        const model = await load({
          architectures: ["BertForQuestionAnswering"],
          vocab_size: 20,
          num_hidden_layers: 24,
          num_attention_heads: heads,
          hidden_act: "gelu",
        });
        const out = await model.forward(forward);
        errors[heads] = Math.max(maxAbsDiff(out.start_logits.data, start), maxAbsDiff(out.end_logits.data, end));
      }
      const scale = Math.max(...Array.from(start, Math.abs), ...Array.from(end, Math.abs));
      console.info(
        `[real export] keras2onnx TF BERT QA on kernels (logits up to ${scale.toExponential(2)}), max abs error by head count: ${JSON.stringify(errors)}`,
      );
      // The outputs are small (sliced weights), so "matches" is judged against the other head counts too.
      const sorted = Object.entries(errors).sort((a, b) => a[1] - b[1]);
      expect(sorted[0][0]).toBe("2");
      expect(sorted[0][1]).toBeLessThan(1e-6);
      expect(sorted[1][1]).toBeGreaterThan(50 * sorted[0][1]);
    });
  },
);

describe.skipIf(!mrpc.available)(
  `kernels backend on the weights of the keras2onnx TF BERT MRPC export (${mrpc.label})`,
  () => {
    it("pooler → classifier logits equal the upstream output", async () => {
      const { pb, forward, vocab, load } = await kerasExport(
        mrpc.path,
        "TFBertForSequenceClassification_1.onnx",
        "tf_bert_for_sequence_classification",
        12,
        "classifier",
      );
      const model = await load({
        architectures: ["BertForSequenceClassification"],
        vocab_size: vocab,
        num_hidden_layers: 12,
        num_attention_heads: 2,
        num_labels: 2,
      });
      const out = await model.forward(forward);
      const expected = pb("output_0.pb").data;
      const err = maxAbsDiff(out.logits.data, expected);
      console.info(
        `[real export] keras2onnx TF BERT MRPC on kernels: logits ${Array.from(expected)}, max abs error ${err.toExponential(2)}`,
      );
      expect(err).toBeLessThan(1e-5);
    });
  },
);
