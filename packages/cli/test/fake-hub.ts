/**
 * A local stand-in for the Hugging Face hub's endpoints, on 127.0.0.1: the model-info API,
 * `resolve` URLs that redirect LFS files to a CDN path with X-Linked-Etag / X-Linked-Size
 * (plain files answer with their git-blob ETag), and a CDN that honours Range. Faults can
 * be switched on per test: a connection cut after N bytes, corrupted bytes, a private repo.
 */
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeRepo {
  files: Record<string, Uint8Array>;
  /** Files served as LFS objects (redirect + sha256). */
  lfs: string[];
  /** Answer 401 unless the request carries this token. */
  token?: string;
}

export interface Faults {
  /** Cut the connection after this many bytes of the named file, once. */
  cutAfter?: { file: string; bytes: number };
  /** Serve the named file with one byte flipped. */
  corrupt?: string;
}

export interface RequestLog {
  method: string;
  path: string;
  range?: string;
  authorization?: string;
}

export interface FakeHub {
  url: string;
  requests: RequestLog[];
  faults: Faults;
  close(): Promise<void>;
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const gitSha1 = (bytes: Uint8Array) =>
  createHash("sha1").update(`blob ${bytes.byteLength}\0`).update(bytes).digest("hex");

export async function startFakeHub(repos: Record<string, FakeRepo>): Promise<FakeHub> {
  const requests: RequestLog[] = [];
  const faults: Faults = {};
  const byHash = new Map<string, { repo: string; file: string }>();
  for (const [repo, { files }] of Object.entries(repos)) {
    for (const [file, bytes] of Object.entries(files)) byHash.set(sha256(bytes), { repo, file });
  }

  const authorized = (req: IncomingMessage, repo: FakeRepo) =>
    repo.token === undefined || req.headers.authorization === `Bearer ${repo.token}`;

  const sendBytes = (req: IncomingMessage, res: ServerResponse, file: string, original: Uint8Array) => {
    let bytes = original;
    if (faults.corrupt === file) {
      bytes = new Uint8Array(original);
      bytes[bytes.length >> 1] ^= 0xff;
    }
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? "");
    const start = range ? Number(range[1]) : 0;
    const body = bytes.subarray(start);
    res.writeHead(range ? 206 : 200, {
      "content-length": body.byteLength,
      "accept-ranges": "bytes",
      ...(range ? { "content-range": `bytes ${start}-${bytes.byteLength - 1}/${bytes.byteLength}` } : {}),
    });
    if (req.method === "HEAD") return res.end();
    const cut = faults.cutAfter;
    if (cut && cut.file === file) {
      faults.cutAfter = undefined; // once
      res.write(body.subarray(0, cut.bytes), () => res.destroy());
      return;
    }
    res.end(body);
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://hub.test");
    requests.push({
      method: req.method ?? "GET",
      path: decodeURIComponent(url.pathname),
      ...(req.headers.range ? { range: req.headers.range } : {}),
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
    });
    const info = /^\/api\/models\/([^/]+\/[^/]+)\/revision\/([^/]+)$/.exec(url.pathname);
    if (info) {
      const repo = repos[info[1] as string];
      if (!repo) return res.writeHead(404).end('{"error":"Repository not found"}');
      if (!authorized(req, repo)) return res.writeHead(401).end('{"error":"Invalid credentials"}');
      res.writeHead(200, { "content-type": "application/json" });
      return res.end(
        JSON.stringify({
          id: info[1],
          sha: "0".repeat(40),
          siblings: Object.keys(repo.files).map((rfilename) => ({ rfilename })),
        }),
      );
    }
    const resolve = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(url.pathname);
    if (resolve) {
      const name = resolve[1] as string;
      const file = decodeURIComponent(resolve[3] as string);
      const repo = repos[name];
      if (!repo) return res.writeHead(404).end();
      if (!authorized(req, repo)) return res.writeHead(401).end();
      const bytes = repo.files[file];
      if (!bytes) return res.writeHead(404, { "x-error-code": "EntryNotFound" }).end();
      if (repo.lfs.includes(file)) {
        const hash = sha256(bytes);
        res.writeHead(302, {
          location: `/cdn/${hash}`,
          "x-linked-etag": `"${hash}"`,
          "x-linked-size": String(bytes.byteLength),
          etag: `"${hash}"`,
        });
        return res.end();
      }
      res.setHeader("etag", `"${gitSha1(bytes)}"`);
      return sendBytes(req, res, file, bytes);
    }
    const cdn = /^\/cdn\/([0-9a-f]{64})$/.exec(url.pathname);
    const object = cdn ? byHash.get(cdn[1] as string) : undefined;
    if (object) return sendBytes(req, res, object.file, repos[object.repo]?.files[object.file] as Uint8Array);
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    faults,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
