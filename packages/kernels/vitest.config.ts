import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
import { createKernels } from "./src/kernels.ts";
import { loadModule } from "./src/node.ts";
import { runScenarios } from "./test/workerd/scenarios.ts";

/**
 * Node-side results for the workerd comparison, computed from the same plain-SIMD .wasm file
 * (built by `npm run build`, which turbo runs before `test`).
 */
function nodeResults(): Record<string, number[]> {
  return runScenarios(createKernels(loadModule("simd")));
}

export default defineConfig({
  test: {
    reporters: ["default", "json"],
    outputFile: { json: ".test-results/vitest.json" },
    projects: [
      {
        test: { name: "node", include: ["test/*.test.ts"], environment: "node", testTimeout: 60_000 },
      },
      {
        plugins: [
          cloudflareTest({
            miniflare: {
              compatibilityDate: "2026-04-01",
              compatibilityFlags: ["nodejs_compat"],
              // `import mod from "./x.wasm"` yields a WebAssembly.Module, as in a deployed Worker.
              modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
            },
          }),
        ],
        test: { name: "workerd", include: ["test/workerd/*.test.ts"], provide: { nodeResults: nodeResults() } },
      },
    ],
  },
});
