import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

export default defineConfig({
  plugins: [cloudflareTest({ miniflare: { compatibilityDate: "2026-04-01", compatibilityFlags: ["nodejs_compat"] } })],
  test: {
    include: ["test/**/*.test.ts"],
    silent: "passed-only",
    reporters: ["default", "json"],
    outputFile: { json: ".test-results/vitest.json" },
  },
});
