import { defineConfig } from "vitest/config";

// The CLI runs on Node; its tests talk to a fake Hugging Face hub on 127.0.0.1.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    testTimeout: 60_000,
    silent: "passed-only",
    reporters: ["default", "json"],
    outputFile: { json: ".test-results/vitest.json" },
  },
});
