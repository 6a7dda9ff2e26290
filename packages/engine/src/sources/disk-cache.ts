/** A ByteCache in a local directory (Node only), one file per URL named by its SHA-256. */
import { createHash } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { ByteCache } from "./http-cache.js";
import { toArrayBuffer } from "./source.js";

export function diskCache(directory: string): ByteCache {
  if (typeof directory !== "string" || directory === "") throw new TypeError("diskCache: directory must be a path");
  const fileFor = (url: string) => join(directory, createHash("sha256").update(url).digest("hex"));
  return {
    async match(url) {
      try {
        return toArrayBuffer(await readFile(fileFor(url)));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw e;
      }
    },
    async put(url, bytes) {
      await mkdir(directory, { recursive: true });
      // Write then rename, so a crash mid-write never leaves a truncated entry that looks valid.
      const file = fileFor(url);
      const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
      await writeFile(tmp, new Uint8Array(bytes));
      await rename(tmp, file);
    },
  };
}
