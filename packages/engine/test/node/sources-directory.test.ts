import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DirectorySource, ModelSourceError } from "../../src/node.js";

describe("DirectorySource", () => {
  let root: string;
  let outside: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "engine-dir-"));
    outside = `${root}-secret.txt`;
    await mkdir(join(root, "1_Pooling"));
    await writeFile(join(root, "config.json"), '{"model_type":"bert"}');
    await writeFile(join(root, "1_Pooling", "config.json"), "{}");
    await writeFile(join(root, "weights.bin"), new Uint8Array([1, 2, 3, 250]));
    await writeFile(outside, "secret");
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
    await rm(outside, { force: true });
  });

  it("reads bytes and text of existing files, including in subfolders", async () => {
    const src = new DirectorySource(root);
    expect(new Uint8Array((await src.get("weights.bin"))!)).toEqual(new Uint8Array([1, 2, 3, 250]));
    expect(await src.getText("config.json")).toBe('{"model_type":"bert"}');
    expect(await src.getText("./1_Pooling/config.json")).toBe("{}");
  });

  it("returns null / false for absent files, including under a file", async () => {
    const src = new DirectorySource(root);
    expect(await src.get("model.safetensors")).toBeNull();
    expect(await src.getText("config.json/inner")).toBeNull();
    expect(await src.exists("model.safetensors")).toBe(false);
    expect(await src.exists("config.json")).toBe(true);
    expect(await src.exists("1_Pooling")).toBe(false); // a directory is not a model file
  });

  it("lists files with / separators", async () => {
    expect(await new DirectorySource(root).list()).toEqual(["1_Pooling/config.json", "config.json", "weights.bin"]);
  });

  it("refuses paths that leave the model directory", async () => {
    const src = new DirectorySource(root);
    const name = outside.slice(outside.lastIndexOf("/") + 1);
    await expect(src.get(`../${name}`)).rejects.toThrow(TypeError);
    await expect(src.get(outside)).rejects.toThrow(/must be a non-empty relative path/);
    await expect(src.get("")).rejects.toThrow(TypeError);
  });

  it("reports listing a missing directory as ModelSourceError", async () => {
    await expect(new DirectorySource(join(root, "nope")).list()).rejects.toThrow(ModelSourceError);
  });

  it("reports a read failure other than absence as ModelSourceError naming the file", async () => {
    const err = await new DirectorySource(root).get("1_Pooling").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelSourceError);
    expect((err as Error).message).toContain(join(root, "1_Pooling"));
  });
});
