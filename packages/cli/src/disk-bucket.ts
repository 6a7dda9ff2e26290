import { readdir, readFile, stat } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";

/**
 * The slice of an R2 bucket binding the workers use (get, head, list), backed by a folder,
 * so the same apps serve models from disk on Node. Keys are paths below the folder; keys
 * that would climb out of it are simply absent.
 */
export class DiskBucket {
  private readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  private path(key: string): string | null {
    const path = resolve(this.root, key);
    return path === this.root || path.startsWith(this.root + sep) ? path : null;
  }

  async head(key: string): Promise<{ key: string; size: number } | null> {
    const path = this.path(key);
    if (!path) return null;
    try {
      const info = await stat(path);
      return info.isFile() ? { key, size: info.size } : null;
    } catch {
      return null;
    }
  }

  async get(key: string) {
    const head = await this.head(key);
    if (!head) return null;
    const bytes = await readFile(this.path(key) as string);
    return {
      ...head,
      arrayBuffer: async () => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
      text: async () => bytes.toString("utf8"),
      json: async () => JSON.parse(bytes.toString("utf8")) as unknown,
    };
  }

  async list(options: { prefix?: string } = {}) {
    const prefix = options.prefix ?? "";
    const objects: { key: string; size: number }[] = [];
    const walk = async (dir: string) => {
      let entries: string[];
      try {
        entries = await readdir(dir);
      } catch {
        return;
      }
      for (const entry of entries) {
        const path = join(dir, entry);
        const info = await stat(path);
        if (info.isDirectory()) await walk(path);
        else {
          const key = relative(this.root, path).split(sep).join("/");
          if (key.startsWith(prefix)) objects.push({ key, size: info.size });
        }
      }
    };
    await walk(this.root);
    return { objects: objects.sort((a, b) => (a.key < b.key ? -1 : 1)), truncated: false };
  }
}
