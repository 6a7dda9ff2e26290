#!/usr/bin/env node
// Which real models fit a 128 MB Workers isolate? Writes safetensors files with the exact
// tensor names and shapes of well-known checkpoints (zero weights: only the sizes matter),
// runs `edgeformers models inspect --json` on each, and prints the markdown table that
// infra/README.md carries. Needs the CLI built (`npm run build`). Writes ~2 GB to a temp dir.
import { execFileSync } from "node:child_process";
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const MODELS = [
  { repo: "sentence-transformers/all-MiniLM-L6-v2", type: "bert", vocab: 30522, hidden: 384, layers: 6, ffn: 1536 },
  { repo: "BAAI/bge-small-en-v1.5", type: "bert", vocab: 30522, hidden: 384, layers: 12, ffn: 1536 },
  {
    repo: "distilbert/distilbert-base-uncased-finetuned-sst-2-english",
    type: "distilbert",
    vocab: 30522,
    hidden: 768,
    layers: 6,
    ffn: 3072,
    head: "DistilBertForSequenceClassification",
    labels: 2,
  },
  { repo: "BAAI/bge-base-en-v1.5", type: "bert", vocab: 30522, hidden: 768, layers: 12, ffn: 3072 },
  {
    repo: "cross-encoder/ms-marco-MiniLM-L-6-v2",
    type: "bert",
    vocab: 30522,
    hidden: 384,
    layers: 6,
    ffn: 1536,
    head: "BertForSequenceClassification",
    labels: 1,
  },
  { repo: "intfloat/multilingual-e5-small", type: "bert", vocab: 250037, hidden: 384, layers: 12, ffn: 1536 },
  { repo: "BAAI/bge-large-en-v1.5", type: "bert", vocab: 30522, hidden: 1024, layers: 24, ffn: 4096 },
];

/** Tensor names and shapes of a BERT-style encoder (the DistilBERT names where they differ). */
function tensors(m) {
  const out = [];
  const add = (name, shape) => out.push([name, shape]);
  const H = m.hidden;
  const p = m.type === "distilbert" ? "distilbert." : "";
  add(`${p}embeddings.word_embeddings.weight`, [m.vocab, H]);
  add(`${p}embeddings.position_embeddings.weight`, [512, H]);
  if (m.type !== "distilbert") add("embeddings.token_type_embeddings.weight", [2, H]);
  add(`${p}embeddings.LayerNorm.weight`, [H]);
  add(`${p}embeddings.LayerNorm.bias`, [H]);
  for (let l = 0; l < m.layers; l++) {
    const b = m.type === "distilbert" ? `distilbert.transformer.layer.${l}` : `encoder.layer.${l}`;
    for (const proj of ["query", "key", "value", "output.dense"]) {
      add(`${b}.attention.${proj.includes("output") ? proj : `self.${proj}`}.weight`, [H, H]);
      add(`${b}.attention.${proj.includes("output") ? proj : `self.${proj}`}.bias`, [H]);
    }
    add(`${b}.attention.output.LayerNorm.weight`, [H]);
    add(`${b}.attention.output.LayerNorm.bias`, [H]);
    add(`${b}.intermediate.dense.weight`, [m.ffn, H]);
    add(`${b}.intermediate.dense.bias`, [m.ffn]);
    add(`${b}.output.dense.weight`, [H, m.ffn]);
    add(`${b}.output.dense.bias`, [H]);
    add(`${b}.output.LayerNorm.weight`, [H]);
    add(`${b}.output.LayerNorm.bias`, [H]);
  }
  if (m.head) {
    add("classifier.weight", [m.labels, H]);
    add("classifier.bias", [m.labels]);
  } else if (m.type === "bert") {
    add("pooler.dense.weight", [H, H]);
    add("pooler.dense.bias", [H]);
  }
  return out;
}

function writeSafetensors(path, list) {
  const header = {};
  let offset = 0;
  for (const [name, shape] of list) {
    const bytes = shape.reduce((a, b) => a * b, 1) * 4;
    header[name] = { dtype: "F32", shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = Buffer.from(JSON.stringify(header));
  json = Buffer.concat([json, Buffer.alloc((8 - (json.length % 8)) % 8, 0x20)]);
  const fd = openSync(path, "w");
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(json.length));
  writeSync(fd, length);
  writeSync(fd, json);
  const zeros = Buffer.alloc(1 << 20);
  for (let left = offset; left > 0; left -= zeros.length) writeSync(fd, zeros, 0, Math.min(left, zeros.length));
  closeSync(fd);
}

const mib = (bytes) => `${(bytes / 1048576).toFixed(0)} MiB`;
const root = mkdtempSync(join(tmpdir(), "edgeformers-fit-"));
const cli = new URL("../packages/cli/bin/edgeformers.mjs", import.meta.url).pathname;
console.log("| model | parameters | f32 weights | fits f32 | int8 weights | fits int8 | served by |");
console.log("|---|---|---|---|---|---|---|");
try {
  for (const m of MODELS) {
    const dir = join(root, m.repo.replace("/", "--"));
    mkdirSync(dir);
    const className = m.head ?? (m.type === "distilbert" ? "DistilBertModel" : "BertModel");
    writeFileSync(
      join(dir, "config.json"),
      JSON.stringify({
        model_type: m.type,
        architectures: [className],
        id2label: m.labels
          ? Object.fromEntries(Array.from({ length: m.labels }, (_, i) => [i, `LABEL_${i}`]))
          : undefined,
      }),
    );
    writeSafetensors(join(dir, "model.safetensors"), tensors(m));
    const info = JSON.parse(
      execFileSync(process.execPath, [cli, "models", "inspect", dir, "--json"], { encoding: "utf8" }),
    );
    const yes = (ok) => (ok ? "yes" : "**no**");
    console.log(
      `| ${m.repo} | ${(info.parameters / 1e6).toFixed(1)} M | ${mib(info.f32Bytes)} | ${yes(info.fitsF32)} | ${mib(info.int8Bytes)} | ${yes(info.fitsInt8)} | ${info.apps.join(", ")} |`,
    );
    rmSync(dir, { recursive: true, force: true });
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
