import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { rename, stat, unlink } from "node:fs/promises";
import { CliError } from "./errors.js";
import type { Hub, RemoteFile } from "./hub.js";

/** Appends bytes to a file; injectable so tests can simulate a full disk. */
export interface FileSink {
  append(path: string, bytes: Uint8Array): Promise<void>;
}

export type ProgressListener = (done: number, total: number | undefined) => void;

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

/** sha256 and git-blob sha1 of a file, streamed so large weights never sit in memory. */
async function digests(path: string, size: number): Promise<{ sha256: string; gitSha1: string }> {
  const sha256 = createHash("sha256");
  const gitSha1 = createHash("sha1").update(`blob ${size}\0`);
  for await (const chunk of createReadStream(path)) {
    sha256.update(chunk as Buffer);
    gitSha1.update(chunk as Buffer);
  }
  return { sha256: sha256.digest("hex"), gitSha1: gitSha1.digest("hex") };
}

/**
 * Downloads `remote` to `dest`. Bytes land in `dest.incomplete` first, resuming from whatever
 * an earlier attempt left there (HTTP Range); only a file whose checksum matches is renamed to
 * `dest`. A mismatch deletes the partial file, so the next attempt starts clean.
 */
export async function downloadFile(
  hub: Hub,
  remote: RemoteFile,
  dest: string,
  sink: FileSink,
  onProgress: ProgressListener = () => {},
): Promise<void> {
  const partial = `${dest}.incomplete`;
  let have = await sizeOf(partial);
  if (remote.size !== undefined && have > remote.size) {
    await unlink(partial);
    have = 0;
  }
  if (remote.size === undefined || have < remote.size) {
    const response = await hub.open(remote, have);
    if (have > 0 && response.status !== 206) {
      // The server ignored the range: start over rather than append a second copy.
      await unlink(partial).catch(() => {});
      have = 0;
    }
    const total = remote.size ?? (Number(response.headers.get("content-length")) || undefined);
    onProgress(have, total);
    if (!response.body) throw new CliError(`${remote.url}: empty response body.`);
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        await sink.append(partial, chunk);
        have += chunk.byteLength;
        onProgress(have, total);
      }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOSPC")
        throw new CliError(
          `No space left on the disk while writing ${partial}; free some and run pull again to resume.`,
        );
      throw new CliError(
        `Download of ${remote.url} was interrupted after ${have} bytes (${(error as Error).message}); run pull again to resume.`,
      );
    }
  }
  const size = await sizeOf(partial);
  if (remote.size !== undefined && size !== remote.size) {
    throw new CliError(`${dest}: got ${size} of ${remote.size} bytes; run pull again to resume.`);
  }
  const actual = await digests(partial, size);
  const expected = remote.sha256 ?? remote.gitSha1;
  const got = remote.sha256 ? actual.sha256 : actual.gitSha1;
  if (expected !== undefined && got !== expected) {
    await unlink(partial);
    throw new CliError(
      `Checksum mismatch for ${dest}: expected ${remote.sha256 ? "sha256" : "git sha1"} ${expected}, got ${got}. The partial file was removed; run pull again.`,
    );
  }
  await rename(partial, dest);
}
