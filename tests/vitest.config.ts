import { defineConfig } from "vitest/config";

// These tests drive Miniflare from Node: each boots the real worker bundles.
export default defineConfig({
  test: {
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**"],
    environment: "node",
    testTimeout: 60_000,
    hookTimeout: 60_000,
    silent: "passed-only",
    reporters: ["default", "json"],
    outputFile: { json: ".test-results/vitest.json" },
  },
});
