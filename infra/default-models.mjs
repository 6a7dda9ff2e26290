// The models `npm start` serves out of the box. Each entry names the R2 key prefix it is
// seeded under, the files to copy there, and the apps that list it in MODEL_CONFIG.
// Real tokenizers come from the shared fixtures when that folder exists (they are never
// copied into this repo); generated tiny models join this list with the engine.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { ROOT } from "./local.mjs";

export function fixturesDir() {
  return resolve(process.env.FIXTURES_DIR ?? join(ROOT, "..", "shared", "fixtures"));
}

const FIXTURE_TOKENIZERS = ["bert-base-uncased", "gpt2", "roberta", "t5-small", "bert-base-chinese", "distilbert"];

/** `{ files: { r2Key: absolutePath }, config: { app: MODEL_CONFIG }, notes: string[] }` */
export function defaultModels() {
  const files = {};
  const config = { tokenize: {}, embed: {}, classify: {} };
  const notes = [];
  const fixtures = fixturesDir();
  if (existsSync(join(fixtures, "tokenizers"))) {
    for (const name of FIXTURE_TOKENIZERS) {
      const path = join(fixtures, "tokenizers", name, "tokenizer.json");
      if (!existsSync(path)) continue;
      files[`tokenizers/${name}/tokenizer.json`] = path;
      config.tokenize[name] = { source: `r2:tokenizers/${name}/`, task: "tokenize" };
    }
  } else {
    notes.push(`no shared fixtures at ${fixtures}: the tokenize worker has no tokenizers to serve`);
  }
  // The real Model2Vec static-embedding model (64 dimensions, distilled from bge-base-en-v1.5).
  const model2vec = join(fixtures, "models", "model2vec", "test-model-vocab-quantized");
  if (existsSync(model2vec)) {
    for (const file of ["config.json", "tokenizer.json", "model.safetensors", "modules.json"]) {
      if (existsSync(join(model2vec, file))) files[`model2vec/bge-64/${file}`] = join(model2vec, file);
    }
    config.embed["model2vec-bge-64"] = {
      source: "r2:model2vec/bge-64/",
      task: "feature-extraction",
      backend: "static",
    };
    config.tokenize["model2vec-bge-64"] = { source: "r2:model2vec/bge-64/", task: "tokenize" };
  } else {
    notes.push("no Model2Vec fixture: the embed worker has no models to serve");
  }
  return { files, config, notes };
}
