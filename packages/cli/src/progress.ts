import type { ProgressListener } from "./download.js";

const mib = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MiB`;

/**
 * A one-line progress bar per file on a terminal (redrawn in place at most every 100 ms), or a
 * single line per finished file when output is piped, so logs stay readable.
 */
export function progressBar(
  file: string,
  size: number | undefined,
  stream: NodeJS.WriteStream = process.stderr,
): ProgressListener {
  let last = 0;
  let finished = false;
  return (done, total = size) => {
    const complete = total !== undefined && done >= total;
    if (!stream.isTTY) {
      if (complete && !finished) stream.write(`${file} ${mib(done)}\n`);
      finished ||= complete;
      return;
    }
    const now = Date.now();
    if (!complete && now - last < 100) return;
    last = now;
    const width = 30;
    const filled = total ? Math.round((done / total) * width) : 0;
    const bar = total ? `[${"#".repeat(filled)}${".".repeat(width - filled)}]` : "[...]";
    stream.write(`\r${bar} ${mib(done)}${total ? ` / ${mib(total)}` : ""} ${file}`);
    if (complete && !finished) stream.write("\n");
    finished ||= complete;
  };
}
