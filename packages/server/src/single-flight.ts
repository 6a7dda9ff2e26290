/**
 * Per-isolate memo for expensive loads (models, tokenizers): the first caller starts the load,
 * concurrent callers share its promise, later callers reuse the result, and a failed load is
 * forgotten so that the next request tries again.
 */
export class SingleFlight<T> {
  private readonly entries = new Map<string, Promise<T>>();

  get(key: string, load: () => Promise<T>): Promise<T> {
    let pending = this.entries.get(key);
    if (!pending) {
      pending = load();
      this.entries.set(key, pending);
      pending.catch(() => {
        if (this.entries.get(key) === pending) this.entries.delete(key);
      });
    }
    return pending;
  }

  get size(): number {
    return this.entries.size;
  }
}
