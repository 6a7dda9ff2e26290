#!/usr/bin/env node
// `npm start`: builds the workers as they deploy (wrangler dry-run bundles) and serves the
// whole stack locally on http://127.0.0.1:8787 — the gateway and the workers behind it in one
// Miniflare, with the local R2 bucket seeded from models/ when that folder exists.
//   npm start                  service-binding mode (gateway + tokenize + embed + classify)
//   npm start -- --single      single-worker mode (every route in one isolate)
//   PORT=9000 npm start        another port
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { defaultModels } from "../infra/default-models.mjs";
import { ROOT, startLocalStack } from "../infra/local.mjs";

const mode = process.argv.includes("--single") ? "single-worker" : "service-bindings";
const port = Number(process.env.PORT ?? 8787);

console.log("Building the workers…");
// The apps, and the CLI that generates the tiny demo models.
const build = spawnSync(
  "npx",
  ["turbo", "run", "build", "--filter=./apps/*", "--filter=@edgeformers/cli", "--output-logs=errors-only"],
  {
    cwd: ROOT,
    stdio: "inherit",
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1" },
  },
);
if (build.status !== 0) process.exit(build.status ?? 1);

const modelsDir = join(ROOT, "models");
const defaults = defaultModels();
// Service-binding mode gives each worker its own catalogue; one worker gets them all.
const bindings =
  mode === "single-worker"
    ? {
        gateway: {
          MODEL_CONFIG: { ...defaults.config.classify, ...defaults.config.embed, ...defaults.config.tokenize },
        },
      }
    : Object.fromEntries(Object.entries(defaults.config).map(([app, config]) => [app, { MODEL_CONFIG: config }]));
const { mf, url, seeded } = await startLocalStack({
  mode,
  port,
  bindings,
  seedFiles: defaults.files,
  // Kept between runs, so `edgeformers models push --local` uploads are served too.
  r2Persist: join(ROOT, ".wrangler", "state", "r2"),
  seedDir: existsSync(modelsDir) ? modelsDir : undefined,
});
const base = url.href.replace(/\/$/, "");
const tokenizer = defaults.config.tokenize["bert-base-uncased"] ? "bert-base-uncased" : undefined;
const post = (path, body) => `curl -s ${base}${path} -H 'content-type: application/json' -d '${JSON.stringify(body)}'`;
const examples = [
  `curl -s ${base}/health`,
  post("/v1/embeddings", { model: "tiny-minilm", input: ["the movie was great"] }),
  post("/v1/classify", { model: "tiny-sentiment", inputs: "the movie was great" }),
  post("/v1/ner", { inputs: "my name is wolfgang and i live in berlin", aggregation_strategy: "simple" }),
];
if (tokenizer) {
  examples.push(post("/v1/tokenize", { model: tokenizer, text: "Hello, world!", return_offsets_mapping: true }));
}
console.log(`
edgeformers is running (${mode} mode) at ${base}
  ${base}/health   every worker's health
  ${base}/info     versions and configured models
  ${base}/apps/tokenize/info, ${base}/apps/embed/info, ${base}/apps/classify/info
  ${base}/v1/models  every model, OpenAI list shape
  ${base}/docs       every route, with its request schema
Local R2 (MODELS): ${seeded.length} files seeded${defaults.notes.map((note) => `\nNote: ${note}`).join("")}

Try:
${examples.map((example) => `  ${example}`).join("\n")}

Press Ctrl-C to stop.`);

let stopping = false;
async function stop(signal) {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping…`);
  await mf.dispose();
  process.exit(0);
}
process.on("SIGINT", () => stop("SIGINT"));
process.on("SIGTERM", () => stop("SIGTERM"));
