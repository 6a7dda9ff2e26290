#!/usr/bin/env node
// `npm test`: build → typecheck → test in every workspace through turbo (cached when
// nothing changed), then sums each workspace's vitest JSON report into the closing line
// `N passed, N failed, N skipped`. A workspace with a test script but no report counts as
// a failure, so a suite that crashed before reporting cannot pass unnoticed.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const workspaces = ["packages", "apps"]
  .flatMap((group) => readdirSync(join(root, group)).map((name) => join(group, name)))
  .concat(["tests"])
  .filter((dir) => existsSync(join(root, dir, "package.json")))
  .filter((dir) => JSON.parse(readFileSync(join(root, dir, "package.json"), "utf8")).scripts?.test);

// Stale reports must not count; turbo restores cached ones for unchanged workspaces.
for (const dir of workspaces) rmSync(join(root, dir, ".test-results"), { recursive: true, force: true });

const turbo = spawnSync(
  "npx",
  // Three tasks at a time: CI has two cores, and workerd pools are heavy.
  ["turbo", "run", "test", "--continue", "--concurrency=3", "--output-logs=new-only", ...process.argv.slice(2)],
  { cwd: root, stdio: "inherit", env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1" } },
);

let passed = 0;
let failed = 0;
let skipped = 0;
const missing = [];
for (const dir of workspaces) {
  const report = join(root, dir, ".test-results", "vitest.json");
  if (!existsSync(report)) {
    missing.push(dir);
    continue;
  }
  const json = JSON.parse(readFileSync(report, "utf8"));
  passed += json.numPassedTests;
  failed += json.numFailedTests;
  skipped += json.numPendingTests + json.numTodoTests;
  // A file that failed to load (syntax error, crashed pool) has no tests but did fail.
  failed += json.testResults.filter((file) => file.status === "failed" && file.assertionResults.length === 0).length;
  console.log(`${dir}: ${json.numPassedTests} passed, ${json.numFailedTests} failed, ${json.numPendingTests} skipped`);
}
// With extra turbo arguments (a --filter), workspaces left out have no report by design.
const filtered = process.argv.length > 2;
for (const dir of missing) {
  console.log(`${dir}: no test report${filtered ? " (not selected)" : " (its build, typecheck or test run failed)"}`);
}
if (!filtered) failed += missing.length;

console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(turbo.status === 0 && failed === 0 ? 0 : 1);
