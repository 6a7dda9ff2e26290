import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { appendFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serializeSafetensors } from "@edgeformers/engine";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { CliError, type FileSink, inspect, LOCAL_BUCKET, listModels, pull, push } from "../src/index.js";
import { type FakeHub, startFakeHub } from "./fake-hub.js";

const text = (value: unknown) => new TextEncoder().encode(typeof value === "string" ? value : JSON.stringify(value));

/** A BERT-shaped repository: 4 layers' worth of bytes is plenty to exercise resume. */
function bertRepo() {
  const weights = serializeSafetensors({
    "embeddings.word_embeddings.weight": {
      dtype: "F32",
      shape: [1000, 64],
      data: Float32Array.from({ length: 64000 }, (_, i) => Math.sin(i)),
    },
    "encoder.layer.0.attention.self.query.weight": {
      dtype: "F32",
      shape: [64, 64],
      data: new Float32Array(4096).fill(0.5),
    },
    "encoder.layer.0.attention.self.query.bias": { dtype: "F32", shape: [64], data: new Float32Array(64) },
  });
  return {
    files: {
      "config.json": text({ model_type: "bert", architectures: ["BertModel"], hidden_size: 64 }),
      "tokenizer.json": text({ version: "1.0", model: { type: "WordPiece", vocab: { "[UNK]": 0 } } }),
      "tokenizer_config.json": text({ model_max_length: 512 }),
      "modules.json": text([{ idx: 0, name: "0", path: "", type: "sentence_transformers.models.Transformer" }]),
      "1_Pooling/config.json": text({ word_embedding_dimension: 64, pooling_mode_mean_tokens: true }),
      "model.safetensors": weights,
      "pytorch_model.bin": text("not wanted"),
      "README.md": text("# tiny"),
    },
    lfs: ["model.safetensors", "pytorch_model.bin"],
  };
}

let hub: FakeHub;
let dir: string;
const repos = {
  "org/tiny-bert": bertRepo(),
  "org/private-bert": { ...bertRepo(), token: "hf_secret" },
  "org/gpt2": {
    files: {
      "config.json": text({ model_type: "gpt2", architectures: ["GPT2LMHeadModel"] }),
      "tokenizer.json": text({}),
      "model.safetensors": text("x".repeat(1000)),
    },
    lfs: ["model.safetensors"],
  },
  "org/sharded": (() => {
    const base = bertRepo();
    const shard1 = serializeSafetensors({ a: { dtype: "F32", shape: [2], data: new Float32Array([1, 2]) } });
    const shard2 = serializeSafetensors({ b: { dtype: "F32", shape: [2], data: new Float32Array([3, 4]) } });
    const { "model.safetensors": _, ...rest } = base.files;
    return {
      files: {
        ...rest,
        "model.safetensors.index.json": text({
          weight_map: { a: "model-00001-of-00002.safetensors", b: "model-00002-of-00002.safetensors" },
        }),
        "model-00001-of-00002.safetensors": shard1,
        "model-00002-of-00002.safetensors": shard2,
      },
      lfs: ["model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"],
    };
  })(),
};

beforeAll(async () => {
  hub = await startFakeHub(repos);
});
afterAll(async () => {
  await hub.close();
});
afterEach(() => {
  hub.requests.length = 0;
  hub.faults.cutAfter = undefined;
  hub.faults.corrupt = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function freshDir(): string {
  dir = mkdtempSync(join(tmpdir(), "edgeformers-pull-"));
  return dir;
}

const same = (path: string, bytes: Uint8Array) => expect(new Uint8Array(readFileSync(path))).toEqual(bytes);

describe("models pull against a fake hub", () => {
  it("downloads the files the engine needs, verified, into <dir>/<org>/<name>", async () => {
    const out = freshDir();
    const result = await pull("org/tiny-bert", { endpoint: hub.url, dir: out });
    const target = join(out, "org", "tiny-bert");
    expect(result.path).toBe(target);
    expect(result.files.sort()).toEqual(
      [
        "1_Pooling/config.json",
        "config.json",
        "model.safetensors",
        "modules.json",
        "tokenizer.json",
        "tokenizer_config.json",
      ].sort(),
    );
    for (const file of result.files)
      same(join(target, file), repos["org/tiny-bert"].files[file as keyof ReturnType<typeof bertRepo>["files"]]);
    expect(existsSync(join(target, "pytorch_model.bin"))).toBe(false);
    expect(existsSync(join(out, ".partial", "org", "tiny-bert"))).toBe(false);
    // The weights came from the CDN path the LFS redirect named.
    expect(hub.requests.some((r) => r.path.startsWith("/cdn/"))).toBe(true);
    expect(await listModels(out)).toEqual([target]);
    const again = await pull("org/tiny-bert", { endpoint: hub.url, dir: out });
    expect(again.alreadyPresent).toBe(true);
  });

  it("resumes an interrupted download with a Range request and leaves no complete-looking folder meanwhile", async () => {
    const out = freshDir();
    hub.faults.cutAfter = { file: "model.safetensors", bytes: 100_000 };
    await expect(pull("org/tiny-bert", { endpoint: hub.url, dir: out })).rejects.toThrow(/interrupted|got \d+ of/);
    expect(existsSync(join(out, "org", "tiny-bert"))).toBe(false);
    const partial = join(out, ".partial", "org", "tiny-bert", "model.safetensors.incomplete");
    // Whatever reached the disk before the cut (bytes in flight are lost) is kept for resuming.
    const kept = readFileSync(partial).byteLength;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThanOrEqual(100_000);

    hub.requests.length = 0;
    const result = await pull("org/tiny-bert", { endpoint: hub.url, dir: out });
    expect(hub.requests.find((r) => r.path.startsWith("/cdn/") && r.method === "GET")?.range).toBe(`bytes=${kept}-`);
    same(join(result.path, "model.safetensors"), repos["org/tiny-bert"].files["model.safetensors"]);
    // Files finished by the first attempt were not fetched again.
    expect(hub.requests.filter((r) => r.method === "GET" && r.path.endsWith("/tokenizer.json"))).toHaveLength(0);
  });

  it("rejects a checksum mismatch, removes the bad bytes, and succeeds once the hub serves the right ones", async () => {
    const out = freshDir();
    hub.faults.corrupt = "model.safetensors";
    const error = await pull("org/tiny-bert", { endpoint: hub.url, dir: out }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect((error as Error).message).toMatch(/Checksum mismatch for .*model\.safetensors: expected sha256/);
    expect(existsSync(join(out, "org", "tiny-bert"))).toBe(false);
    expect(existsSync(join(out, ".partial", "org", "tiny-bert", "model.safetensors.incomplete"))).toBe(false);
    hub.faults.corrupt = undefined;
    await pull("org/tiny-bert", { endpoint: hub.url, dir: out });
    expect(existsSync(join(out, "org", "tiny-bert", "model.safetensors"))).toBe(true);
  });

  it("checks plain files against their git-blob ETag", async () => {
    const out = freshDir();
    hub.faults.corrupt = "tokenizer.json";
    await expect(pull("org/tiny-bert", { endpoint: hub.url, dir: out })).rejects.toThrow(
      /tokenizer\.json: expected git sha1/,
    );
  });

  it("explains 401 (set HF_TOKEN) and sends the token when given", async () => {
    const out = freshDir();
    await expect(pull("org/private-bert", { endpoint: hub.url, dir: out })).rejects.toThrow(/401.*HF_TOKEN/);
    hub.requests.length = 0;
    const result = await pull("org/private-bert", { endpoint: hub.url, dir: out, token: "hf_secret" });
    expect(existsSync(join(result.path, "model.safetensors"))).toBe(true);
    expect(
      hub.requests.filter((r) => r.path.startsWith("/api/")).every((r) => r.authorization === "Bearer hf_secret"),
    ).toBe(true);
  });

  it("explains 404 for an unknown repository", async () => {
    await expect(pull("org/missing", { endpoint: hub.url, dir: freshDir() })).rejects.toThrow(
      /not found on http:\/\/127\.0\.0\.1/,
    );
  });

  it("refuses an architecture the engine cannot run before downloading any weights", async () => {
    const out = freshDir();
    await expect(pull("org/gpt2", { endpoint: hub.url, dir: out })).rejects.toThrow(
      /cannot be served: .*gpt2.*not supported/,
    );
    expect(hub.requests.some((r) => r.path.includes("model.safetensors") || r.path.startsWith("/cdn/"))).toBe(false);
    expect(existsSync(join(out, "org", "gpt2"))).toBe(false);
  });

  it("reports a full disk clearly and resumes afterwards", async () => {
    const out = freshDir();
    let budget = 50_000;
    const fullDisk: FileSink = {
      async append(path, bytes) {
        if (bytes.byteLength > budget)
          throw Object.assign(new Error("ENOSPC: no space left on device"), { code: "ENOSPC" });
        budget -= bytes.byteLength;
        await appendFile(path, bytes);
      },
    };
    await expect(pull("org/tiny-bert", { endpoint: hub.url, dir: out, sink: fullDisk })).rejects.toThrow(
      /No space left/,
    );
    expect(existsSync(join(out, "org", "tiny-bert"))).toBe(false);
    await pull("org/tiny-bert", { endpoint: hub.url, dir: out });
    same(join(out, "org", "tiny-bert", "model.safetensors"), repos["org/tiny-bert"].files["model.safetensors"]);
  });

  it("follows model.safetensors.index.json to every shard", async () => {
    const result = await pull("org/sharded", { endpoint: hub.url, dir: freshDir() });
    expect(result.files).toEqual(
      expect.arrayContaining(["model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"]),
    );
  });

  it("honours HF_ENDPOINT and HF_TOKEN from the environment", async () => {
    const out = freshDir();
    process.env.HF_ENDPOINT = hub.url;
    process.env.HF_TOKEN = "hf_secret";
    try {
      const result = await pull("org/private-bert", { dir: out });
      expect(existsSync(join(result.path, "config.json"))).toBe(true);
    } finally {
      delete process.env.HF_ENDPOINT;
      delete process.env.HF_TOKEN;
    }
  });
});

describe("models inspect", () => {
  it("counts parameters and estimates memory against the isolate", async () => {
    const result = await pull("org/tiny-bert", { endpoint: hub.url, dir: freshDir() });
    const info = await inspect(result.path);
    // 1000×64 + 64×64 + 64 parameters, all F32.
    expect(info.parameters).toBe(64_000 + 4096 + 64);
    expect(info.f32Bytes).toBe(info.parameters * 4);
    // The word embeddings and the 64×64 matrix become one byte a weight plus an f32 scale per
    // row (1000 + 64 rows); the bias stays f32.
    expect(info.int8Bytes).toBe(64 * 4 + 64_000 + 4096 + (1000 + 64) * 4);
    // The i16 kernel widens the 64×64 Linear weight to 2 bytes; the word embeddings stay 1 byte.
    expect(info.int8I16Bytes).toBe(info.int8Bytes + 4096);
    expect(info.fitsF32).toBe(true);
    expect(info.apps).toEqual(["tokenize", "embed"]);
  });
});

describe("the edgeformers bin", () => {
  const bin = join(import.meta.dirname, "..", "bin", "edgeformers.mjs");
  const run = async (args: string[], env: Record<string, string> = {}) => {
    const { execFile } = await import("node:child_process");
    return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, [bin, ...args], { env: { ...process.env, ...env } }, (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
  };

  it("pulls, lists and inspects a model end to end", async () => {
    const out = freshDir();
    const pulled = await run(["models", "pull", "org/tiny-bert", "--dir", out], { HF_ENDPOINT: hub.url });
    expect(pulled.stderr).toContain("bert (BertModel)");
    expect(pulled.stdout).toContain(`pulled ${join(out, "org", "tiny-bert")}`);
    expect(pulled.code).toBe(0);
    const listed = await run(["models", "ls", "--dir", out]);
    expect(listed.stdout.trim()).toBe(join(out, "org", "tiny-bert"));
    const inspected = await run(["models", "inspect", join(out, "org", "tiny-bert")]);
    expect(inspected.stdout).toMatch(/parameters\s+68,160 \(F32/);
    expect(inspected.stdout).toContain("fits a 128.0 MiB isolate");
  });

  it("exits 2 with usage on a bad command line, 1 with one line on a failed pull", async () => {
    const bad = await run(["models", "pull", "org/x", "--format", "gguf"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--format must be safetensors or onnx");
    const failed = await run(["models", "pull", "org/missing", "--dir", freshDir()], { HF_ENDPOINT: hub.url });
    expect(failed.code).toBe(1);
    expect(failed.stderr.trim().split("\n")).toHaveLength(1);
  });
});

describe("models push", () => {
  it("--local writes the folder into the Miniflare R2 state npm start serves", async () => {
    const out = freshDir();
    const { path } = await pull("org/tiny-bert", { endpoint: hub.url, dir: join(out, "models") });
    const persistTo = join(out, "state");
    const keys = await push(path, { local: true, persistTo });
    expect(keys).toContain("org/tiny-bert/model.safetensors");
    expect(keys).toContain("org/tiny-bert/1_Pooling/config.json");
    // A fresh Miniflare on the same state sees the bytes, under the bucket the apps bind.
    const { Miniflare } = await import("miniflare");
    const mf = new Miniflare({
      modules: true,
      script: "export default { fetch() { return new Response(null); } }",
      r2Buckets: { MODELS: LOCAL_BUCKET },
      r2Persist: persistTo,
    });
    try {
      const object = await (await mf.getR2Bucket("MODELS")).get("org/tiny-bert/model.safetensors");
      expect(new Uint8Array(await (object as { arrayBuffer(): Promise<ArrayBuffer> }).arrayBuffer())).toEqual(
        repos["org/tiny-bert"].files["model.safetensors"],
      );
    } finally {
      await mf.dispose();
    }
  });

  it("uploads each file with wrangler r2 object put --remote, and names a failure", async () => {
    const out = freshDir();
    const { path } = await pull("org/tiny-bert", { endpoint: hub.url, dir: out });
    const log = join(out, "wrangler-calls.jsonl");
    const recorder = join(out, "fake-wrangler.mjs");
    writeFileSync(
      recorder,
      `import { appendFileSync } from "node:fs";
appendFileSync(${JSON.stringify(log)}, JSON.stringify(process.argv.slice(2)) + "\\n");
if (process.argv.includes("--file") && process.argv.at(-2).endsWith("tokenizer.json") && process.env.FAIL_TOKENIZER) { console.error("auth error"); process.exit(1); }`,
    );
    const keys = await push(path, { bucket: "edgeformers-models", wrangler: [process.execPath, recorder] });
    const calls = readFileSync(log, "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as string[]);
    expect(calls).toHaveLength(keys.length);
    expect(calls).toContainEqual([
      "r2",
      "object",
      "put",
      "edgeformers-models/org/tiny-bert/config.json",
      "--file",
      join(path, "config.json"),
      "--remote",
    ]);
    process.env.FAIL_TOKENIZER = "1";
    try {
      await expect(push(path, { bucket: "b", wrangler: [process.execPath, recorder] })).rejects.toThrow(
        /could not upload tokenizer\.json to b\/org\/tiny-bert\/tokenizer\.json: auth error/,
      );
    } finally {
      delete process.env.FAIL_TOKENIZER;
    }
    await expect(push(path, {})).rejects.toThrow(/--bucket/);
  });
});
