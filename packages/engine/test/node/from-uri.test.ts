import { describe, expect, it } from "vitest";
import { HttpSource, R2Source, sourceFromUri } from "../../src/index.js";

describe("sourceFromUri", () => {
  const bucket = { get: async () => null };

  it("reads r2: URIs from the bucket under the prefix and http(s) URIs from the base URL", async () => {
    const r2 = sourceFromUri("r2:models/minilm/", { r2: bucket, r2Name: "MODELS" });
    expect(r2).toBeInstanceOf(R2Source);
    expect(r2.description).toBe("r2:MODELS/models/minilm/");
    expect(sourceFromUri("https://huggingface.co/org/name/resolve/main/")).toBeInstanceOf(HttpSource);
  });

  it("names what is wrong", () => {
    expect(() => sourceFromUri("r2:models/x/")).toThrow(/no bucket binding/);
    expect(() => sourceFromUri("s3://bucket/x")).toThrow(/must start with r2: or http\(s\):\/\//);
  });
});
