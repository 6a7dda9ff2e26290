// f32 arrays that stay in the kernels' wasm memory between kernel calls. A Transformer layer is a
// chain of kernels (GEMM → attention → GEMM → LayerNorm → …); passing Float32Arrays copies every
// activation into wasm memory and back out at each step, ~7% of an encoder's time. A WasmArray is
// read and written by the kernels in place, and copied to JS only when the caller asks.
import type { KernelContext } from "./context.ts";
import { checkArray } from "./errors.ts";

/** Whether the scope an array was allocated in is still running. */
interface ScopeState {
  open: boolean;
}

/**
 * `length` f32 values in one Kernels instance's wasm memory, valid inside the `withArrays` callback
 * that allocated it. Pointers survive memory growth; typed-array views do not, so `view()` makes a
 * fresh one on every call.
 */
export class WasmArray {
  readonly length: number;
  /** @internal */ readonly ptr: number;
  /** @internal */ readonly owner: KernelContext;
  /** @internal */ readonly scope: ScopeState;

  /** @internal */
  constructor(owner: KernelContext, scope: ScopeState, ptr: number, length: number) {
    this.owner = owner;
    this.scope = scope;
    this.ptr = ptr;
    this.length = length;
  }

  /** A Float32Array over the data: valid until the next kernel call (which may grow the memory). */
  view(): Float32Array {
    this.checkOpen("view()");
    return this.owner.arena.f32(this.ptr, this.length);
  }

  /** A copy of the data, into `out` when given (same length). */
  read(out?: Float32Array): Float32Array {
    const view = this.view();
    if (out === undefined) return view.slice();
    checkArray("out", out, Float32Array, this.length, `[${this.length}]`);
    out.set(view);
    return out;
  }

  /** Copies `data` in, starting at element `offset`. */
  write(data: Float32Array, offset = 0): void {
    if (!(data instanceof Float32Array)) throw new TypeError("data must be a Float32Array");
    if (!Number.isInteger(offset) || offset < 0 || offset + data.length > this.length) {
      throw new RangeError(`write of ${data.length} values at ${offset} does not fit a WasmArray of ${this.length}`);
    }
    this.view().set(data, offset);
  }

  /** Elements [start, end) as a WasmArray over the same memory (for row blocks). */
  subarray(start: number, end: number): WasmArray {
    this.checkOpen("subarray()");
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > this.length || start > end) {
      throw new RangeError(`subarray(${start}, ${end}) is outside a WasmArray of ${this.length}`);
    }
    return new WasmArray(this.owner, this.scope, this.ptr + start * 4, end - start);
  }

  private checkOpen(what: string): void {
    if (!this.scope.open) throw new TypeError(`WasmArray.${what}: its withArrays scope has ended`);
  }
}

/** What a `withArrays` callback allocates with. */
export interface WasmArrayScope {
  /** `length` uninitialised f32 values. */
  array(length: number, what?: string): WasmArray;
  /** A copy of `data`. */
  upload(data: Float32Array, what?: string): WasmArray;
}

/**
 * Runs `fn` with arrays that live until it returns. It must be synchronous: the arrays sit on the
 * arena's scratch stack, and a callback suspended at an `await` would let another request's
 * kernel calls run on top of them.
 */
export function withArrays<T>(ctx: KernelContext, fn: (scope: WasmArrayScope) => T): T {
  const state: ScopeState = { open: true };
  const { arena } = ctx;
  const scope: WasmArrayScope = {
    array(length, what = "array") {
      if (!state.open) throw new TypeError("withArrays: the scope has ended");
      if (!Number.isInteger(length) || length < 0) throw new RangeError(`${what}: invalid length ${length}`);
      return new WasmArray(ctx, state, arena.alloc(length * 4, what), length);
    },
    upload(data, what = "array") {
      if (!(data instanceof Float32Array)) throw new TypeError(`${what} must be a Float32Array`);
      const array = scope.array(data.length, what);
      array.write(data);
      return array;
    },
  };
  return arena.scoped(() => {
    try {
      const result = fn(scope);
      if (typeof (result as { then?: unknown } | null)?.then === "function") {
        throw new TypeError("withArrays: the callback must be synchronous (it returned a Promise)");
      }
      return result;
    } finally {
      state.open = false;
    }
  });
}

/** A kernel's f32 argument: a JS array (copied into wasm memory) or a WasmArray (used in place). */
export type F32Input = Float32Array | WasmArray;

/**
 * Checks a Float32Array or WasmArray argument: type, length, and for a WasmArray its owner and
 * scope. Errors name the argument and the shape, as checkArray's do.
 */
export function checkF32(
  ctx: KernelContext,
  name: string,
  value: unknown,
  expectedLength: number,
  shape: string,
): F32Input {
  if (value instanceof WasmArray) {
    if (value.owner !== ctx) throw new TypeError(`${name} is a WasmArray of a different Kernels instance`);
    if (!value.scope.open) throw new TypeError(`${name} is a WasmArray whose withArrays scope has ended`);
    if (value.length !== expectedLength) {
      throw new RangeError(`${name} has length ${value.length}, expected ${expectedLength} (${shape})`);
    }
    return value;
  }
  return checkArray(name, value, Float32Array, expectedLength, shape);
}

/** The pointer a kernel reads `value` from: a WasmArray's own, or a scratch copy of a Float32Array. */
export function inputPtr(ctx: KernelContext, value: F32Input, what: string): number {
  return value instanceof WasmArray ? value.ptr : ctx.arena.copyIn(value, what);
}

/** Where a kernel writes `length` f32: straight into a WasmArray `out`, else fresh scratch. */
export function outputPtr(ctx: KernelContext, out: F32Input | undefined, length: number): number {
  return out instanceof WasmArray ? out.ptr : ctx.arena.alloc(length * 4, "output");
}

/** The kernel's result: the WasmArray `out` itself, or the scratch copied into `out` / a new array. */
export function finishOutput(ctx: KernelContext, ptr: number, length: number, out: F32Input | undefined): F32Input {
  if (out instanceof WasmArray) return out;
  const view = ctx.arena.f32(ptr, length);
  if (out === undefined) return view.slice();
  out.set(view);
  return out;
}

/**
 * Throws if WasmArray `out` overlaps WasmArray `input` (a kernel that reads `input` while writing
 * `out` would read its own results). Float32Array inputs are copied first, so they never overlap.
 */
export function checkNoOverlap(outName: string, out: F32Input | undefined, name: string, input: F32Input): void {
  if (!(out instanceof WasmArray) || !(input instanceof WasmArray)) return;
  const overlap = out.ptr < input.ptr + input.length * 4 && input.ptr < out.ptr + out.length * 4;
  if (overlap) throw new RangeError(`${outName} must not overlap ${name} (both are WasmArrays over the same memory)`);
}
