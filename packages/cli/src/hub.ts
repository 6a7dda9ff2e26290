import { CliError } from "./errors.js";

/**
 * The few Hugging Face hub endpoints a pull needs. `HF_ENDPOINT` points it at a mirror and
 * `HF_TOKEN` authenticates, as in `huggingface_hub`.
 */
export interface HubOptions {
  endpoint?: string;
  token?: string;
  fetch?: typeof fetch;
}

export interface RemoteFile {
  /** Where the bytes are, after following the hub's redirect. */
  url: string;
  /** sha256 of the content (LFS files: X-Linked-Etag), when the hub gives one. */
  sha256?: string;
  /** git blob sha1 (plain files: ETag), when the hub gives one. */
  gitSha1?: string;
  size?: number;
}

const SHA256 = /^[0-9a-f]{64}$/;
const SHA1 = /^[0-9a-f]{40}$/;

function unquote(etag: string | null): string | undefined {
  return etag?.replace(/^W\//, "").replace(/"/g, "").toLowerCase() || undefined;
}

export class Hub {
  readonly endpoint: string;
  private readonly token: string | undefined;
  private readonly fetch: typeof fetch;

  constructor(options: HubOptions = {}) {
    this.endpoint = (options.endpoint ?? process.env.HF_ENDPOINT ?? "https://huggingface.co").replace(/\/+$/, "");
    this.token = options.token ?? process.env.HF_TOKEN ?? undefined;
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  headers(extra: Record<string, string> = {}): Record<string, string> {
    return { ...(this.token ? { authorization: `Bearer ${this.token}` } : {}), ...extra };
  }

  /** Turns the hub's 401/403/404 into messages that say what to do. */
  private check(response: Response, what: string): void {
    if (response.ok || (response.status >= 300 && response.status < 400)) return;
    if (response.status === 401 || response.status === 403) {
      throw new CliError(
        `${what}: the hub answered ${response.status}. The repository is private or gated: set HF_TOKEN to a token with access.`,
      );
    }
    if (response.status === 404)
      throw new CliError(`${what}: not found on ${this.endpoint} (check the repository and revision).`);
    throw new CliError(`${what}: the hub answered ${response.status} ${response.statusText}.`);
  }

  /** Every file path of a repository at a revision. */
  async listFiles(repo: string, revision: string): Promise<string[]> {
    const url = `${this.endpoint}/api/models/${repo}/revision/${encodeURIComponent(revision)}`;
    const response = await this.fetch(url, { headers: this.headers() });
    this.check(response, `${repo}@${revision}`);
    const body = (await response.json()) as { siblings?: { rfilename: string }[] };
    if (!Array.isArray(body.siblings)) throw new CliError(`${url} did not list the repository's files.`);
    return body.siblings.map((sibling) => sibling.rfilename);
  }

  resolveUrl(repo: string, revision: string, file: string): string {
    return `${this.endpoint}/${repo}/resolve/${encodeURIComponent(revision)}/${file.split("/").map(encodeURIComponent).join("/")}`;
  }

  /**
   * Where a file's bytes are and what their checksum must be: LFS files answer the resolve
   * URL with a redirect carrying X-Linked-Etag (sha256) and X-Linked-Size; plain files answer
   * directly with an ETag that is their git blob sha1.
   */
  async locate(repo: string, revision: string, file: string): Promise<RemoteFile> {
    let url = this.resolveUrl(repo, revision, file);
    for (let hops = 0; hops < 5; hops++) {
      const response = await this.fetch(url, { method: "HEAD", headers: this.headers(), redirect: "manual" });
      this.check(response, `${repo}/${file}`);
      const linked = unquote(response.headers.get("x-linked-etag"));
      const location = response.headers.get("location");
      if (response.status >= 300 && response.status < 400 && location) {
        const next = new URL(location, url).href;
        if (linked && SHA256.test(linked)) {
          const size = Number(response.headers.get("x-linked-size"));
          return { url: next, sha256: linked, ...(Number.isFinite(size) && size > 0 ? { size } : {}) };
        }
        url = next;
        continue;
      }
      const etag = unquote(response.headers.get("etag"));
      const size = Number(response.headers.get("content-length"));
      return {
        url,
        ...(etag && SHA256.test(etag) ? { sha256: etag } : {}),
        ...(etag && SHA1.test(etag) ? { gitSha1: etag } : {}),
        ...(Number.isFinite(size) && size >= 0 ? { size } : {}),
      };
    }
    throw new CliError(`${repo}/${file}: too many redirects.`);
  }

  /** Starts a (possibly ranged) download of located bytes. */
  async open(file: RemoteFile, from: number): Promise<Response> {
    // Tokens go to the hub only, never to the CDN a redirect points at.
    const sameHost = new URL(file.url).host === new URL(this.endpoint).host;
    const headers = { ...(sameHost ? this.headers() : {}), ...(from > 0 ? { range: `bytes=${from}-` } : {}) };
    const response = await this.fetch(file.url, { headers });
    this.check(response, file.url);
    return response;
  }
}
