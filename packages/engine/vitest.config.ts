import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

// Said here, in the main process, because vitest hides console output of skipped suites.
const fixtures = process.env.FIXTURES_DIR
  ? resolve(process.env.FIXTURES_DIR)
  : join(import.meta.dirname, "../../../shared/fixtures");
if (!existsSync(fixtures)) {
  console.warn(`[engine] shared fixtures not found at ${fixtures}: fixture tests are SKIPPED (set FIXTURES_DIR)`);
}

export default defineConfig({
  test: {
    reporters: ["default", "json"],
    outputFile: { json: ".test-results/vitest.json" },
    silent: "passed-only",
    projects: [
      // CI runs every package at once on two cores: allow for a busy machine.
      { test: { name: "node", include: ["test/node/**/*.test.ts"], environment: "node", testTimeout: 60_000 } },
      {
        // The kernels' dist/*.wasm lie outside this package; vite serves them from the repository root.
        root: join(import.meta.dirname, "../.."),
        plugins: [
          cloudflareTest({
            miniflare: {
              compatibilityDate: "2026-04-01",
              r2Buckets: ["MODELS"],
              // The kernels' .wasm imported as a WebAssembly.Module, as wrangler bundles it.
              modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
            },
          }),
        ],
        // Node computes reference outputs for the workerd loadModel test.
        test: { name: "workerd", dir: import.meta.dirname, include: ["test/workerd/**/*.test.ts"], globalSetup: [join(import.meta.dirname, "test/workerd/node-reference.ts")] },
      },
    ],
  },
});
