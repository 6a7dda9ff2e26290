/**
 * Model files in a local directory. Exported from the main entry so `loadModel(new
 * LocalDirSource(dir))` works without a separate import, yet the main entry must still bundle
 * into a Worker: node:fs and node:path are imported lazily, inside the methods, through a
 * specifier bundlers do not follow. Constructing one is fine anywhere; using it needs Node.
 */
import { ModelSourceError } from "../errors.js";
import { BaseModelSource, normalizeModelPath, toArrayBuffer } from "./source.js";

const ABSENT = new Set(["ENOENT", "ENOTDIR"]);

type Fs = typeof import("node:fs/promises");
type Path = typeof import("node:path");

// Held in variables so esbuild/wrangler leave the imports alone instead of trying to bundle them.
const FS_MODULE = "node:fs/promises";
const PATH_MODULE = "node:path";
let nodeModules: Promise<{ fs: Fs; path: Path }> | undefined;

function node(): Promise<{ fs: Fs; path: Path }> {
  nodeModules ??= Promise.all([
    import(/* @vite-ignore */ FS_MODULE) as Promise<Fs>,
    import(/* @vite-ignore */ PATH_MODULE) as Promise<Path>,
  ]).then(
    ([fs, path]) => ({ fs, path }),
    (cause: unknown) => {
      nodeModules = undefined;
      throw new ModelSourceError(`LocalDirSource needs Node's file system (${(cause as Error).message})`, "", {
        cause,
      });
    },
  );
  return nodeModules;
}

function errnoCode(e: unknown): string {
  return (e as { code?: string }).code ?? "";
}

export class LocalDirSource extends BaseModelSource {
  /** The directory as given, with a trailing separator (resolved to an absolute path on first read). */
  description: string;
  private readonly rootArg: string;

  constructor(root: string) {
    super();
    if (typeof root !== "string" || root === "") throw new TypeError("LocalDirSource: root must be a directory path");
    this.rootArg = root;
    this.description = root.endsWith("/") ? root : `${root}/`;
  }

  private async root(): Promise<{ fs: Fs; path: Path; root: string }> {
    const m = await node();
    const root = m.path.resolve(this.rootArg);
    this.description = `${root}${m.path.sep}`;
    return { ...m, root };
  }

  async get(file: string): Promise<ArrayBuffer | null> {
    const relative = normalizeModelPath(file);
    const { fs, path, root } = await this.root();
    const full = path.join(root, relative);
    try {
      return toArrayBuffer(await fs.readFile(full));
    } catch (cause) {
      if (ABSENT.has(errnoCode(cause))) return null;
      throw new ModelSourceError(`reading ${full} failed: ${(cause as Error).message}`, file, { cause });
    }
  }

  override async exists(file: string): Promise<boolean> {
    const relative = normalizeModelPath(file);
    const { fs, path, root } = await this.root();
    try {
      return (await fs.stat(path.join(root, relative))).isFile();
    } catch (cause) {
      if (ABSENT.has(errnoCode(cause))) return false;
      throw new ModelSourceError(`stat ${file} under ${root} failed: ${(cause as Error).message}`, file, { cause });
    }
  }

  async list(): Promise<string[]> {
    const { fs, path, root } = await this.root();
    let entries: import("node:fs").Dirent[];
    try {
      entries = await fs.readdir(root, { recursive: true, withFileTypes: true });
    } catch (cause) {
      throw new ModelSourceError(`listing ${root} failed: ${(cause as Error).message}`, "", { cause });
    }
    return entries
      .filter((e) => e.isFile())
      .map((e) => path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join("/"))
      .sort();
  }
}
