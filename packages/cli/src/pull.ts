import { mkdir, readFile, rename, rm, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { resolveArchitecture } from "@edgeformers/engine";
import { downloadFile, type FileSink, type ProgressListener } from "./download.js";
import { CliError } from "./errors.js";
import { Hub, type HubOptions } from "./hub.js";

export interface PullOptions extends HubOptions {
  revision?: string;
  format?: "safetensors" | "onnx";
  /** Parent folder; the model lands in `<dir>/<org>/<name>`. */
  dir?: string;
  force?: boolean;
  sink?: FileSink;
  onFile?: (file: string, size: number | undefined) => ProgressListener;
  log?: (line: string) => void;
}

export interface PullResult {
  path: string;
  files: string[];
  architecture: string;
  alreadyPresent: boolean;
}

/** Files beside the weights that loading or the pipelines read, when the repository has them. */
const METADATA = [
  "config.json",
  "tokenizer.json",
  "tokenizer_config.json",
  "special_tokens_map.json",
  "modules.json",
  "config_sentence_transformers.json",
  "sentence_bert_config.json",
];

const REPO = /^[\w.-]+\/[\w.-]+$/;

const nodeSink: FileSink = {
  async append(path, bytes) {
    const { appendFile } = await import("node:fs/promises");
    await appendFile(path, bytes);
  },
};

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

function weightFiles(
  files: readonly string[],
  format: "safetensors" | "onnx" | undefined,
): { format: "safetensors" | "onnx"; files: string[] } {
  const has = new Set(files);
  const safetensors = has.has("model.safetensors")
    ? ["model.safetensors"]
    : has.has("model.safetensors.index.json")
      ? ["model.safetensors.index.json"]
      : [];
  const onnx = has.has("onnx/model.onnx")
    ? ["onnx/model.onnx", ...(has.has("onnx/model.onnx_data") ? ["onnx/model.onnx_data"] : [])]
    : [];
  if (format === "onnx" || (format === undefined && safetensors.length === 0)) {
    if (onnx.length === 0) throw new CliError("The repository has no onnx/model.onnx.");
    return { format: "onnx", files: onnx };
  }
  if (safetensors.length === 0) {
    throw new CliError(
      "The repository has no model.safetensors (pytorch_model.bin is not supported: convert it to safetensors).",
    );
  }
  return { format: "safetensors", files: safetensors };
}

/**
 * Pulls the files of a model repository that edgeformers can serve. Everything is staged in
 * `<dir>/.partial/<org>/<name>` (so an interrupted pull resumes) and moved into place only
 * when every file is complete and verified: a failure never leaves a folder that looks whole.
 * The architecture is checked from config.json before any weights are downloaded.
 */
export async function pull(repo: string, options: PullOptions = {}): Promise<PullResult> {
  if (!REPO.test(repo)) throw new CliError(`"${repo}" is not a repository name of the form org/name.`);
  const revision = options.revision ?? "main";
  const dir = options.dir ?? "models";
  const hub = new Hub(options);
  const sink = options.sink ?? nodeSink;
  const log = options.log ?? (() => {});
  const target = join(dir, repo);
  const staging = join(dir, ".partial", repo);

  if ((await exists(join(target, "config.json"))) && !options.force) {
    const config = JSON.parse(await readFile(join(target, "config.json"), "utf8")) as Record<string, unknown>;
    return { path: target, files: [], architecture: describe(config), alreadyPresent: true };
  }

  const listed = await hub.listFiles(repo, revision);
  if (!listed.includes("config.json")) throw new CliError(`${repo} has no config.json.`);
  if (!listed.includes("tokenizer.json")) {
    throw new CliError(`${repo} has no tokenizer.json (a fast tokenizer); edgeformers needs one.`);
  }
  const fetchOne = async (file: string) => {
    const remote = await hub.locate(repo, revision, file);
    const dest = join(staging, file);
    await mkdir(dirname(dest), { recursive: true });
    if (await exists(dest)) return; // verified by an earlier, interrupted pull
    await downloadFile(hub, remote, dest, sink, options.onFile?.(file, remote.size));
  };

  // config.json first: refuse an unsupported architecture before any weights move.
  await fetchOne("config.json");
  const config = JSON.parse(await readFile(join(staging, "config.json"), "utf8")) as Record<string, unknown>;
  try {
    resolveArchitecture(config);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw new CliError(`${repo} cannot be served: ${(error as Error).message}`);
  }
  log(`${repo}: ${describe(config)}`);

  const pooling = listed.filter((file) => /^\d+_Pooling\/config\.json$/.test(file));
  const metadata = METADATA.filter((file) => file !== "config.json" && listed.includes(file));
  const weights = weightFiles(listed, options.format);
  for (const file of [...metadata, ...pooling, ...weights.files]) await fetchOne(file);

  const files = ["config.json", ...metadata, ...pooling, ...weights.files];
  if (weights.files[0] === "model.safetensors.index.json") {
    const index = JSON.parse(await readFile(join(staging, "model.safetensors.index.json"), "utf8")) as {
      weight_map?: Record<string, string>;
    };
    const shards = [...new Set(Object.values(index.weight_map ?? {}))];
    if (shards.length === 0) throw new CliError(`${repo}: model.safetensors.index.json lists no shards.`);
    for (const shard of shards) await fetchOne(shard);
    files.push(...shards);
  }

  await mkdir(dirname(target), { recursive: true });
  if (options.force) await rm(target, { recursive: true, force: true });
  await rename(staging, target);
  return { path: target, files, architecture: describe(config), alreadyPresent: false };
}

function describe(config: Record<string, unknown>): string {
  const classes = Array.isArray(config.architectures) ? (config.architectures as string[]).join(", ") : "base model";
  return `${String(config.model_type)} (${classes})`;
}
