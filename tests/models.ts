/**
 * Model folders the cross-app tests serve, written to a temp folder: the hand-made WordPiece
 * tokenizer and a static (Model2Vec-format) model whose table row r is [r, 1, 0, 0], so the
 * expected vectors are worked out by hand.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serializeSafetensors } from "@edgeformers/engine";
import { TINY_TOKENIZER, TINY_VOCAB } from "../apps/tokenize/test/tiny-tokenizer.js";

export const CATALOGUE = {
  tokenize: { "tiny-tok": { source: "r2:tiny/static/", task: "tokenize" } },
  embed: { "tiny-static": { source: "r2:tiny/static/", task: "feature-extraction", backend: "static" } },
  classify: {},
};

/** Every app's catalogue in one, as a single-worker deployment is configured. */
export const SINGLE_CATALOGUE = { ...CATALOGUE.tokenize, ...CATALOGUE.embed };

/** "hello world" → ids [5, 6] → mean [5.5, 1, 0, 0] / √31.25. */
export const HELLO_WORLD = [5.5 / Math.sqrt(31.25), 1 / Math.sqrt(31.25), 0, 0];

export function writeModels(): string {
  const dir = mkdtempSync(join(tmpdir(), "edgeformers-models-"));
  const folder = join(dir, "tiny", "static");
  mkdirSync(folder, { recursive: true });
  const table = new Float32Array(TINY_VOCAB.length * 4);
  for (let r = 0; r < TINY_VOCAB.length; r++) table.set([r, 1, 0, 0], r * 4);
  writeFileSync(join(folder, "config.json"), JSON.stringify({ model_type: "model2vec", normalize: true }));
  writeFileSync(join(folder, "tokenizer.json"), JSON.stringify(TINY_TOKENIZER));
  writeFileSync(
    join(folder, "model.safetensors"),
    serializeSafetensors({ embeddings: { dtype: "F32", shape: [TINY_VOCAB.length, 4], data: table } }),
  );
  return dir;
}
