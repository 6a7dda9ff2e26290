/**
 * One HTTP suite, three deployments of the same code: every worker in one Miniflare behind the
 * gateway (service bindings), the single-worker gateway in Miniflare, and `edgeformers serve`
 * on Node with the models on disk. Each is reached over real HTTP on 127.0.0.1.
 */
import { rmSync } from "node:fs";
import { serve } from "@edgeformers/cli";
import { expectProblem, serviceConformance } from "@edgeformers/server/testing";
import type { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalStack } from "../infra/local.mjs";
import { CATALOGUE, HELLO_WORLD, SINGLE_CATALOGUE, writeModels } from "./models.js";

/** The keys the conformance suite presents; the guarded deployment is started with them. */
const GATEWAY_KEYS = "key-one,key-two";

interface Deployment {
  base: string;
  stop(): Promise<void>;
  /** The R2 bucket, where the deployment has one (Miniflare). */
  bucketText?(key: string): Promise<string | null>;
}

type Start = (modelsDir: string, vars: Record<string, unknown>) => Promise<Deployment>;

const miniflare =
  (mode: "service-bindings" | "single-worker"): Start =>
  async (modelsDir, vars) => {
    // Port 0: the OS picks free ports, so the suite never collides with `npm start`.
    const bindings =
      mode === "single-worker"
        ? { gateway: { ...vars, MODEL_CONFIG: SINGLE_CATALOGUE } }
        : {
            gateway: vars,
            tokenize: { MODEL_CONFIG: CATALOGUE.tokenize },
            embed: { MODEL_CONFIG: CATALOGUE.embed },
            classify: { MODEL_CONFIG: CATALOGUE.classify },
          };
    const { mf, url } = await startLocalStack({ mode, port: 0, bindings, seedDir: modelsDir });
    const worker = mode === "single-worker" ? "edgeformers" : "edgeformers-embed";
    return {
      base: url.href.replace(/\/$/, ""),
      stop: () => (mf as Miniflare).dispose(),
      async bucketText(key) {
        const object = await (await mf.getR2Bucket("MODELS", worker)).get(key);
        return object ? object.text() : null;
      },
    };
  };

const nodeServe: Start = async (modelsDir, vars) => {
  const { server, url } = await serve({ dir: modelsDir, port: 0, vars: { ...vars, MODEL_CONFIG: SINGLE_CATALOGUE } });
  return { base: url, stop: () => new Promise((resolve) => server.close(() => resolve())) };
};

const deployments: [string, Start][] = [
  ["Miniflare, service-binding gateway", miniflare("service-bindings")],
  ["Miniflare, single-worker gateway", miniflare("single-worker")],
  ["edgeformers serve on Node", nodeServe],
];

for (const [name, start] of deployments) {
  describe(name, () => {
    const modelsDir = writeModels();
    let open: Deployment;
    let guarded: Deployment;
    beforeAll(async () => {
      open = await start(modelsDir, {});
      guarded = await start(modelsDir, { API_KEYS: GATEWAY_KEYS });
    });
    afterAll(async () => {
      await open?.stop();
      await guarded?.stop();
      rmSync(modelsDir, { recursive: true, force: true });
    });

    const at = (deployment: () => Deployment) => (path: string, init?: RequestInit) =>
      fetch(`${deployment().base}${path}`, init);
    const post = (path: string, body: unknown) =>
      at(() => open)(path, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });

    it("listens on 127.0.0.1 only", () => {
      expect(new URL(open.base).hostname).toBe("127.0.0.1");
    });

    it("reports every worker healthy", async () => {
      const res = await at(() => open)("/health");
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({
        status: "ok",
        services: { tokenize: "ok", embed: "ok", classify: "ok" },
      });
    });

    it("lists the models once, in the OpenAI shape", async () => {
      const body = (await (await at(() => open)("/v1/models")).json()) as { object: string; data: { id: string }[] };
      expect(body.object).toBe("list");
      expect(body.data.map((m) => m.id).sort()).toEqual(["tiny-static", "tiny-tok"]);
    });

    it("reaches each worker under /apps/<name>/", async () => {
      for (const service of ["tokenize", "embed", "classify"]) {
        const res = await at(() => open)(`/apps/${service}/info`);
        expect(res.headers.get("x-edgeformers-service")).toBe(service);
        expect(((await res.json()) as { name: string }).name).toBe(service);
      }
    });

    it("tokenizes through the tokenize worker (hand-derived ids and offsets)", async () => {
      const res = await post("/v1/tokenize", {
        model: "tiny-tok",
        text: "Hello, worlds!",
        return_offsets_mapping: true,
      });
      expect(res.headers.get("x-edgeformers-service")).toBe("tokenize");
      const body = (await res.json()) as { input_ids: number[]; offset_mapping: number[][] };
      expect(body.input_ids).toEqual([2, 5, 12, 6, 7, 8, 3]);
      expect(body.offset_mapping[3]).toEqual([7, 12]);
    });

    it("embeds through the embed worker (hand-derived vector)", async () => {
      const res = await post("/v1/embeddings", { model: "tiny-static", input: "hello world" });
      expect(res.headers.get("x-edgeformers-service")).toBe("embed");
      const body = (await res.json()) as { data: { embedding: number[] }[] };
      const error = Math.max(
        ...(body.data[0]?.embedding ?? []).map((v, i) => Math.abs(v - (HELLO_WORLD[i] as number))),
      );
      expect(error).toBeLessThan(1e-6);
    });

    it("lets the owning worker validate forwarded requests", async () => {
      const res = await post("/v1/embeddings", {});
      expect(res.headers.get("x-edgeformers-service")).toBe("embed");
      expect((await expectProblem(res, 422)).field).toBe("input");
    });

    it("serves the model files to the workers from the bucket (or the folder standing in for it)", async () => {
      if (!open.bucketText) return; // on Node the folder is the bucket, exercised by the routes above
      expect(JSON.parse((await open.bucketText("tiny/static/config.json")) ?? "null")).toEqual({
        model_type: "model2vec",
        normalize: true,
      });
    });

    serviceConformance({
      service: "gateway",
      fetch: at(() => open),
      fetchWithKeys: (keys) => {
        expect(keys).toBe(GATEWAY_KEYS);
        return at(() => guarded);
      },
    });
  });
}
