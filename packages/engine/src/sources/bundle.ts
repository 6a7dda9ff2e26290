/**
 * Model files bundled into the Worker itself (wrangler Data/Text modules, or anything already in
 * memory): a record from model path to bytes or text.
 */
import { BaseModelSource, normalizeModelPath, toArrayBuffer } from "./source.js";

export type BundledFile = ArrayBuffer | Uint8Array | string;

export class BundleSource extends BaseModelSource {
  readonly description: string;
  private readonly files: Map<string, BundledFile>;

  constructor(files: Readonly<Record<string, BundledFile>>, name = "bundle") {
    super();
    if (files === null || typeof files !== "object")
      throw new TypeError("BundleSource: files must be a record of path → content");
    this.files = new Map();
    for (const [path, content] of Object.entries(files)) {
      if (!(content instanceof ArrayBuffer || content instanceof Uint8Array || typeof content === "string")) {
        throw new TypeError(`BundleSource: "${path}" must be an ArrayBuffer, Uint8Array or string`);
      }
      this.files.set(normalizeModelPath(path), content);
    }
    this.description = `${name}:`;
  }

  async get(path: string): Promise<ArrayBuffer | null> {
    const content = this.files.get(normalizeModelPath(path));
    if (content === undefined) return null;
    if (typeof content === "string") return toArrayBuffer(new TextEncoder().encode(content));
    return content instanceof ArrayBuffer ? content : toArrayBuffer(content);
  }

  override async getText(path: string): Promise<string | null> {
    const content = this.files.get(normalizeModelPath(path));
    if (typeof content === "string") return content; // no encode/decode round trip
    return super.getText(path);
  }

  override async exists(path: string): Promise<boolean> {
    return this.files.has(normalizeModelPath(path));
  }

  async list(): Promise<string[]> {
    return [...this.files.keys()].sort();
  }
}
