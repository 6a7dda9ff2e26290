/** Model files in a local directory (Node only; exported from "@edgeformers/engine/node"). */
import type { Dirent } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import { ModelSourceError } from "../errors.js";
import { BaseModelSource, normalizeModelPath, toArrayBuffer } from "./source.js";

const ABSENT = new Set(["ENOENT", "ENOTDIR"]);

export class DirectorySource extends BaseModelSource {
  readonly description: string;
  private readonly root: string;

  constructor(root: string) {
    super();
    if (typeof root !== "string" || root === "") throw new TypeError("DirectorySource: root must be a directory path");
    this.root = resolve(root);
    this.description = `${this.root}${sep}`;
  }

  async get(path: string): Promise<ArrayBuffer | null> {
    const file = join(this.root, normalizeModelPath(path));
    try {
      return toArrayBuffer(await readFile(file));
    } catch (cause) {
      if (ABSENT.has((cause as NodeJS.ErrnoException).code ?? "")) return null;
      throw new ModelSourceError(`reading ${file} failed: ${(cause as Error).message}`, path, { cause });
    }
  }

  override async exists(path: string): Promise<boolean> {
    try {
      return (await stat(join(this.root, normalizeModelPath(path)))).isFile();
    } catch (cause) {
      if (ABSENT.has((cause as NodeJS.ErrnoException).code ?? "")) return false;
      throw new ModelSourceError(`stat ${path} under ${this.root} failed: ${(cause as Error).message}`, path, {
        cause,
      });
    }
  }

  async list(): Promise<string[]> {
    let entries: Dirent[];
    try {
      entries = await readdir(this.root, { recursive: true, withFileTypes: true });
    } catch (cause) {
      throw new ModelSourceError(`listing ${this.root} failed: ${(cause as Error).message}`, "", { cause });
    }
    return entries
      .filter((e) => e.isFile())
      .map((e) => relative(this.root, join(e.parentPath, e.name)).split(sep).join("/"))
      .sort();
  }
}
