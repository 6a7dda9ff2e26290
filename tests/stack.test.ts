import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expectProblem, serviceConformance } from "@edgeformers/server/testing";
import type { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalStack } from "../infra/local.mjs";

const MODEL_CONFIG = {
  tokenize: { "tiny-bert": { source: "r2:tiny-bert/", task: "tokenize" } },
  embed: { "tiny-bert": { source: "r2:tiny-bert/", task: "feature-extraction", backend: "kernels" } },
  classify: { "tiny-sst2": { source: "r2:tiny-sst2/", task: "text-classification", dtype: "int8" } },
};

function seedFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), "edgeformers-seed-"));
  mkdirSync(join(dir, "tiny-bert"));
  writeFileSync(join(dir, "tiny-bert", "config.json"), JSON.stringify({ model_type: "bert", hidden_size: 32 }));
  writeFileSync(join(dir, "tiny-bert", "tokenizer.json"), JSON.stringify({ version: "1.0" }));
  return dir;
}

const modes = ["service-bindings", "single-worker"] as const;
/** The keys the conformance suite presents; the guarded stack is started with them. */
const GATEWAY_KEYS = "key-one,key-two";

for (const mode of modes) {
  describe(`all apps in one Miniflare, ${mode} mode`, () => {
    let mf: Miniflare;
    let base: URL;
    let keyed: Miniflare;
    let keyedBase: URL;
    let seeded: string[];
    const seedDir = seedFolder();

    beforeAll(async () => {
      const bindings =
        mode === "single-worker"
          ? { gateway: { MODEL_CONFIG: { ...MODEL_CONFIG.tokenize, ...MODEL_CONFIG.classify } } }
          : {
              tokenize: { MODEL_CONFIG: MODEL_CONFIG.tokenize },
              embed: { MODEL_CONFIG: MODEL_CONFIG.embed },
              classify: { MODEL_CONFIG: MODEL_CONFIG.classify },
            };
      // Port 0: the OS picks free ports, so the suite never collides with `npm start`.
      const stack = await startLocalStack({ mode, port: 0, bindings, seedDir });
      ({ mf, url: base, seeded } = stack);
      const guarded = await startLocalStack({ mode, port: 0, bindings: { gateway: { API_KEYS: GATEWAY_KEYS } } });
      ({ mf: keyed, url: keyedBase } = guarded);
    });
    afterAll(async () => {
      await mf?.dispose();
      await keyed?.dispose();
      rmSync(seedDir, { recursive: true, force: true });
    });

    const at = (root: () => URL) => (path: string, init?: RequestInit) => fetch(new URL(path, root()), init);

    it("listens on 127.0.0.1 only", () => {
      expect(base.hostname).toBe("127.0.0.1");
    });

    it("reports every worker healthy through the gateway", async () => {
      const res = await at(() => base)("/health");
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({
        status: "ok",
        mode,
        services: { tokenize: "ok", embed: "ok", classify: "ok" },
      });
    });

    it("reaches each app through the gateway and sees its configured models", async () => {
      const res = await at(() => base)("/info");
      const info = (await res.json()) as { mode: string; models: { name: string; service: string; task: string }[] };
      expect(info.mode).toBe(mode);
      const byService = (service: string) =>
        info.models
          .filter((m) => m.service === service)
          .map((m) => m.name)
          .sort();
      if (mode === "service-bindings") {
        expect(byService("tokenize")).toEqual(["tiny-bert"]);
        expect(byService("embed")).toEqual(["tiny-bert"]);
        expect(byService("classify")).toEqual(["tiny-sst2"]);
      } else {
        // One isolate, one MODEL_CONFIG: every app sees the same catalogue.
        expect(byService("embed")).toEqual(["tiny-bert", "tiny-sst2"]);
      }
      for (const service of ["tokenize", "embed", "classify"]) {
        const direct = await at(() => base)(`/apps/${service}/info`);
        expect(direct.headers.get("x-edgeformers-service")).toBe(service);
        expect(((await direct.json()) as { name: string }).name).toBe(service);
      }
    });

    it("lists every worker's models once in the OpenAI shape", async () => {
      const res = await at(() => base)("/v1/models");
      const body = (await res.json()) as { object: string; data: { id: string; object: string }[] };
      expect(body.object).toBe("list");
      expect(body.data.map((m) => m.id).sort()).toEqual(["tiny-bert", "tiny-sst2"]);
      expect(body.data.every((m) => m.object === "model")).toBe(true);
    });

    it("seeds the local R2 bucket from disk, visible to the workers' MODELS binding", async () => {
      expect(seeded.sort()).toEqual(["tiny-bert/config.json", "tiny-bert/tokenizer.json"]);
      const workerName = mode === "single-worker" ? "edgeformers" : "edgeformers-embed";
      const bucket = await mf.getR2Bucket("MODELS", workerName);
      const object = await bucket.get("tiny-bert/config.json");
      expect(JSON.parse((await object?.text()) ?? "null")).toEqual({ model_type: "bert", hidden_size: 32 });
    });

    it("forwards task routes to the owning worker, which validates them", async () => {
      const res = await at(() => base)("/v1/embeddings", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
      });
      expect(res.headers.get("x-edgeformers-service")).toBe("embed");
      expect((await expectProblem(res, 422)).field).toBe("input");
    });

    serviceConformance({
      service: "gateway",
      fetch: at(() => base),
      fetchWithKeys: (keys) => {
        expect(keys).toBe(GATEWAY_KEYS);
        return at(() => keyedBase);
      },
    });
  });
}
