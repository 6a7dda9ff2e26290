/** Input and option checks that name the offending field (TypeError for types, RangeError for values). */

export function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return typeof value === "object" ? "an object" : `${typeof value} ${String(value)}`;
}

export function checkString(value: unknown, field: string, { nonEmpty = false } = {}): string {
  if (typeof value !== "string") throw new TypeError(`${field} must be a string, got ${describe(value)}`);
  if (nonEmpty && value.length === 0) throw new RangeError(`${field} must not be empty`);
  return value;
}

export function checkBoolean(value: unknown, field: string): boolean {
  if (typeof value !== "boolean") throw new TypeError(`${field} must be a boolean, got ${describe(value)}`);
  return value;
}

export function checkInteger(value: unknown, field: string, min: number): number {
  if (typeof value !== "number" || !Number.isInteger(value))
    throw new TypeError(`${field} must be an integer, got ${describe(value)}`);
  if (value < min) throw new RangeError(`${field} must be >= ${min}, got ${value}`);
  return value;
}

export function checkEnum<T extends string>(value: unknown, field: string, allowed: readonly T[]): T {
  if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
    throw new TypeError(
      `${field} must be one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}, got ${describe(value)}`,
    );
  }
  return value as T;
}

export function checkObject(value: unknown, field: string): Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new TypeError(`${field} must be an object, got ${describe(value)}`);
  }
  return value as Record<string, unknown>;
}

/** Rejects option names the task does not know (a typo would otherwise be silently ignored). */
export function checkKnownOptions(options: Record<string, unknown>, known: readonly string[], task: string): void {
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw new TypeError(`${task}: unknown option "${key}" (known: ${known.join(", ")})`);
  }
}

/** Merges pipeline-level and call-level options (the call wins, as Python's call kwargs do). */
export function mergeOptions(
  base: Record<string, unknown> | undefined,
  call: unknown,
  field = "options",
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...(base ?? {}) };
  if (call !== undefined) {
    for (const [k, v] of Object.entries(checkObject(call, field))) if (v !== undefined) merged[k] = v;
  }
  return merged;
}

/**
 * Passed as the inputs by `pipeline()` to check its options when it is created, as Python's
 * `_sanitize_parameters` does in the constructor: every task reads all its options before its
 * inputs, so `asBatch` stops the run there with `OptionsChecked`.
 */
export const OPTIONS_ONLY: unique symbol = Symbol("pipelines.optionsOnly");

export class OptionsChecked extends Error {}

/**
 * One input or an array of inputs. Returns the list and whether the caller gave a single one,
 * so the result can be unwrapped the way Python pipelines do.
 */
export function asBatch<T>(
  inputs: unknown,
  field: string,
  check: (value: unknown, field: string) => T,
): { items: T[]; single: boolean } {
  if (inputs === OPTIONS_ONLY) throw new OptionsChecked();
  if (Array.isArray(inputs)) {
    if (inputs.length === 0) throw new RangeError(`${field} must not be an empty array`);
    return { items: inputs.map((v, i) => check(v, `${field}[${i}]`)), single: false };
  }
  return { items: [check(inputs, field)], single: true };
}
