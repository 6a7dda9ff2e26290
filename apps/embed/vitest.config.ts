import { join } from "node:path";
import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

// Tests run inside workerd against the worker exactly as wrangler.jsonc configures it. The
// global setup runs in Node and provides the real Model2Vec fixture and its reference output.
// The root is the repository so the kernels' .wasm (outside this package) resolve as modules.
export default defineConfig({
  root: join(import.meta.dirname, "../.."),
  plugins: [
    cloudflareTest({
      wrangler: { configPath: join(import.meta.dirname, "wrangler.jsonc") },
      miniflare: { modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }] },
    }),
  ],
  test: {
    dir: import.meta.dirname,
    include: ["test/**/*.test.ts"],
    globalSetup: [join(import.meta.dirname, "test/fixtures.global-setup.ts")],
    silent: "passed-only",
    reporters: ["default", "json"],
    outputFile: { json: join(import.meta.dirname, ".test-results/vitest.json") },
  },
});
