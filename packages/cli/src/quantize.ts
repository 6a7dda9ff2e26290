import { copyFile, mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { LocalDirSource, loadModel, parseSafetensors, quantize } from "@edgeformers/engine";
import { CliError } from "./errors.js";

export interface QuantizeReport {
  out: string;
  bytesBefore: number;
  bytesAfter: number;
  /** Cosine of the int8 model's output against the f32 model's, per sample sentence. */
  cosines: number[];
  output: string;
}

/** Sentences the quick f32-vs-int8 check embeds; short, varied, ASCII and not. */
export const SAMPLE_SENTENCES = [
  "The quick brown fox jumps over the lazy dog.",
  "Edge inference keeps data close to the user.",
  "Wie spät ist es in Berlin?",
  "Transformers quantised to int8 should keep their meaning.",
];

async function allFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir)) {
    const path = join(dir, entry);
    if ((await stat(path)).isDirectory()) out.push(...(await allFiles(path)));
    else out.push(path);
  }
  return out;
}

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return dot / (Math.sqrt(na) * Math.sqrt(nb));
}

/** The first output a model gives (pooler/last hidden state/logits), one row per sentence. */
async function outputsOf(dir: string, sentences: readonly string[]): Promise<{ name: string; rows: Float32Array[] }> {
  const model = await loadModel(new LocalDirSource(dir));
  const rows: Float32Array[] = [];
  let name = "";
  for (const sentence of sentences) {
    const encoding = model.tokenizer.encode(sentence);
    const out = await model.forward({
      inputIds: [encoding.ids],
      attentionMask: [encoding.attentionMask],
      tokenTypeIds: [encoding.typeIds],
    });
    name =
      ["pooler_output", "logits", "start_logits", "last_hidden_state"].find((key) => out[key]) ??
      Object.keys(out)[0] ??
      "";
    rows.push((out as Record<string, { data: Float32Array }>)[name]?.data ?? new Float32Array());
  }
  return { name, rows };
}

/**
 * Writes an int8 copy of a model folder (every other file copied as is), then runs both on a
 * few sentences and reports the cosine of their outputs, so a bad quantisation shows at once.
 */
export async function quantizeFolder(dir: string, out = `${dir.replace(/\/+$/, "")}-int8`): Promise<QuantizeReport> {
  const weightsPath = join(dir, "model.safetensors");
  let bytes: Buffer;
  try {
    bytes = await readFile(weightsPath);
  } catch {
    throw new CliError(`${dir} has no model.safetensors (sharded checkpoints are not quantised yet).`);
  }
  const store = parseSafetensors(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), "model.safetensors");
  const quantized = await quantize(store, { metadata: { source: "edgeformers models quantize" } });
  await mkdir(out, { recursive: true });
  for (const file of await allFiles(dir)) {
    const rel = relative(dir, file);
    if (rel === "model.safetensors" || rel.startsWith("onnx")) continue;
    await mkdir(join(out, rel, ".."), { recursive: true });
    await copyFile(file, join(out, rel));
  }
  await writeFile(join(out, "model.safetensors"), quantized);
  const [f32, int8] = await Promise.all([outputsOf(dir, SAMPLE_SENTENCES), outputsOf(out, SAMPLE_SENTENCES)]);
  return {
    out,
    bytesBefore: bytes.byteLength,
    bytesAfter: quantized.byteLength,
    cosines: f32.rows.map((row, i) => cosine(row, int8.rows[i] as Float32Array)),
    output: f32.name,
  };
}
