import { parseArgs } from "node:util";
import { CliError } from "./errors.js";
import { ISOLATE_BYTES, inspect, listModels } from "./inspect.js";
import { progressBar } from "./progress.js";
import { pull } from "./pull.js";
import { push } from "./push.js";
import { quantizeFolder } from "./quantize.js";
import { serve } from "./serve.js";
import { writeTinyModels } from "./tiny-models.js";

const USAGE = `edgeformers — Hugging Face models for edge workers

  edgeformers models pull <org/name> [--revision main] [--format safetensors|onnx] [--dir models] [--force]
  edgeformers models push <dir> (--bucket <r2-bucket> | --local) [--prefix org/name/]
  edgeformers models quantize <dir> [--out <dir>-int8]
  edgeformers models ls [--dir models]
  edgeformers models tiny --dir <dir>        seeded tiny demo models, one per task (random weights)
  edgeformers models inspect <dir> [--json]
  edgeformers serve [--dir models] [--port 8787] [--host 127.0.0.1]

Environment: HF_TOKEN (private or gated repositories), HF_ENDPOINT (a hub mirror).`;

const mib = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MiB`;

async function run(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      revision: { type: "string" },
      format: { type: "string" },
      dir: { type: "string" },
      force: { type: "boolean" },
      port: { type: "string" },
      host: { type: "string" },
      json: { type: "boolean" },
      bucket: { type: "string" },
      prefix: { type: "string" },
      local: { type: "boolean" },
      out: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  const [group, command, target] = positionals;
  if (values.help || group === undefined) {
    console.log(USAGE);
    return;
  }
  const dir = values.dir ?? "models";
  if (group === "serve") {
    const port = Number(values.port ?? process.env.PORT ?? 8787);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new CliError(`--port must be a port number, got "${values.port}"`, 2);
    const vars = Object.fromEntries(
      ["API_KEYS", "CORS_ORIGINS", "MAX_BODY_BYTES", "MAX_INPUTS", "MAX_INPUT_CHARS", "MAX_TOKENS_PER_REQUEST"]
        .filter((name) => process.env[name] !== undefined)
        .map((name) => [name, process.env[name]]),
    );
    const { server, url, models } = await serve({ dir, port, host: values.host, vars });
    console.log(`edgeformers is serving ${models.length} model(s) from ${dir}/ at ${url}\n  ${models.join("\n  ")}`);
    const stop = () => server.close(() => process.exit(0));
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
    return;
  }
  if (group !== "models") throw new CliError(`unknown command "${group}"\n\n${USAGE}`, 2);
  switch (command) {
    case "pull": {
      if (!target) throw new CliError(`models pull needs a repository, e.g. sentence-transformers/all-MiniLM-L6-v2`, 2);
      const format = values.format;
      if (format !== undefined && format !== "safetensors" && format !== "onnx") {
        throw new CliError(`--format must be safetensors or onnx, got "${format}"`, 2);
      }
      const result = await pull(target, {
        revision: values.revision,
        format,
        dir,
        force: values.force,
        onFile: (file, size) => progressBar(file, size),
        log: (line) => console.error(line),
      });
      console.log(
        result.alreadyPresent ? `${result.path} is already here (use --force to pull again)` : `pulled ${result.path}`,
      );
      return;
    }
    case "push": {
      if (!target) throw new CliError("models push needs a model folder", 2);
      const keys = await push(target, {
        bucket: values.bucket,
        prefix: values.prefix,
        local: values.local,
        log: (line) => console.error(line),
      });
      console.log(
        `pushed ${keys.length} files${values.local ? " into the local R2 state npm start serves" : ` to ${values.bucket}`}`,
      );
      return;
    }
    case "quantize": {
      if (!target) throw new CliError("models quantize needs a model folder", 2);
      const report = await quantizeFolder(target, values.out);
      console.log(
        [
          `wrote ${report.out}`,
          `  model.safetensors  ${mib(report.bytesBefore)} -> ${mib(report.bytesAfter)} (${((100 * report.bytesAfter) / report.bytesBefore).toFixed(0)}%)`,
          `  cosine int8 vs f32 (${report.output}): ${report.cosines.map((c) => c.toFixed(5)).join(", ")}`,
        ].join("\n"),
      );
      return;
    }
    case "tiny": {
      const names = await writeTinyModels(values.dir ?? "tiny-models");
      console.log(`wrote ${names.length} tiny models under ${values.dir ?? "tiny-models"}/: ${names.join(", ")}`);
      return;
    }
    case "ls": {
      const models = await listModels(dir);
      if (models.length === 0) console.log(`no models under ${dir}/`);
      for (const model of models) console.log(model);
      return;
    }
    case "inspect": {
      if (!target) throw new CliError("models inspect needs a model folder", 2);
      const info = await inspect(target);
      if (values.json) {
        console.log(JSON.stringify(info));
        return;
      }
      const fits = (ok: boolean) => (ok ? "fits" : "does NOT fit");
      console.log(
        [
          `${info.path}`,
          `  architecture  ${info.modelType} / ${info.architecture}`,
          `  parameters    ${info.parameters.toLocaleString("en-US")} (${info.dtypes.join(", ")} on disk, ${mib(info.fileBytes)})`,
          `  memory f32    ${mib(info.f32Bytes)} of weights: ${fits(info.fitsF32)} a ${mib(ISOLATE_BYTES)} isolate`,
          `  memory int8   ${mib(info.int8Bytes)} of weights in a Worker (relaxed-SIMD dot kernel): ${fits(info.fitsInt8)}`,
          `                ${mib(info.int8I16Bytes)} on Node / plain SIMD (i16 kernel, Linear weights widened to 2 bytes)`,
          `  served by     ${info.apps.join(", ")}`,
        ].join("\n"),
      );
      return;
    }
    default:
      throw new CliError(`unknown models command "${command}"\n\n${USAGE}`, 2);
  }
}

run(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof CliError) {
    console.error(`edgeformers: ${error.message}`);
    process.exit(error.exitCode);
  }
  if (error instanceof TypeError && (error as { code?: string }).code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    console.error(`edgeformers: ${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
  console.error(error);
  process.exit(1);
});
