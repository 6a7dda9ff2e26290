/**
 * Model files over HTTP(S) from a base URL, e.g. a Hugging Face repo's
 * `https://huggingface.co/{repo}/resolve/{revision}/`. 404 means "absent"; any other failure is
 * an error naming the URL. Successful downloads go through an optional injected cache.
 */
import { ModelSourceError } from "../errors.js";
import type { ByteCache } from "./http-cache.js";
import { BaseModelSource, normalizeModelPath } from "./source.js";

export type FetchLike = (
  url: string,
  init?: { headers?: Record<string, string>; method?: string },
) => Promise<Response>;

export interface HttpSourceOptions {
  cache?: ByteCache;
  /** Extra request headers (e.g. an Authorization bearer token for gated repos). */
  headers?: Record<string, string>;
  /** Defaults to the global fetch. */
  fetch?: FetchLike;
}

export class HttpSource extends BaseModelSource {
  readonly description: string;
  private readonly base: string;

  constructor(
    baseUrl: string,
    private readonly options: HttpSourceOptions = {},
  ) {
    super();
    let url: URL;
    try {
      url = new URL(baseUrl);
    } catch {
      throw new TypeError(`HttpSource: baseUrl ${JSON.stringify(baseUrl)} is not a valid URL`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw new TypeError(`HttpSource: baseUrl must be http(s), got ${url.protocol}`);
    }
    this.base = url.href.endsWith("/") ? url.href : `${url.href}/`;
    this.description = this.base;
  }

  /** The URL a model path is fetched from. */
  urlFor(path: string): string {
    // Each segment is percent-encoded so names with spaces or "#" stay inside the path.
    return this.base + normalizeModelPath(path).split("/").map(encodeURIComponent).join("/");
  }

  async get(path: string): Promise<ArrayBuffer | null> {
    const url = this.urlFor(path);
    const cache = this.options.cache;
    if (cache) {
      const hit = await cache.match(url);
      if (hit !== null) return hit;
    }
    const fetchFn = this.options.fetch ?? globalThis.fetch;
    let response: Response;
    try {
      response = await fetchFn(url, { headers: this.options.headers ?? {} });
    } catch (cause) {
      throw new ModelSourceError(`GET ${url} failed: ${String(cause)}`, path, { cause });
    }
    if (response.status === 404) {
      await response.body?.cancel();
      return null;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new ModelSourceError(`GET ${url} answered ${response.status} ${response.statusText}`.trimEnd(), path);
    }
    let bytes: ArrayBuffer;
    try {
      bytes = await response.arrayBuffer();
    } catch (cause) {
      throw new ModelSourceError(`GET ${url}: body could not be read: ${String(cause)}`, path, { cause });
    }
    if (cache) await cache.put(url, bytes);
    return bytes;
  }
}

/** A source for a Hugging Face Hub repository at a revision (branch, tag or commit). */
export function huggingFaceSource(
  repo: string,
  options: HttpSourceOptions & { revision?: string; endpoint?: string } = {},
): HttpSource {
  const validSegment = (s: string) => /^[\w.-]+$/.test(s) && s !== "." && s !== "..";
  const segments = typeof repo === "string" ? repo.split("/") : [];
  if (segments.length < 1 || segments.length > 2 || !segments.every(validSegment))
    throw new TypeError(`huggingFaceSource: repo ${JSON.stringify(repo)} is not "owner/name"`);
  const revision = encodeURIComponent(options.revision ?? "main");
  const endpoint = (options.endpoint ?? "https://huggingface.co").replace(/\/+$/, "");
  return new HttpSource(`${endpoint}/${repo}/resolve/${revision}/`, options);
}
