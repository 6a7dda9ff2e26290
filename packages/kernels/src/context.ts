import type { Arena } from "./memory.ts";
import type { KernelExports } from "./wasm-exports.ts";

/** What every kernel wrapper needs: the wasm exports and the arena over their memory. */
export interface KernelContext {
  readonly wasm: KernelExports;
  readonly arena: Arena;
}

/**
 * Base of handles to data that lives in one instance's wasm memory (packed weights, tables).
 * Using a handle with another Kernels instance would read foreign memory, so it is checked.
 */
export abstract class WasmResident {
  /** @internal */ readonly ptr: number;
  /** @internal */ readonly owner: KernelContext;

  protected constructor(owner: KernelContext, ptr: number) {
    this.owner = owner;
    this.ptr = ptr;
  }

  /** @internal */
  static checkOwner(
    name: string,
    value: unknown,
    ctor: abstract new (...args: never[]) => WasmResident,
    ctx: KernelContext,
  ): void {
    if (!(value instanceof ctor))
      throw new TypeError(`${name} must be a ${ctor.name} created by this Kernels instance`);
    if (value.owner !== ctx) throw new TypeError(`${name} was created by a different Kernels instance`);
  }
}
