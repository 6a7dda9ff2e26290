/**
 * Models held by one isolate, within one memory budget: loads are lazy and single-flight
 * (concurrent first requests share a load; a failed load is forgotten), and when a new model
 * would take the isolate past its budget, the least recently used models are dropped first
 * (the engine frees a model's memory once nothing references it).
 */
export class ModelCache<T> {
  private readonly entries = new Map<string, { value: Promise<T>; bytes: number }>();

  constructor(
    /** Bytes all cached models may hold together. */
    readonly budgetBytes: number,
    /** The memory a loaded model holds (e.g. the engine's `stats().weightsBytes`). */
    private readonly sizeOf: (value: T) => number,
  ) {}

  get(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit) {
      // Re-insert: Map order is the recency order.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.value;
    }
    const entry = { value: load(), bytes: 0 };
    this.entries.set(key, entry);
    entry.value.then(
      (value) => {
        entry.bytes = this.sizeOf(value);
        this.evictFor(key);
      },
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    return entry.value;
  }

  /** Bytes held by the loaded models. */
  get heldBytes(): number {
    let total = 0;
    for (const entry of this.entries.values()) total += entry.bytes;
    return total;
  }

  get keys(): string[] {
    return [...this.entries.keys()];
  }

  private evictFor(newest: string): void {
    for (const [key] of this.entries) {
      if (this.heldBytes <= this.budgetBytes) return;
      if (key !== newest) this.entries.delete(key);
    }
  }
}

/** The isolate's model budget: the `MODEL_MEMORY_BYTES` var, or 100 MiB of the 128 MB isolate. */
export function modelMemoryBudget(env: { MODEL_MEMORY_BYTES?: string } | undefined): number {
  const configured = Number(env?.MODEL_MEMORY_BYTES);
  return Number.isFinite(configured) && configured > 0 ? configured : 100 * 1024 * 1024;
}
