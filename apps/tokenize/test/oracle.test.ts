import { env } from "cloudflare:test";
import { describe, expect, inject, it } from "vitest";
import app from "../src/index.js";

const oracle = inject("oracle");
const cases = "skipped" in oracle ? [] : oracle;

describe("tokenize worker against the Rust tokenizers (real fixtures)", () => {
  // Without the shared fixtures the comparison cannot run; say so in the report.
  if ("skipped" in oracle) it.skip(`skipped: ${oracle.skipped}`, () => {});
  for (const c of cases) {
    it(`${c.fixture}: /v1/tokenize inside workerd equals Rust on ${c.texts.length} corpus lines`, async () => {
      await env.MODELS.put(`${c.fixture}/tokenizer.json`, c.tokenizerJson);
      const res = await app.request(
        "/v1/tokenize",
        {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ texts: c.texts, offsets: "codepoint", return_offsets_mapping: true }),
        },
        { ...env, MODEL_CONFIG: { [c.fixture]: { source: `r2:${c.fixture}/`, task: "tokenize" } } },
      );
      expect(res.status).toBe(200);
      const body = (await res.json()) as { input_ids: number[][]; offset_mapping: number[][][] };
      expect(body.input_ids).toEqual(c.ids);
      expect(body.offset_mapping).toEqual(c.offsets);
    });
  }
});
