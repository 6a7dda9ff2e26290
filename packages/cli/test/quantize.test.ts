import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalDirSource, loadModel, parseSafetensors } from "@edgeformers/engine";
import { generateTinyEncoder } from "@edgeformers/engine/testing";
import { afterAll, describe, expect, it } from "vitest";
import { quantizeFolder } from "../src/index.js";

const dir = mkdtempSync(join(tmpdir(), "edgeformers-quantize-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeModel(name: string, head: "base" | "ForSequenceClassification"): string {
  const model = generateTinyEncoder({
    seed: 7,
    head,
    hiddenSize: 64,
    intermediateSize: 128,
    numHeads: 4,
    vocabSize: 64,
    numLabels: 3,
  });
  const folder = join(dir, name);
  for (const [file, content] of Object.entries(model.files)) {
    writeFileSync(join(folder, file), content, { flag: "w" });
  }
  writeFileSync(join(folder, "modules.json"), "[]");
  return folder;
}

describe("models quantize", () => {
  it("writes an int8 copy that reloads, is smaller, and agrees with f32 (cosine ≥ 0.999)", async () => {
    const { mkdirSync } = await import("node:fs");
    mkdirSync(join(dir, "tiny-bert"));
    const folder = writeModel("tiny-bert", "base");
    const report = await quantizeFolder(folder);
    expect(report.out).toBe(`${folder}-int8`);
    // Matrices become one byte a weight (plus a scale per row): well under half the f32 size.
    expect(report.bytesAfter).toBeLessThan(report.bytesBefore * 0.5);
    expect(report.cosines).toHaveLength(4);
    for (const c of report.cosines) expect(c).toBeGreaterThanOrEqual(0.999);
    expect(existsSync(join(report.out, "tokenizer.json"))).toBe(true);
    expect(existsSync(join(report.out, "modules.json"))).toBe(true);
    const bytes = readFileSync(join(report.out, "model.safetensors"));
    const store = parseSafetensors(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    expect(store.info("encoder.layer.0.attention.self.query.weight").dtype).toBe("I8");
    expect(store.info("encoder.layer.0.attention.self.query.weight_scale").dtype).toBe("F32");
    expect((await loadModel(new LocalDirSource(report.out))).config.model_type).toBe("bert");
  });

  it("reports the logits of a classification head", async () => {
    const { mkdirSync } = await import("node:fs");
    mkdirSync(join(dir, "tiny-cls"));
    const report = await quantizeFolder(writeModel("tiny-cls", "ForSequenceClassification"));
    expect(report.output).toBe("logits");
    for (const c of report.cosines) expect(c).toBeGreaterThanOrEqual(0.99);
  });

  it("names a folder without model.safetensors", async () => {
    await expect(quantizeFolder(join(dir, "nope"))).rejects.toThrow(/has no model\.safetensors/);
  });
});

describe("edgeformers models quantize (the bin)", () => {
  it("prints the sizes and cosines", async () => {
    const { mkdirSync } = await import("node:fs");
    const { execFileSync } = await import("node:child_process");
    mkdirSync(join(dir, "tiny-bin"));
    const folder = writeModel("tiny-bin", "base");
    const bin = join(import.meta.dirname, "..", "bin", "edgeformers.mjs");
    const stdout = execFileSync(process.execPath, [bin, "models", "quantize", folder], { encoding: "utf8" });
    expect(stdout).toContain(`wrote ${folder}-int8`);
    expect(stdout).toMatch(/model\.safetensors\s+[\d.]+ MiB -> [\d.]+ MiB \(\d+%\)/);
    const cosines = /cosine int8 vs f32 \(pooler_output\): (.*)/.exec(stdout)?.[1]?.split(", ").map(Number) ?? [];
    expect(cosines).toHaveLength(4);
    for (const c of cosines) expect(c).toBeGreaterThanOrEqual(0.999);
  });
});
