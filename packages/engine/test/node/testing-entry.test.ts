/** The "./testing" subpath other packages use for tiny models. */

import { generateTinyEncoder, SeededRandom, tinyTokenizer } from "@edgeformers/engine/testing";
import { describe, expect, it } from "vitest";
import { generateTinyEncoder as direct } from "../../src/testing/tiny-encoder.js";

describe("@edgeformers/engine/testing", () => {
  it("exports the generators, deterministic per seed", () => {
    const a = generateTinyEncoder({ seed: 3, modelType: "electra", head: "ForMaskedLM" });
    expect(a.files["model.safetensors"]).toEqual(
      direct({ seed: 3, modelType: "electra", head: "ForMaskedLM" }).files["model.safetensors"],
    );
    expect(a.config.architectures).toEqual(["ElectraForMaskedLM"]);
    expect((tinyTokenizer(8).model as { vocab: Record<string, number> }).vocab.w7).toBe(7);
    expect(new SeededRandom(1).next()).toBe(new SeededRandom(1).next());
  });
});
