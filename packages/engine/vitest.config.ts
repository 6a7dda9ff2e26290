import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    reporters: ["default", "json"],
    outputFile: { json: ".test-results/vitest.json" },
    silent: "passed-only",
    projects: [
      { test: { name: "node", include: ["test/node/**/*.test.ts"], environment: "node" } },
      {
        plugins: [cloudflareTest({ miniflare: { compatibilityDate: "2026-04-01", r2Buckets: ["MODELS"] } })],
        test: { name: "workerd", include: ["test/workerd/**/*.test.ts"] },
      },
    ],
  },
});
