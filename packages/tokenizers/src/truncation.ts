import type { RawEncoding } from "./encoding.js";

export type TruncationStrategy = "longest_first" | "only_first" | "only_second";

export interface TruncationParams {
  maxLength: number;
  strategy: TruncationStrategy;
  stride: number;
  direction: "right" | "left";
}

/** Rust `truncate_encodings`: trims one or both encodings to fit `maxLength`. */
export function truncateEncodings(encoding: RawEncoding, pair: RawEncoding | null, params: TruncationParams): void {
  const { maxLength, stride, direction } = params;
  if (maxLength === 0) {
    encoding.truncate(0, stride, direction);
    pair?.truncate(0, stride, direction);
    return;
  }
  const total = encoding.length + (pair ? pair.length : 0);
  if (total <= maxLength) return;
  const toRemove = total - maxLength;
  if (params.strategy === "longest_first") {
    if (!pair) {
      encoding.truncate(total - toRemove, stride, direction);
      return;
    }
    let n1 = encoding.length;
    let n2 = pair.length;
    let swap = false;
    if (n1 > n2) {
      swap = true;
      [n1, n2] = [n2, n1];
    }
    if (n1 > maxLength) n2 = n1;
    else n2 = Math.max(n1, maxLength - n1);
    if (n1 + n2 > maxLength) {
      n1 = Math.floor(maxLength / 2);
      n2 = n1 + (maxLength % 2);
    }
    if (swap) [n1, n2] = [n2, n1];
    encoding.truncate(n1, stride, direction);
    pair.truncate(n2, stride, direction);
    return;
  }
  let target: RawEncoding;
  if (params.strategy === "only_first") target = encoding;
  else {
    if (!pair) throw new Error("Truncation error: Second sequence not provided");
    target = pair;
  }
  if (target.length > toRemove) target.truncate(target.length - toRemove, stride, direction);
  else throw new Error("Truncation error: Sequence to truncate too short to respect the provided max_length");
}
