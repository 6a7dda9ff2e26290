#!/usr/bin/env node
// Builds the worker in the current directory exactly as `wrangler deploy` would upload it,
// without uploading (`--dry-run`, no network), into dist/<config name>/, then prints the
// bundle size raw and gzipped. Used as every app's `npm run build`, so CI checks that each
// app deploys and reports its size on every run.
//   node infra/bundle.mjs [wrangler config ...]   (default: wrangler.jsonc)
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { gzipSync } from "node:zlib";

const configs = process.argv.slice(2);
if (configs.length === 0) configs.push("wrangler.jsonc");

const env = { ...process.env, WRANGLER_SEND_METRICS: "false", WRANGLER_LOG: "warn", CI: "true" };

function filesUnder(dir) {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;

for (const config of configs) {
  const outdir = join("dist", basename(config).replace(/\.jsonc?$|\.toml$/, ""));
  rmSync(outdir, { recursive: true, force: true });
  const result = spawnSync("npx", ["wrangler", "deploy", "--dry-run", "--config", config, "--outdir", outdir], {
    env,
    encoding: "utf8",
  });
  if (result.status !== 0) {
    process.stderr.write(result.stdout + result.stderr);
    console.error(`dry-run deploy of ${config} failed`);
    process.exit(1);
  }
  let raw = 0;
  let gzip = 0;
  for (const file of filesUnder(outdir)) {
    if (file.endsWith(".map") || file.endsWith("README.md")) continue;
    const bytes = readFileSync(file);
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
  }
  const name = JSON.parse(readFileSync("package.json", "utf8")).name;
  console.log(`bundle ${name} (${config}): ${kib(raw)} raw, ${kib(gzip)} gzip -> ${outdir}`);
}
