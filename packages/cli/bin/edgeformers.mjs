#!/usr/bin/env node
// The built CLI (npm run build); a clear message when it has not been built yet.
import { existsSync } from "node:fs";

const built = new URL("../dist/edgeformers.mjs", import.meta.url);
if (!existsSync(built)) {
  console.error("edgeformers: the CLI is not built yet; run `npm run build` at the repository root.");
  process.exit(1);
}
await import(built.href);
