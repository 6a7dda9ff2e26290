/**
 * The main entry must stay free of Node-only APIs so it bundles into a Worker without
 * nodejs_compat. The workerd project proves it runs; this names the offending file if not.
 */
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import * as main from "../../src/index.js";
import * as nodeEntry from "../../src/node.js";

const src = resolve(import.meta.dirname, "../../src");

/** Files reachable from `entry` through relative imports (type-only imports included: harmless). */
function reachable(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/(?:import|export)[^"']*?from\s+["']([^"']+)["']/g)) {
      const spec = m[1];
      if (spec.startsWith(".")) visit(join(dirname(file), spec.replace(/\.js$/, ".ts")));
    }
  };
  visit(entry);
  return seen;
}

describe("entry points", () => {
  it("nothing reachable from src/index.ts imports node:* or uses Buffer/process", () => {
    const files = reachable(join(src, "index.ts"));
    expect(files.size).toBeGreaterThan(10);
    const offenders: string[] = [];
    for (const file of files) {
      const code = readFileSync(file, "utf8")
        .replace(/\/\*[\s\S]*?\*\//g, "")
        .replace(/\/\/.*$/gm, "");
      if (/from\s+["'](node:|fs|path|os|crypto|http)["'/]/.test(code) || /\b(Buffer|process)\./.test(code))
        offenders.push(file);
    }
    expect(offenders).toEqual([]);
    expect(files.has(join(src, "sources/directory.ts"))).toBe(false);
  });

  it("the kernels loaders chosen by import conditions for Workers and other runtimes import nothing from Node", () => {
    const pkg = JSON.parse(readFileSync(join(src, "../package.json"), "utf8"));
    const runtime = pkg.imports["#kernels-runtime"];
    expect(Object.keys(runtime)).toEqual(["workerd", "worker", "node", "default"]);
    for (const condition of ["workerd", "worker", "default"]) {
      const code = readFileSync(join(src, "..", runtime[condition]), "utf8");
      expect(code, condition).not.toMatch(/from\s+["'](node:|@edgeformers\/kernels\/node)/);
    }
    // LocalDirSource is in the main entry, but reaches node:fs only through a lazy import.
    expect(typeof main.LocalDirSource).toBe("function");
    expect(readFileSync(join(src, "sources/local-dir.ts"), "utf8")).not.toMatch(/^import[^;]*["']node:/m);
  });

  it("the node entry adds the directory source and disk cache to everything in the main entry", () => {
    expect("DirectorySource" in main).toBe(false);
    expect("diskCache" in main).toBe(false);
    expect(typeof nodeEntry.DirectorySource).toBe("function");
    expect(typeof nodeEntry.diskCache).toBe("function");
    for (const name of Object.keys(main)) expect(nodeEntry).toHaveProperty(name);
  });
});
