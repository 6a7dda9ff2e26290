// Minimal protobuf encoder for the ONNX graphs tests and benchmarks hand to onnxruntime: varints,
// fixed32 floats and length-delimited fields (bytes, strings, nested messages). Shared by this
// package's test graph builder and @edgeformers/engine/testing's model exporter.

export class ProtoWriter {
  // Small writes gather in `pending`; large payloads (initializers of bert-base size, hundreds of
  // MB) are kept as chunks, since a number[] of that many bytes exceeds V8's array limit.
  private readonly chunks: Uint8Array[] = [];
  private pending: number[] = [];

  /** A varint field (wire type 0); negative int64 values take their 10-byte two's complement. */
  varint(field: number, value: number | bigint): this {
    this.rawVarint(BigInt((field << 3) | 0));
    this.rawVarint(BigInt(value));
    return this;
  }

  /** A float field (wire type 5, little-endian f32). */
  float(field: number, value: number): this {
    this.rawVarint(BigInt((field << 3) | 5));
    this.pending.push(...new Uint8Array(new Float32Array([value]).buffer));
    return this;
  }

  /** A length-delimited field (wire type 2) holding `data`. */
  bytes(field: number, data: Uint8Array): this {
    this.rawVarint(BigInt((field << 3) | 2));
    this.rawVarint(BigInt(data.length));
    if (data.length < 256) for (const b of data) this.pending.push(b);
    else {
      this.flush();
      this.chunks.push(data);
    }
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  /** A nested message, written by `build`. */
  message(field: number, build: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    build(inner);
    return this.bytes(field, inner.finish());
  }

  finish(): Uint8Array {
    this.flush();
    const out = new Uint8Array(this.chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }

  private flush(): void {
    if (this.pending.length > 0) {
      this.chunks.push(Uint8Array.from(this.pending));
      this.pending = [];
    }
  }

  private rawVarint(value: bigint): void {
    let v = BigInt.asUintN(64, value);
    do {
      let byte = Number(v & 0x7fn);
      v >>= 7n;
      if (v !== 0n) byte |= 0x80;
      this.pending.push(byte);
    } while (v !== 0n);
  }
}
