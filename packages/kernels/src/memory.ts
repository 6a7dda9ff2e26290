// Linear-memory arena. Two bump regions share the wasm memory:
//   [heapBase .. persistentTop)  packed weights and tables, live as long as the Kernels instance;
//   [persistentTop .. scratchTop) per-call scratch, released when the call returns.
// Every allocation is 64-byte aligned and followed by at least SLACK bytes of readable memory,
// because vector loops may read (never write) up to one vector past the end of a row.
// Typed-array views are created fresh on every access: memory.grow() detaches old views.

const ALIGN = 64;
const SLACK = 64;
const PAGE = 65536;

export interface MemoryStats {
  /** Bytes held by packed weights and tables. */
  readonly persistentBytes: number;
  /** Bytes of scratch in use right now (0 between calls). */
  readonly scratchBytes: number;
  /** Largest persistent + scratch footprint seen since creation (or resetHighWaterMark). */
  readonly highWaterMark: number;
  /** Configured budget for persistent + scratch bytes. */
  readonly budgetBytes: number;
  /** Current size of the wasm memory in bytes. */
  readonly memoryBytes: number;
}

const align = (n: number): number => Math.ceil(n / ALIGN) * ALIGN;

export class Arena {
  private readonly memory: WebAssembly.Memory;
  private readonly base: number;
  private readonly budget: number;
  private persistentTop: number;
  private scratchTop: number;
  private highWater = 0;

  constructor(memory: WebAssembly.Memory, heapBase: number, budgetBytes: number) {
    this.memory = memory;
    this.base = align(heapBase);
    this.budget = budgetBytes;
    this.persistentTop = this.base;
    this.scratchTop = this.base;
  }

  /** Allocates bytes that live as long as the kernels instance (packed weights). */
  allocPersistent(bytes: number, what: string): number {
    if (this.scratchTop !== this.persistentTop) {
      throw new Error(`cannot allocate ${what} while a kernel call is in progress`);
    }
    const ptr = this.reserve(this.persistentTop, bytes, what);
    this.persistentTop = ptr + align(bytes);
    this.scratchTop = this.persistentTop;
    return ptr;
  }

  /** Allocates scratch for the current call. */
  alloc(bytes: number, what: string): number {
    const ptr = this.reserve(this.scratchTop, bytes, what);
    this.scratchTop = ptr + align(bytes);
    return ptr;
  }

  /** Runs fn with a scratch scope: whatever fn allocates is released afterwards, even on throw. */
  scoped<T>(fn: () => T): T {
    const mark = this.scratchTop;
    try {
      return fn();
    } finally {
      this.scratchTop = mark;
    }
  }

  /** Drops all scratch (start of a forward pass). Persistent allocations are kept. */
  reset(): void {
    this.scratchTop = this.persistentTop;
  }

  resetHighWaterMark(): void {
    this.highWater = this.scratchTop - this.base;
  }

  stats(): MemoryStats {
    return {
      persistentBytes: this.persistentTop - this.base,
      scratchBytes: this.scratchTop - this.persistentTop,
      highWaterMark: this.highWater,
      budgetBytes: this.budget,
      memoryBytes: this.memory.buffer.byteLength,
    };
  }

  copyIn(data: Float32Array | Int8Array | Int32Array | Uint8Array, what: string): number {
    const ptr = this.alloc(data.byteLength, what);
    new Uint8Array(this.memory.buffer, ptr, data.byteLength).set(
      new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    );
    return ptr;
  }

  f32(ptr: number, length: number): Float32Array {
    return new Float32Array(this.memory.buffer, ptr, length);
  }

  i32(ptr: number, length: number): Int32Array {
    return new Int32Array(this.memory.buffer, ptr, length);
  }

  i8(ptr: number, length: number): Int8Array {
    return new Int8Array(this.memory.buffer, ptr, length);
  }

  u8(ptr: number, length: number): Uint8Array {
    return new Uint8Array(this.memory.buffer, ptr, length);
  }

  private reserve(top: number, bytes: number, what: string): number {
    if (!Number.isSafeInteger(bytes) || bytes < 0) throw new RangeError(`${what}: invalid allocation size ${bytes}`);
    const ptr = align(top);
    const end = ptr + align(bytes);
    const inUse = end - this.base;
    if (inUse > this.budget) {
      throw new RangeError(
        `memory budget exceeded: ${what} needs ${bytes} bytes with ${top - this.base} bytes already in use (budget ${this.budget} bytes)`,
      );
    }
    const needed = end + SLACK;
    const have = this.memory.buffer.byteLength;
    if (needed > have) {
      try {
        this.memory.grow(Math.ceil((needed - have) / PAGE));
      } catch (cause) {
        throw new RangeError(`${what}: could not grow wasm memory from ${have} to ${needed} bytes`, { cause });
      }
    }
    this.highWater = Math.max(this.highWater, inUse);
    return ptr;
  }
}
