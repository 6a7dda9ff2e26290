import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { pulledModels } from "../infra/default-models.mjs";

const dir = mkdtempSync(join(tmpdir(), "edgeformers-pulled-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function model(path: string, config: unknown): void {
  mkdirSync(join(dir, path), { recursive: true });
  writeFileSync(join(dir, path, "config.json"), JSON.stringify(config));
}

describe("npm start's catalogue of pulled models", () => {
  it("serves every pulled model's tokenizer and embeds Model2Vec models, under the pulled path", () => {
    model("sentence-transformers/all-MiniLM-L6-v2", { model_type: "bert", architectures: ["BertModel"] });
    model("minishlab/potion-base-8M", { model_type: "model2vec", normalize: true });
    model("broken/model", "not an object");
    mkdirSync(join(dir, ".partial", "org", "half"), { recursive: true });
    const config = pulledModels(dir);
    expect(Object.keys(config.tokenize).sort()).toEqual([
      "minishlab/potion-base-8M",
      "sentence-transformers/all-MiniLM-L6-v2",
    ]);
    expect(config.tokenize["sentence-transformers/all-MiniLM-L6-v2"]).toEqual({
      source: "r2:sentence-transformers/all-MiniLM-L6-v2/",
      task: "tokenize",
    });
    expect(config.embed).toEqual({
      "minishlab/potion-base-8M": {
        source: "r2:minishlab/potion-base-8M/",
        task: "feature-extraction",
        backend: "static",
      },
    });
  });
});
