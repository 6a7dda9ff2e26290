// The whole deployment on one machine: every worker, as `wrangler deploy --dry-run` bundles
// it, in one Miniflare instance with real service bindings and a local R2 bucket seeded from
// disk. `npm start` serves it on 127.0.0.1:8787; the cross-app tests in tests/ boot it too.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { Miniflare } from "miniflare";
import { unstable_getMiniflareWorkerOptions, unstable_readConfig } from "wrangler";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const BACKENDS = ["tokenize", "embed", "classify"];

/** One worker from its wrangler config, running its dry-run bundle (built by `npm run build`). */
function workerFromConfig(app, configFile, bundleDir, overrides) {
  const appDir = join(ROOT, "apps", app);
  const configPath = join(appDir, configFile);
  const { workerOptions, main } = unstable_getMiniflareWorkerOptions(configPath);
  const { name } = unstable_readConfig({ config: configPath });
  const bundle = join(appDir, "dist", bundleDir);
  // wrangler names the bundle after the entry: src/single.ts -> single.js.
  const scriptPath = join(bundle, basename(main).replace(/\.[cm]?[jt]s$/, ".js"));
  try {
    statSync(scriptPath);
  } catch {
    throw new Error(`${relative(ROOT, scriptPath)} is missing: run \`npm run build\` first.`);
  }
  return {
    ...workerOptions,
    name,
    ...bundleModules(bundle, scriptPath),
    bindings: { ...workerOptions.bindings, ...overrides?.[app] },
  };
}

/**
 * The modules of a dry-run bundle, listed explicitly (entry first), as wrangler uploads them:
 * the entry, and the .wasm files it imports as compiled modules. Listing them spares Miniflare
 * from walking the entry's imports, which stops at a dynamic import() it cannot resolve.
 */
export function bundleModules(bundle, entry) {
  const wasm = readdirSync(bundle)
    .filter((file) => file.endsWith(".wasm"))
    .map((file) => ({ type: "CompiledWasm", path: join(bundle, file) }));
  return { modules: [{ type: "ESModule", path: entry }, ...wasm], modulesRoot: bundle };
}

/**
 * Miniflare options for a mode. `bindings` overrides vars per app (`{ gateway: { API_KEYS } }`).
 * In "service-bindings" mode the gateway reaches three sibling workers; in "single-worker"
 * mode one worker serves every route.
 */
export function localStackOptions({
  mode = "service-bindings",
  port = 8787,
  host = "127.0.0.1",
  bindings,
  r2Persist = false,
  rateLimits = true,
  quiet = false,
} = {}) {
  const workers =
    mode === "single-worker"
      ? [workerFromConfig("gateway", "wrangler.single.jsonc", "wrangler.single", { gateway: bindings?.gateway })]
      : [
          workerFromConfig("gateway", "wrangler.jsonc", "wrangler", bindings),
          ...BACKENDS.map((app) => workerFromConfig(app, "wrangler.jsonc", "wrangler", bindings)),
        ];
  // Benchmarks drive one client far past the per-client limits; they turn the limiters off.
  if (!rateLimits) for (const worker of workers) worker.ratelimits = {};
  return {
    host,
    port,
    workers,
    r2Persist,
    // The workers' access logs, unless a benchmark asks for quiet.
    ...(quiet
      ? {
          handleRuntimeStdio: (stdout, stderr) => {
            stdout.resume();
            stderr.resume();
          },
        }
      : {}),
  };
}

function filesUnder(dir) {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Copies every file under `dir` into the R2 bucket, keyed by its path below `dir`. */
export async function seedR2(mf, dir, { binding = "MODELS", workerName } = {}) {
  const bucket = await mf.getR2Bucket(binding, workerName);
  const keys = [];
  for (const file of filesUnder(dir)) {
    const key = relative(dir, file).split(sep).join("/");
    // A plain Uint8Array: Miniflare's proxy cannot serialise a pooled Node Buffer.
    await bucket.put(key, new Uint8Array(readFileSync(file)));
    keys.push(key);
  }
  return keys;
}

/** Copies `{ r2Key: absolutePath }` into the R2 bucket. */
export async function seedR2Files(mf, files, { binding = "MODELS", workerName } = {}) {
  const bucket = await mf.getR2Bucket(binding, workerName);
  for (const [key, path] of Object.entries(files)) await bucket.put(key, new Uint8Array(readFileSync(path)));
  return Object.keys(files);
}

/**
 * Starts the stack and resolves once it listens; `mf.dispose()` stops it. `seedDir` copies a
 * folder into R2, `seedFiles` copies single files (`{ r2Key: absolutePath }`).
 */
export async function startLocalStack(options = {}) {
  const mf = new Miniflare(localStackOptions(options));
  const url = await mf.ready;
  const seeded = [
    ...(options.seedDir ? await seedR2(mf, options.seedDir) : []),
    ...(options.seedFiles ? await seedR2Files(mf, options.seedFiles) : []),
  ];
  return { mf, url, seeded };
}
