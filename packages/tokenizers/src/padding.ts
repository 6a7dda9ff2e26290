import type { RawEncoding } from "./encoding.js";

export interface PaddingParams {
  strategy: "longest" | "max_length";
  maxLength: number;
  padToMultipleOf: number | null;
  direction: "right" | "left";
  padId: number;
  padTypeId: number;
  padToken: string;
}

/** Rust `pad_encodings`: pads every encoding (and its overflowing parts) to a common length. */
export function padEncodings(encodings: RawEncoding[], params: PaddingParams): void {
  if (encodings.length === 0) return;
  let target = params.maxLength;
  if (params.strategy !== "max_length") {
    target = 0;
    for (const e of encodings) if (e.length > target) target = e.length;
  }
  const multiple = params.padToMultipleOf;
  if (multiple && multiple > 0 && target % multiple !== 0) target += multiple - (target % multiple);
  for (const e of encodings) e.pad(target, params.padId, params.padTypeId, params.padToken, params.direction);
}
