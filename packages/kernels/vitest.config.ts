import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    reporters: ["default", "json"],
    outputFile: { json: ".test-results/vitest.json" },
    projects: [
      {
        test: { name: "node", include: ["test/*.test.ts"], environment: "node", testTimeout: 60_000 },
      },
    ],
  },
});
