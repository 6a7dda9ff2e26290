import { HttpSource } from "./http.js";
import { type R2BucketLike, R2Source } from "./r2.js";
import type { ModelSource } from "./source.js";

export interface SourceFromUriOptions {
  /** The bucket `r2:` URIs read from. */
  r2?: R2BucketLike;
  /** Its binding name, for error messages. */
  r2Name?: string;
}

/**
 * The source a model URI names, as apps configure models: `r2:<key prefix>/` inside a bucket
 * binding, or an `http(s)://` base URL (e.g. `https://huggingface.co/{repo}/resolve/main/`).
 */
export function sourceFromUri(uri: string, options: SourceFromUriOptions = {}): ModelSource {
  if (uri.startsWith("r2:")) {
    if (!options.r2) {
      const binding = options.r2Name
        ? `the ${options.r2Name} bucket binding is missing`
        : "no bucket binding was given";
      throw new TypeError(`${uri} names an R2 bucket, but ${binding}`);
    }
    return new R2Source(options.r2, { prefix: uri.slice(3), name: options.r2Name ?? "bucket" });
  }
  if (/^https?:\/\//.test(uri)) return new HttpSource(uri);
  throw new TypeError(`model source "${uri}" must start with r2: or http(s)://`);
}
