/**
 * Locates the shared, read-only test fixtures: $FIXTURES_DIR, else ../shared/fixtures next to
 * the repository root. Tests that need them skip with the reason in their name when absent.
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";

const repoRoot = resolve(import.meta.dirname, "../../../..");
export const fixturesDir = process.env.FIXTURES_DIR
  ? resolve(process.env.FIXTURES_DIR)
  : join(repoRoot, "../shared/fixtures");

export function fixture(...parts: string[]): { path: string; available: boolean; label: string } {
  const path = join(fixturesDir, ...parts);
  const available = existsSync(path);
  if (!available)
    console.warn(`[engine tests] SKIPPED: fixture ${path} not found (set FIXTURES_DIR to the shared fixtures folder)`);
  return { path, available, label: available ? path : `SKIPPED, not found: ${path} (set FIXTURES_DIR)` };
}
