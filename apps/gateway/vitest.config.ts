import { fileURLToPath } from "node:url";
import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

// The gateway runs inside workerd as wrangler.jsonc configures it; the three workers behind
// its service bindings run beside it from their dry-run bundles (built first by turbo).
const backend = (app: string) => ({
  name: `edgeformers-${app}`,
  modules: true,
  scriptPath: fileURLToPath(new URL(`../${app}/dist/wrangler/index.js`, import.meta.url)),
  // Module names are relative to modulesRoot, and workerd refuses names that climb out with "..".
  modulesRoot: fileURLToPath(new URL(`../${app}/dist/wrangler/`, import.meta.url)),
  compatibilityDate: "2026-04-01",
  bindings: { MODEL_CONFIG: {}, MAX_BODY_BYTES: "1048576" },
});

export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "./wrangler.jsonc" },
      miniflare: { workers: [backend("tokenize"), backend("embed"), backend("classify")] },
    }),
  ],
  test: {
    include: ["test/**/*.test.ts"],
    silent: "passed-only",
    reporters: ["default", "json"],
    outputFile: { json: ".test-results/vitest.json" },
  },
});
