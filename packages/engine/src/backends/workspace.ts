/**
 * Activation buffers reused across the layers (and batches) of one forward call. Every kernel call
 * used to return a fresh array, leaving about a layer's activations of garbage per call; V8 frees
 * typed arrays only when it collects, so in a 128 MB isolate the garbage, not the live data, set
 * the peak. With the kernels' `out` option each layer writes into these few buffers instead.
 */
export class Workspace {
  private readonly buffers = new Map<string, Float32Array>();

  /** A buffer of exactly `length` floats for `role`, reusing (a prefix of) an earlier one. */
  get(role: string, length: number): Float32Array {
    let buffer = this.buffers.get(role);
    if (!buffer || buffer.length < length) {
      buffer = new Float32Array(length);
      this.buffers.set(role, buffer);
    }
    return buffer.length === length ? buffer : buffer.subarray(0, length);
  }
}
