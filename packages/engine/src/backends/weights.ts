/**
 * Reading a checkpoint's tensors for the kernels backend: shape checks that name the tensor and
 * file, the tensor-name prefix of a head checkpoint ("bert.", "roberta.", …), and Linear layers
 * packed once into wasm memory as f32 or per-output-channel int8.
 */
import type { Activation, Kernels, PackedInt8Matrix, PackedMatrix } from "@edgeformers/kernels";
import { ModelFolderError } from "../errors.js";
import type { TensorStore } from "../safetensors.js";

export type WeightDtype = "f32" | "int8";

/** Suffix of the per-output-channel scales written next to an int8 weight by `quantize()`. */
export const INT8_SCALE_SUFFIX = "_scale";

/** An embedding table: f32 rows, or int8 rows with one scale per row. */
export type EmbeddingTable = Float32Array | { values: Int8Array; scales: Float32Array };

export interface Norm {
  gamma: Float32Array;
  beta: Float32Array;
}

/** A PyTorch nn.Linear (weight [out, in], y = x·Wᵀ + b) resident in wasm memory. */
export class LinearLayer {
  private readonly f32: PackedMatrix | null;
  private readonly i8: PackedInt8Matrix | null;
  /** Bytes this layer keeps (packed weight, scales, bias). */
  readonly bytes: number;

  constructor(
    private readonly kernels: Kernels,
    weight: Float32Array | { values: Int8Array; scales: Float32Array },
    readonly bias: Float32Array | null,
    readonly outFeatures: number,
    readonly inFeatures: number,
    dtype: WeightDtype,
  ) {
    const shape = { k: inFeatures, n: outFeatures, transposed: true };
    if (weight instanceof Float32Array && dtype === "f32") {
      this.f32 = kernels.packMatrix(weight, shape);
      this.i8 = null;
      this.bytes = weight.byteLength;
    } else {
      // Symmetric per-output-channel scales: each output neuron keeps its own range.
      const q = weight instanceof Float32Array ? kernels.quantizeWeights(weight, shape) : weight;
      this.i8 = kernels.packInt8Matrix(q, shape);
      this.f32 = null;
      this.bytes = q.values.byteLength + q.scales.byteLength;
    }
    this.bytes += bias ? bias.byteLength : 0;
  }

  /** y[rows, out] = act(x[rows, in]·Wᵀ + b) + residual. */
  apply(x: Float32Array, rows: number, activation: Activation = "none", residual?: Float32Array): Float32Array {
    const k = this.kernels;
    if (this.f32) {
      return k.gemm(x, this.f32, {
        m: rows,
        ...(this.bias ? { bias: this.bias } : {}),
        activation,
        ...(residual ? { residual } : {}),
      });
    }
    // The int8 GEMM has no fused epilogue beyond the bias: activation and residual follow.
    let y = k.int8Gemm(x, this.i8 as PackedInt8Matrix, { m: rows, ...(this.bias ? { bias: this.bias } : {}) });
    if (activation !== "none") y = k.gelu(y, activation === "gelu" ? "erf" : "tanh");
    if (residual) for (let i = 0; i < y.length; i++) y[i] += residual[i];
    return y;
  }
}

/** Tensor lookup with shape checks; `prefix` applies to encoder tensors, heads read from the root. */
export class WeightReader {
  /** Bytes of tensors kept as JS arrays (embedding tables, norms, small head vectors). */
  jsBytes = 0;
  /** Bytes packed into wasm memory by `linear()`. */
  packedBytes = 0;

  constructor(
    readonly kernels: Kernels,
    readonly store: TensorStore,
    readonly prefix: string,
    readonly dtype: WeightDtype,
    readonly file = "model.safetensors",
  ) {}

  has(name: string, root = false): boolean {
    return this.store.has((root ? "" : this.prefix) + name);
  }

  /** The tensor as f32 (int8 tensors written by `quantize()` are dequantised). */
  tensor(name: string, shape: number[], root = false): Float32Array {
    const full = this.checked(name, shape, root);
    let data = this.store.info(full).dtype === "I8" ? this.dequantize(full, shape) : this.store.float32(full);
    // A view would keep the whole safetensors file alive; a copy lets it be collected after loading.
    if (data.byteLength !== data.buffer.byteLength) data = data.slice();
    this.jsBytes += data.byteLength;
    return data;
  }

  norm(name: string, size: number, root = false): Norm {
    // Older checkpoints name LayerNorm parameters gamma/beta instead of weight/bias.
    const modern = this.has(`${name}.weight`, root) || !this.has(`${name}.gamma`, root);
    return {
      gamma: this.tensor(`${name}.${modern ? "weight" : "gamma"}`, [size], root),
      beta: this.tensor(`${name}.${modern ? "bias" : "beta"}`, [size], root),
    };
  }

  /**
   * An embedding table for JS-side gathers: f32, or int8 with per-row scales when loading as int8
   * (quantised with the kernels' routine) or when the file already stores it as I8 — a quarter of
   * the memory for what is often the largest tensor of a small model.
   */
  table(name: string, shape: [number, number], root = false): EmbeddingTable {
    const full = this.checked(name, shape, root);
    const [rows, cols] = shape;
    let table: EmbeddingTable;
    if (this.store.info(full).dtype === "I8") {
      table = { values: this.store.view(full, "I8").slice(), scales: this.scales(full, rows).slice() };
    } else if (this.dtype === "int8") {
      table = this.kernels.quantizeWeights(this.store.float32(full), { k: cols, n: rows, transposed: true });
    } else {
      return this.tensor(name, shape, root);
    }
    this.jsBytes += table.values.byteLength + table.scales.byteLength;
    return table;
  }

  linear(name: string, out: number, inp: number, root = false, options: { bias?: boolean } = {}): LinearLayer {
    return this.linearFrom(`${name}.weight`, options.bias === false ? null : `${name}.bias`, out, inp, root);
  }

  /** A Linear whose weight tensor has its own name (tied decoders reuse the word embeddings). */
  linearFrom(weightName: string, biasName: string | null, out: number, inp: number, root = false): LinearLayer {
    const full = this.checked(weightName, [out, inp], root);
    let weight: Float32Array | { values: Int8Array; scales: Float32Array };
    if (this.store.info(full).dtype === "I8") {
      weight = { values: this.store.view(full, "I8"), scales: this.scales(full, out) };
    } else {
      weight = this.store.float32(full);
    }
    const bias = biasName === null ? null : this.tensor(biasName, [out], root);
    const layer = new LinearLayer(this.kernels, weight, bias, out, inp, this.dtype);
    this.packedBytes += layer.bytes - (bias ? bias.byteLength : 0);
    return layer;
  }

  private checked(name: string, shape: number[], root: boolean): string {
    const full = (root ? "" : this.prefix) + name;
    if (!this.store.has(full)) throw new ModelFolderError(`tensor "${full}" is missing`, this.file);
    const actual = this.store.info(full).shape;
    if (actual.length !== shape.length || actual.some((d, i) => d !== shape[i])) {
      throw new ModelFolderError(`tensor "${full}" has shape [${actual}], config.json implies [${shape}]`, this.file);
    }
    return full;
  }

  private scales(full: string, rows: number): Float32Array {
    const name = full + INT8_SCALE_SUFFIX;
    if (!this.store.has(name)) throw new ModelFolderError(`int8 tensor "${full}" has no "${name}" scales`, this.file);
    const scales = this.store.float32(name);
    if (scales.length !== rows) {
      throw new ModelFolderError(`"${name}" has ${scales.length} scales, expected one per row (${rows})`, this.file);
    }
    return scales;
  }

  private dequantize(full: string, shape: number[]): Float32Array {
    const values = this.store.view(full, "I8");
    const rows = shape.length === 1 ? 1 : shape[0];
    const cols = values.length / rows;
    const scales = this.scales(full, rows);
    const out = new Float32Array(values.length);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[r * cols + c] = values[r * cols + c] * scales[r];
    return out;
  }
}
