import { spawnSync } from "node:child_process";
import { readdir, readFile, stat } from "node:fs/promises";
import { basename, join, relative, resolve, sep } from "node:path";
import { CliError } from "./errors.js";

/** Where `npm start` keeps its local R2 data (see scripts/start.mjs), relative to the repo root. */
export const LOCAL_R2_STATE = ".wrangler/state/r2";
/** The bucket the apps bind as MODELS when run locally (wrangler.jsonc, top level). */
export const LOCAL_BUCKET = "edgeformers-models-dev";

export interface PushOptions {
  /** R2 bucket name (remote pushes). */
  bucket?: string;
  /** Key prefix; default `<org>/<name>/` from the folder's last two path segments. */
  prefix?: string;
  /** Write into the local Miniflare state that `npm start` serves, instead of Cloudflare. */
  local?: boolean;
  /** Local state folder (default `.wrangler/state/r2`). */
  persistTo?: string;
  /** The wrangler command (default `npx wrangler`; tests substitute a recorder). */
  wrangler?: string[];
  log?: (line: string) => void;
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir)) {
    if (entry.startsWith(".")) continue;
    const path = join(dir, entry);
    if ((await stat(path)).isDirectory()) out.push(...(await filesUnder(path)));
    else if (!entry.endsWith(".incomplete")) out.push(path);
  }
  return out.sort();
}

function defaultPrefix(dir: string): string {
  const parts = resolve(dir).split(sep).filter(Boolean);
  return `${parts.slice(-2).join("/")}/`;
}

/**
 * Uploads a model folder to R2 under `prefix`: to Cloudflare through `wrangler r2 object put`,
 * or with `local` into the Miniflare state `npm start` serves. Returns the keys written.
 */
export async function push(dir: string, options: PushOptions = {}): Promise<string[]> {
  try {
    await stat(join(dir, "config.json"));
  } catch {
    throw new CliError(`${dir} has no config.json: is it a model folder?`);
  }
  const prefix = options.prefix ?? defaultPrefix(dir);
  const files = await filesUnder(dir);
  const keys = files.map((file) => `${prefix}${relative(dir, file).split(sep).join("/")}`);
  const log = options.log ?? (() => {});

  if (options.local) {
    const { Miniflare } = await import("miniflare");
    const persistTo = resolve(options.persistTo ?? LOCAL_R2_STATE);
    const mf = new Miniflare({
      modules: true,
      script: "export default { fetch() { return new Response(null, { status: 204 }); } }",
      r2Buckets: { MODELS: LOCAL_BUCKET },
      r2Persist: persistTo,
    });
    try {
      const bucket = await mf.getR2Bucket("MODELS");
      for (const [i, file] of files.entries()) {
        await bucket.put(keys[i] as string, new Uint8Array(await readFile(file)));
        log(`local r2://${LOCAL_BUCKET}/${keys[i]}`);
      }
    } finally {
      await mf.dispose();
    }
    return keys;
  }

  if (!options.bucket) throw new CliError("models push needs --bucket <name> (or --local)", 2);
  const [command, ...baseArgs] = options.wrangler ?? ["npx", "wrangler"];
  for (const [i, file] of files.entries()) {
    const key = keys[i] as string;
    const result = spawnSync(
      command as string,
      [...baseArgs, "r2", "object", "put", `${options.bucket}/${key}`, "--file", file, "--remote"],
      {
        encoding: "utf8",
      },
    );
    if (result.status !== 0) {
      throw new CliError(
        `wrangler could not upload ${basename(file)} to ${options.bucket}/${key}: ${(result.stderr || result.stdout).trim()}`,
      );
    }
    log(`r2://${options.bucket}/${key}`);
  }
  return keys;
}
