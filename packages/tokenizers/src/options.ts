import type { PaddingParams } from "./padding.js";
import type { TruncationParams, TruncationStrategy } from "./truncation.js";

export interface TruncationOptions {
  /** Defaults to `model_max_length` of tokenizer_config.json when given. */
  maxLength?: number;
  strategy?: TruncationStrategy;
  stride?: number;
  direction?: "right" | "left";
}

export interface PaddingOptions {
  strategy?: "longest" | "max_length";
  maxLength?: number;
  padToMultipleOf?: number;
  direction?: "right" | "left";
  /** Overrides of the pad token (default: the file's padding block, tokenizer_config pad_token, else "[PAD]"/0). */
  padId?: number;
  padTypeId?: number;
  padToken?: string;
}

export interface EncodeOptions {
  addSpecialTokens?: boolean;
  truncation?: false | TruncationOptions;
  padding?: false | PaddingOptions;
  offsets?: "utf16" | "codepoint";
}

export interface DecodeOptions {
  skipSpecialTokens?: boolean;
  cleanUpTokenizationSpaces?: boolean;
}

function fail(field: string, expected: string, value: unknown): never {
  throw new TypeError(`options.${field} must be ${expected}, got ${describe(value)}`);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return JSON.stringify(value);
  return typeof value === "object" ? "an object" : `${typeof value} ${String(value)}`;
}

function checkObject(value: unknown, field: string): Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) fail(field, "an object", value);
  return value as Record<string, unknown>;
}

function checkInt(value: unknown, field: string, min: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) fail(field, `an integer >= ${min}`, value);
  return value;
}

function checkEnum<T extends string>(value: unknown, field: string, allowed: readonly T[]): T {
  if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
    fail(field, `one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}`, value);
  }
  return value as T;
}

const KNOWN_ENCODE = new Set(["addSpecialTokens", "truncation", "padding", "offsets"]);

export interface ResolvedEncodeOptions {
  addSpecialTokens: boolean;
  /** undefined: use the tokenizer's own setting. */
  truncation: TruncationParams | null | undefined;
  padding: PaddingParams | null | undefined;
  offsets: "utf16" | "codepoint";
}

export function resolveEncodeOptions(
  raw: unknown,
  defaults: { modelMaxLength: number | null; pad: { padId: number; padTypeId: number; padToken: string } },
): ResolvedEncodeOptions {
  const out: ResolvedEncodeOptions = {
    addSpecialTokens: true,
    truncation: undefined,
    padding: undefined,
    offsets: "utf16",
  };
  if (raw === undefined || raw === null) return out;
  const o = checkObject(raw, "(options)");
  for (const key of Object.keys(o))
    if (!KNOWN_ENCODE.has(key)) throw new TypeError(`options.${key} is not a known option`);
  if (o.addSpecialTokens !== undefined) {
    if (typeof o.addSpecialTokens !== "boolean") fail("addSpecialTokens", "a boolean", o.addSpecialTokens);
    out.addSpecialTokens = o.addSpecialTokens;
  }
  if (o.offsets !== undefined) out.offsets = checkEnum(o.offsets, "offsets", ["utf16", "codepoint"] as const);
  if (o.truncation !== undefined) {
    if (o.truncation === false) out.truncation = null;
    else {
      const t = checkObject(o.truncation, "truncation");
      let maxLength: number;
      if (t.maxLength === undefined) {
        if (defaults.modelMaxLength === null) fail("truncation.maxLength", "an integer >= 0", undefined);
        maxLength = defaults.modelMaxLength;
      } else maxLength = checkInt(t.maxLength, "truncation.maxLength", 0);
      out.truncation = {
        maxLength,
        strategy:
          t.strategy === undefined
            ? "longest_first"
            : checkEnum(t.strategy, "truncation.strategy", ["longest_first", "only_first", "only_second"] as const),
        stride: t.stride === undefined ? 0 : checkInt(t.stride, "truncation.stride", 0),
        direction:
          t.direction === undefined
            ? "right"
            : checkEnum(t.direction, "truncation.direction", ["right", "left"] as const),
      };
    }
  }
  if (o.padding !== undefined) {
    if (o.padding === false) out.padding = null;
    else {
      const p = checkObject(o.padding, "padding");
      const maxLength = p.maxLength === undefined ? undefined : checkInt(p.maxLength, "padding.maxLength", 0);
      const strategy =
        p.strategy === undefined
          ? maxLength === undefined
            ? "longest"
            : "max_length"
          : checkEnum(p.strategy, "padding.strategy", ["longest", "max_length"] as const);
      if (strategy === "max_length" && maxLength === undefined)
        fail("padding.maxLength", 'an integer >= 0 with strategy "max_length"', undefined);
      out.padding = {
        strategy,
        maxLength: maxLength ?? 0,
        padToMultipleOf:
          p.padToMultipleOf === undefined ? null : checkInt(p.padToMultipleOf, "padding.padToMultipleOf", 1),
        direction:
          p.direction === undefined ? "right" : checkEnum(p.direction, "padding.direction", ["right", "left"] as const),
        padId: p.padId === undefined ? defaults.pad.padId : checkInt(p.padId, "padding.padId", 0),
        padTypeId: p.padTypeId === undefined ? defaults.pad.padTypeId : checkInt(p.padTypeId, "padding.padTypeId", 0),
        padToken:
          p.padToken === undefined
            ? defaults.pad.padToken
            : typeof p.padToken === "string"
              ? p.padToken
              : fail("padding.padToken", "a string", p.padToken),
      };
    }
  }
  return out;
}

export function resolveDecodeOptions(raw: unknown): DecodeOptions {
  if (raw === undefined || raw === null) return {};
  const o = checkObject(raw, "(options)");
  for (const key of Object.keys(o)) {
    if (key !== "skipSpecialTokens" && key !== "cleanUpTokenizationSpaces")
      throw new TypeError(`options.${key} is not a known option`);
    if (o[key] !== undefined && typeof o[key] !== "boolean") fail(key, "a boolean", o[key]);
  }
  return o as DecodeOptions;
}
