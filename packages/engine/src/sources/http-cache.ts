/**
 * Caches for the HTTP source. The source only needs "bytes for a URL, or nothing"; the Workers
 * Cache API adapter lives here, the disk cache (Node only) in ./disk-cache.ts.
 */

export interface ByteCache {
  match(url: string): Promise<ArrayBuffer | null>;
  put(url: string, bytes: ArrayBuffer): Promise<void>;
}

/** The part of the Workers Cache API (`caches.default`) that the adapter uses. */
export interface CacheApiLike {
  match(request: string): Promise<Response | undefined>;
  put(request: string, response: Response): Promise<void>;
}

/**
 * A ByteCache on the Workers Cache API. Entries are stored with an explicit max-age because the
 * Cache API only keeps responses that say they may be cached.
 */
export function cacheApiCache(cache: CacheApiLike, options: { maxAgeSeconds?: number } = {}): ByteCache {
  const maxAge = options.maxAgeSeconds ?? 7 * 24 * 3600;
  return {
    async match(url) {
      const hit = await cache.match(url);
      return hit ? await hit.arrayBuffer() : null;
    },
    async put(url, bytes) {
      const headers = { "content-type": "application/octet-stream", "cache-control": `public, max-age=${maxAge}` };
      await cache.put(url, new Response(bytes, { headers }));
    },
  };
}

/** An in-memory ByteCache, for tests and short-lived processes. */
export function memoryCache(): ByteCache & { readonly size: number } {
  const entries = new Map<string, ArrayBuffer>();
  return {
    get size() {
      return entries.size;
    },
    async match(url) {
      return entries.get(url) ?? null;
    },
    async put(url, bytes) {
      entries.set(url, bytes);
    },
  };
}
