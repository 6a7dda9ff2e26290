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
        test: {
          name: "node",
          include: ["test/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
          env: { KERNELS_EXPECT_FLAVOUR: "simd" },
        },
      },
      {
        // The same suite on the relaxed-SIMD build: Node 20's V8 only runs it behind a flag,
        // with which loadKernels() picks it (WebAssembly.validate accepts relaxed SIMD).
        test: {
          name: "node-relaxed-simd",
          include: ["test/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
          execArgv: ["--experimental-wasm-relaxed-simd"],
          env: { KERNELS_EXPECT_FLAVOUR: "relaxed-simd" },
        },
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
