/**
 * `wrangler deploy --dry-run` (wrangler's esbuild, workerd conditions) of a Worker importing
 * `@edgeformers/engine/ort-web`: ort's .wasm is emitted as a module next to the script, and no
 * eval/new Function is bundled. A Worker importing only the main entry bundles no onnxruntime-web.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const fixtures = resolve(import.meta.dirname, "../fixtures");
const out = mkdtempSync(join(tmpdir(), "engine-bundle-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function dryRun(worker: string): { dir: string; files: Record<string, number>; script: string; summary: string } {
  const dir = join(out, worker);
  const wrangler = createRequire(import.meta.url).resolve("wrangler/bin/wrangler.js");
  const summary = execFileSync(
    process.execPath,
    [wrangler, "deploy", "--dry-run", "--outdir", dir, "--config", join(fixtures, worker, "wrangler.jsonc")],
    { encoding: "utf8", env: { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" }, timeout: 120_000 },
  );
  const files = Object.fromEntries(readdirSync(dir).map((f) => [f, statSync(join(dir, f)).size]));
  return { dir, files, script: readFileSync(join(dir, "worker.js"), "utf8"), summary };
}

describe("bundling for Workers with wrangler", () => {
  it("a Worker importing @edgeformers/engine/ort-web gets ort's .wasm as a module and no eval", () => {
    const { files, script, summary } = dryRun("ort-web-worker");
    const ortWasm = statSync(
      createRequire(import.meta.url).resolve("onnxruntime-web/ort-wasm-simd-threaded.wasm"),
    ).size;
    const wasm = Object.entries(files).filter(([f]) => f.endsWith("ort-wasm-simd-threaded.wasm"));
    expect(wasm).toHaveLength(1);
    expect(wasm[0][1]).toBe(ortWasm);
    // Only the non-JSEP build: no JSEP/JSPI/asyncify variants.
    expect(Object.keys(files).filter((f) => /\.(jsep|jspi|asyncify)\.wasm$/.test(f))).toEqual([]);
    expect(script).not.toMatch(/\bnew Function\(|\beval\(/);
    expect(script.includes("ort-wasm-simd-threaded")).toBe(true); // the marker the control test looks for
    const total = summary.match(/Total Upload: ([\d.]+ KiB) \/ gzip: ([\d.]+ KiB)/);
    expect(total).not.toBeNull();
    console.info(
      `[bundle] ort-web worker: worker.js ${files["worker.js"]} bytes, total upload ${total?.[1]}, gzip ${total?.[2]}`,
    );
  });

  it("a Worker importing only the main entry bundles no onnxruntime-web", () => {
    const { files, script, summary } = dryRun("main-only-worker");
    expect(Object.keys(files).filter((f) => f.includes("ort-wasm"))).toEqual([]);
    // ort's glue names its .wasm; the engine's own messages mention "onnxruntime", so not that.
    expect(script.includes("ort-wasm-simd-threaded")).toBe(false);
    expect(Object.keys(files).some((f) => f.endsWith("kernels.simd.wasm"))).toBe(true);
    console.info(
      `[bundle] main-only worker: worker.js ${files["worker.js"]} bytes, ${summary.match(/Total Upload: .*/)?.[0]}`,
    );
  });
});
