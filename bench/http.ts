/**
 * HTTP benchmark: every worker in one Miniflare on 127.0.0.1 (service-binding gateway, as
 * `npm start` runs it), driven by autocannon at concurrency 1, 8 and 32, next to the same work
 * done in-process, so the table shows what HTTP and the isolate boundary cost.
 *   npm run bench:http [-- --seconds 20]
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { writeTinyModels } from "@edgeformers/cli";
import { LocalDirSource, loadModel, parseSafetensors, quantize } from "@edgeformers/engine";
import { generateTinyEncoder, MINILM_L6_SHAPE, sentenceTransformersFiles } from "@edgeformers/engine/testing";
import { createKernels } from "@edgeformers/kernels";
import { featureExtraction, pipeline } from "@edgeformers/pipelines";
import { Tokenizer } from "@edgeformers/tokenizers";
import autocannon from "autocannon";
import { startLocalStack } from "../infra/local.mjs";

// The kernels, compiled once from the plain-SIMD build (Node 20 runs no relaxed SIMD).
const root = new URL("..", import.meta.url);
const kernels = createKernels(
  new WebAssembly.Module(readFileSync(new URL("packages/kernels/dist/kernels.simd.wasm", root))),
);

const { values } = parseArgs({ options: { seconds: { type: "string", default: "20" } } });
const seconds = Number(values.seconds);
const CONCURRENCY = [1, 8, 32];
const SENTENCE = "the movie was great and the actor was very good";

/** A model shaped like all-MiniLM-L6-v2 (6 × 384, 12 heads, FFN 1536, vocab 30522), random weights, int8. */
async function writeMiniLm(dir: string): Promise<void> {
  const model = generateTinyEncoder({ seed: 1, ...MINILM_L6_SHAPE });
  const folder = join(dir, "minilm-int8");
  mkdirSync(join(folder, "1_Pooling"), { recursive: true });
  const weights = model.files["model.safetensors"];
  writeFileSync(join(folder, "model.safetensors"), await quantize(parseSafetensors(weights), { kernels }));
  writeFileSync(join(folder, "config.json"), model.files["config.json"]);
  writeFileSync(join(folder, "tokenizer.json"), model.files["tokenizer.json"]);
  for (const [file, content] of Object.entries(sentenceTransformersFiles(384)))
    writeFileSync(join(folder, file), content);
}

interface Row {
  scenario: string;
  concurrency: number | "in-process";
  reqPerSec: number;
  p50: number;
  p99: number;
  errors: number;
}

async function drive(url: string, body: unknown, concurrency: number): Promise<Omit<Row, "scenario">> {
  const result = await autocannon({
    url,
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    connections: concurrency,
    duration: seconds,
  });
  return {
    concurrency,
    reqPerSec: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
  };
}

/** Calls `work` back to back for `seconds`, as a one-connection in-process baseline. */
async function inProcess(work: () => Promise<unknown>): Promise<Omit<Row, "scenario">> {
  const latencies: number[] = [];
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    const start = performance.now();
    await work();
    latencies.push(performance.now() - start);
  }
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] as number;
  return { concurrency: "in-process", reqPerSec: latencies.length / seconds, p50: at(0.5), p99: at(0.99), errors: 0 };
}

const dir = mkdtempSync(join(tmpdir(), "edgeformers-bench-"));
try {
  await writeTinyModels(join(dir, "tiny"));
  await writeMiniLm(dir);
  const catalogue = {
    tokenize: { "tiny-minilm": { source: "r2:tiny/tiny-minilm/", task: "tokenize" } },
    embed: { "minilm-int8": { source: "r2:minilm-int8/", task: "feature-extraction", dtype: "int8" } },
    classify: { "tiny-sentiment": { source: "r2:tiny/tiny-sentiment/", task: "text-classification" } },
  };
  const bindings = Object.fromEntries(
    Object.entries(catalogue).map(([app, config]) => [app, { MODEL_CONFIG: config }]),
  );
  const { mf, url } = await startLocalStack({ port: 0, bindings, seedDir: dir, rateLimits: false, quiet: true });
  const base = url.href.replace(/\/$/, "");
  const batch = Array.from({ length: 32 }, (_, i) => `${SENTENCE} ${i}`);
  const scenarios = [
    { name: "tokenize, one sentence", path: "/v1/tokenize", body: { model: "tiny-minilm", text: SENTENCE } },
    {
      name: "embed MiniLM int8, one sentence",
      path: "/v1/embeddings",
      body: { model: "minilm-int8", input: SENTENCE },
    },
    { name: "embed MiniLM int8, batch of 32", path: "/v1/embeddings", body: { model: "minilm-int8", input: batch } },
    { name: "classify, one sentence", path: "/v1/classify", body: { model: "tiny-sentiment", inputs: SENTENCE } },
  ];
  // The same work in this process (Node, plain SIMD), for the HTTP overhead.
  const tokenizerJson = readFileSync(join(dir, "tiny", "tiny-minilm", "tokenizer.json"), "utf8");
  const tokenizer = Tokenizer.fromJSON(tokenizerJson);
  const minilm = await loadModel(new LocalDirSource(join(dir, "minilm-int8")), { dtype: "int8", kernels });
  const sentiment = await pipeline(
    "text-classification",
    await loadModel(new LocalDirSource(join(dir, "tiny", "tiny-sentiment")), { kernels }),
  );
  const local: Record<string, () => Promise<unknown>> = {
    "tokenize, one sentence": async () => tokenizer.encode(SENTENCE),
    "embed MiniLM int8, one sentence": () => featureExtraction(minilm, SENTENCE),
    "embed MiniLM int8, batch of 32": () => featureExtraction(minilm, batch),
    "classify, one sentence": () => sentiment(SENTENCE),
  };
  const rows: Row[] = [];
  for (const scenario of scenarios) {
    // Warm the isolate (model load) before measuring.
    await fetch(`${base}${scenario.path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(scenario.body),
    });
    rows.push({ scenario: scenario.name, ...(await inProcess(local[scenario.name] as () => Promise<unknown>)) });
    for (const concurrency of CONCURRENCY) {
      rows.push({ scenario: scenario.name, ...(await drive(`${base}${scenario.path}`, scenario.body, concurrency)) });
      console.error(`${scenario.name} @ ${concurrency}: ${rows.at(-1)?.reqPerSec.toFixed(1)} req/s`);
    }
  }
  await mf.dispose();
  const table = [
    `| scenario | concurrency | req/s | p50 ms | p99 ms | errors |`,
    `|---|---|---|---|---|---|`,
    ...rows.map(
      (r) =>
        `| ${r.scenario} | ${r.concurrency} | ${r.reqPerSec.toFixed(1)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.errors} |`,
    ),
  ].join("\n");
  const results = { date: new Date().toISOString(), seconds, node: process.version, rows };
  writeFileSync(new URL("bench/http-results.json", root), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(new URL("bench/http-results.md", root), `${table}\n`);
  console.log(table);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
