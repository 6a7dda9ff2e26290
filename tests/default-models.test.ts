import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { pulledModels } from "../infra/default-models.mjs";

const dir = mkdtempSync(join(tmpdir(), "edgeformers-pulled-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function model(path: string, config: unknown): void {
  mkdirSync(join(dir, path), { recursive: true });
  writeFileSync(join(dir, path, "config.json"), JSON.stringify(config));
}

describe("npm start's catalogue of pulled models", () => {
  it("serves every tokenizer and routes each model to the worker its head suits, under the pulled path", () => {
    model("sentence-transformers/all-MiniLM-L6-v2", { model_type: "bert", architectures: ["BertModel"] });
    model("minishlab/potion-base-8M", { model_type: "model2vec", normalize: true });
    model("cross-encoder/ms-marco-MiniLM-L-6-v2", {
      model_type: "bert",
      architectures: ["BertForSequenceClassification"],
      num_labels: 1,
    });
    model("distilbert/sst2", {
      model_type: "distilbert",
      architectures: ["DistilBertForSequenceClassification"],
      id2label: { 0: "NEGATIVE", 1: "POSITIVE" },
    });
    model("facebook/nli", {
      model_type: "roberta",
      architectures: ["RobertaForSequenceClassification"],
      id2label: { 0: "contradiction", 1: "neutral", 2: "entailment" },
    });
    model("dslim/ner", { model_type: "bert", architectures: ["BertForTokenClassification"] });
    model("broken/model", "not an object");
    mkdirSync(join(dir, ".partial", "org", "half"), { recursive: true });

    const config = pulledModels(dir);
    expect(Object.keys(config.tokenize)).toHaveLength(6);
    expect(config.tokenize["sentence-transformers/all-MiniLM-L6-v2"]).toEqual({
      source: "r2:sentence-transformers/all-MiniLM-L6-v2/",
      task: "tokenize",
    });
    expect(config.embed).toEqual({
      "minishlab/potion-base-8M": {
        source: "r2:minishlab/potion-base-8M/",
        task: "feature-extraction",
        backend: "static",
      },
      "sentence-transformers/all-MiniLM-L6-v2": {
        source: "r2:sentence-transformers/all-MiniLM-L6-v2/",
        task: "feature-extraction",
      },
      "cross-encoder/ms-marco-MiniLM-L-6-v2": { source: "r2:cross-encoder/ms-marco-MiniLM-L-6-v2/", task: "rerank" },
    });
    expect(config.classify).toEqual({
      "distilbert/sst2": { source: "r2:distilbert/sst2/", task: "text-classification" },
      "facebook/nli": { source: "r2:facebook/nli/", task: "zero-shot-classification" },
      "dslim/ner": { source: "r2:dslim/ner/", task: "token-classification" },
    });
  });
});
