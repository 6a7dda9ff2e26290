import { describe, expect, it } from "vitest";
import { Metrics, ProblemError, type ResolvedModel } from "../src/index.js";
import { IsolateModels } from "../src/model-loader.js";

const entry = (source: string, backend?: "kernels" | "ort" | "static"): ResolvedModel => ({
  name: "m",
  entry: { source, task: "feature-extraction", ...(backend ? { backend } : {}) },
});

async function problemOf(promise: Promise<unknown>): Promise<ProblemError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProblemError);
  return error as ProblemError;
}

describe("IsolateModels", () => {
  it("builds each catalogue entry once per isolate from its source and records the load", async () => {
    const built: string[] = [];
    const models = new IsolateModels<{ bytes: number }>(
      (value) => value.bytes,
      async (model, source) => {
        built.push(`${model.name} ${source.constructor.name}`);
        return { bytes: 10 };
      },
    );
    const metrics = new Metrics("test");
    const model = entry("https://example.invalid/repo/");
    const [a, b] = await Promise.all([models.get(model, {}, metrics), models.get(model, {}, metrics)]);
    expect(a).toBe(b);
    expect(built).toEqual(["m HttpSource"]);
    expect(metrics.render()).toMatch(/model="m"/);
  });

  it("turns a failed load into a 503 naming the model, and forgets it", async () => {
    let calls = 0;
    const models = new IsolateModels<{ bytes: number }>(
      () => 0,
      async () => {
        calls++;
        throw new Error("config.json is missing");
      },
    );
    const problem = await problemOf(models.get(entry("https://example.invalid/x/"), {}, new Metrics("test")));
    expect(problem.status).toBe(503);
    expect(problem.message).toMatch(/Model "m" could not be loaded: config.json is missing/);
    await problemOf(models.get(entry("https://example.invalid/x/"), {}, new Metrics("test")));
    expect(calls).toBe(2);
  });

  it("answers 503 for an r2: source without the MODELS binding", async () => {
    const models = new IsolateModels<{ bytes: number }>(
      () => 0,
      async () => ({ bytes: 0 }),
    );
    const problem = await problemOf(models.get(entry("r2:models/x"), {}, new Metrics("test")));
    expect(problem.status).toBe(503);
    expect(problem.message).toMatch(/MODELS/);
  });

  it("answers 501 for an ort entry in a build without onnxruntime", async () => {
    const models = new IsolateModels<unknown>(
      () => 0,
      (_model, _source, loadEngineModel) => loadEngineModel(),
    );
    const problem = await problemOf(models.get(entry("https://example.invalid/x/", "ort"), {}, new Metrics("test")));
    expect(problem.status).toBe(501);
    expect(problem.message).toMatch(/ort backend, which this build leaves out/);
  });
});
