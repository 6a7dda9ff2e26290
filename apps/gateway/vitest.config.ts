import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
import { bundleModules } from "../../infra/local.mjs";

// The gateway runs inside workerd as wrangler.jsonc configures it; the three workers behind
// its service bindings run beside it from their dry-run bundles (built first by turbo).
const backend = (app: string) => {
  const bundle = fileURLToPath(new URL(`../${app}/dist/wrangler/`, import.meta.url));
  return {
    name: `edgeformers-${app}`,
    ...bundleModules(bundle, join(bundle, "index.js")),
    compatibilityDate: "2026-04-01",
    bindings: { MODEL_CONFIG: {}, MAX_BODY_BYTES: "1048576" },
  };
};

export default defineConfig({
  // The repository is the root so the kernels' .wasm (imported by the single-worker mode's
  // classify and embed apps) resolve as modules.
  root: join(import.meta.dirname, "../.."),
  plugins: [
    cloudflareTest({
      wrangler: { configPath: join(import.meta.dirname, "wrangler.jsonc") },
      miniflare: {
        modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
        workers: [backend("tokenize"), backend("embed"), backend("classify")],
      },
    }),
  ],
  test: {
    dir: import.meta.dirname,
    include: ["test/**/*.test.ts"],
    silent: "passed-only",
    reporters: ["default", "json"],
    outputFile: { json: join(import.meta.dirname, ".test-results/vitest.json") },
  },
});
