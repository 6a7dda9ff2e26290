import { ModelSourceError } from "../errors.js";
/**
 * Where model files come from. The engine only ever talks to this interface, so a new kind of
 * storage is a new class implementing it, with no change to the engine.
 */

export interface ModelSource {
  /** Human-readable location, used in error messages ("r2:MODELS/bge-small/", "https://…/"). */
  readonly description: string;
  /** The file's bytes, or null when it does not exist. Other failures throw a ModelSourceError. */
  get(path: string): Promise<ArrayBuffer | null>;
  /** The file as UTF-8 text, or null when it does not exist. */
  getText(path: string): Promise<string | null>;
  /** Whether the file exists; sources that can answer without reading the file do so. */
  exists(path: string): Promise<boolean>;
  /** Every file path under the source, when the storage can enumerate (HTTP cannot). */
  list?(): Promise<string[]>;
}

/** Default getText/exists on top of get(), for sources with nothing cheaper to offer. */
export abstract class BaseModelSource implements ModelSource {
  abstract readonly description: string;
  abstract get(path: string): Promise<ArrayBuffer | null>;

  async getText(path: string): Promise<string | null> {
    const bytes = await this.get(path);
    return bytes === null ? null : decodeUtf8(bytes);
  }

  async exists(path: string): Promise<boolean> {
    return (await this.get(path)) !== null;
  }
}

// Model configs are UTF-8 JSON; a BOM written by some Windows tools is dropped by default.
const decoder = new TextDecoder("utf-8");

export function decodeUtf8(bytes: ArrayBuffer | Uint8Array): string {
  return decoder.decode(bytes);
}

/**
 * Checks a model-relative path ("config.json", "1_Pooling/config.json") and returns it with
 * "./" segments removed. Absolute paths and ".." are refused: a source must never be talked
 * into reading outside the model (a local directory, another model's prefix in a bucket).
 */
export function normalizeModelPath(path: string): string {
  if (typeof path !== "string") throw new TypeError(`model file path must be a string, got ${typeof path}`);
  if (path === "" || path.startsWith("/") || path.includes("\\") || path.includes("\0")) {
    throw new TypeError(`model file path ${JSON.stringify(path)} must be a non-empty relative path using "/"`);
  }
  const parts = path.split("/").filter((p) => p !== "" && p !== ".");
  if (parts.includes("..")) throw new TypeError(`model file path ${JSON.stringify(path)} must not contain ".."`);
  if (parts.length === 0) throw new TypeError(`model file path ${JSON.stringify(path)} names no file`);
  return parts.join("/");
}

/** Joins a key prefix ("models/bge/" or "models/bge") and a model path into one storage key. */
export function joinPrefix(prefix: string, path: string): string {
  if (prefix === "") return path;
  return prefix.endsWith("/") ? prefix + path : `${prefix}/${path}`;
}

/** An exact-size ArrayBuffer for a Uint8Array: the same memory when the view covers its buffer, else a copy. */
export function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer) {
    return bytes.buffer;
  }
  return bytes.slice().buffer as ArrayBuffer;
}

/** One page of a paginated key listing: the keys, and the cursor of the next page if any. */
export interface KeyPage {
  keys: string[];
  cursor: string | undefined;
}

/**
 * Every key below `prefix` (as a folder: a trailing "/" is implied), relative to it and sorted,
 * from a store that lists in pages (R2, KV). A failing page is a ModelSourceError.
 */
export async function listKeysBelow(
  prefix: string,
  description: string,
  page: (prefix: string, cursor: string | undefined) => Promise<KeyPage>,
): Promise<string[]> {
  const folder = prefix === "" || prefix.endsWith("/") ? prefix : `${prefix}/`;
  const keys: string[] = [];
  let cursor: string | undefined;
  do {
    let result: KeyPage;
    try {
      result = await page(folder, cursor);
    } catch (cause) {
      throw new ModelSourceError(`${description}: listing "${folder}" failed: ${String(cause)}`, "", { cause });
    }
    for (const key of result.keys) keys.push(key.slice(folder.length));
    cursor = result.cursor;
  } while (cursor !== undefined);
  return keys.sort();
}
