// The models `npm start` serves out of the box. Each entry names the R2 key prefix it is
// seeded under, the files to copy there, and the apps that list it in MODEL_CONFIG.
// Real tokenizers come from the shared fixtures when that folder exists (they are never
// copied into this repo); generated tiny models join this list with the engine.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { ROOT } from "./local.mjs";

export function fixturesDir() {
  return resolve(process.env.FIXTURES_DIR ?? join(ROOT, "..", "shared", "fixtures"));
}

const FIXTURE_TOKENIZERS = ["bert-base-uncased", "gpt2", "roberta", "t5-small", "bert-base-chinese", "distilbert"];

/**
 * Models pulled into models/ (`edgeformers models pull` puts them at models/<org>/<name>), which
 * `npm start` seeds into R2 under the same path. Every model's tokenizer is served; base
 * encoders and Model2Vec models are embedded, cross-encoders rerank, other heads classify.
 */
export function pulledModels(modelsDir = join(ROOT, "models")) {
  const config = { tokenize: {}, embed: {}, classify: {} };
  const walk = (dir, depth) => {
    let entries;
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    if (entries.includes("config.json")) {
      const name = dir
        .slice(modelsDir.length + 1)
        .split("\\")
        .join("/");
      let modelType;
      try {
        modelType = JSON.parse(readFileSync(join(dir, "config.json"), "utf8"))?.model_type;
      } catch {
        return; // unreadable config.json: not a model the workers could load
      }
      if (typeof modelType !== "string") return;
      config.tokenize[name] = { source: `r2:${name}/`, task: "tokenize" };
      const source = `r2:${name}/`;
      if (modelType === "model2vec") {
        config.embed[name] = { source, task: "feature-extraction", backend: "static" };
        return;
      }
      // The head decides the worker: base models embed, a one-logit classifier reranks,
      // other heads classify.
      const head = headOf(join(dir, "config.json"));
      if (head === "base") config.embed[name] = { source, task: "feature-extraction" };
      else if (head === "rerank") config.embed[name] = { source, task: "rerank" };
      else if (head) config.classify[name] = { source, task: head };
      return;
    }
    if (depth > 0) for (const entry of entries) if (!entry.startsWith(".")) walk(join(dir, entry), depth - 1);
  };
  walk(modelsDir, 2);
  return config;
}

const HEAD_TASKS = {
  ForSequenceClassification: "text-classification",
  ForTokenClassification: "token-classification",
  ForQuestionAnswering: "question-answering",
  ForMaskedLM: "fill-mask",
};

/** "base", "rerank", a classify task, or null when the class is not one the engine runs. */
function headOf(configPath) {
  const config = JSON.parse(readFileSync(configPath, "utf8"));
  const className = Array.isArray(config.architectures) ? String(config.architectures[0]) : "";
  if (!className || /Model$/.test(className)) return "base";
  const head = Object.keys(HEAD_TASKS).find((suffix) => className.endsWith(suffix));
  if (!head) return null;
  if (head === "ForSequenceClassification") {
    const labels = Object.values(config.id2label ?? {}).map((l) => String(l).toLowerCase());
    if (config.num_labels === 1 || labels.length === 1) return "rerank";
    if (labels.some((l) => l.startsWith("entail"))) return "zero-shot-classification";
  }
  return HEAD_TASKS[head];
}

/** Tasks of the generated tiny models (`edgeformers models tiny`), by name. */
const TINY = {
  "tiny-minilm": ["embed", "feature-extraction"],
  "tiny-reranker": ["embed", "rerank"],
  "tiny-sentiment": ["classify", "text-classification"],
  "tiny-nli": ["classify", "zero-shot-classification"],
  "tiny-ner": ["classify", "token-classification"],
  "tiny-qa": ["classify", "question-answering"],
  "tiny-mlm": ["classify", "fill-mask"],
};

function filesUnder(dir) {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Generates the seeded tiny demo models once (with the built CLI) and lists their files. */
function tinyModels(files, config) {
  const dir = join(ROOT, ".wrangler", "tiny-models");
  if (!existsSync(join(dir, "tiny-mlm", "model.safetensors"))) {
    execFileSync(
      process.execPath,
      [join(ROOT, "packages", "cli", "bin", "edgeformers.mjs"), "models", "tiny", "--dir", dir],
      {
        stdio: "ignore",
      },
    );
  }
  for (const [name, [app, task]] of Object.entries(TINY)) {
    for (const path of filesUnder(join(dir, name)))
      files[
        `tiny/${path
          .slice(dir.length + 1)
          .split("\\")
          .join("/")}`
      ] = path;
    config[app][name] = { source: `r2:tiny/${name}/`, task };
    config.tokenize[name] = { source: `r2:tiny/${name}/`, task: "tokenize" };
  }
}

/** `{ files: { r2Key: absolutePath }, config: { app: MODEL_CONFIG }, notes: string[] }` */
export function defaultModels() {
  const files = {};
  const config = { tokenize: {}, embed: {}, classify: {} };
  const notes = [];
  tinyModels(files, config);
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
  for (const [app, models] of Object.entries(pulledModels())) Object.assign(config[app], models);
  return { files, config, notes };
}
