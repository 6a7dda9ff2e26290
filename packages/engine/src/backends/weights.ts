/**
 * Reading a checkpoint's tensors for the kernels backend: shape checks that name the tensor and
 * file, the tensor-name prefix of a head checkpoint ("bert.", "roberta.", …), and Linear layers
 * packed once into wasm memory as f32 or per-output-channel int8.
 */
import {
  type F32Input,
  type Kernels,
  type PackedInt8DotMatrix,
  type PackedInt8Matrix,
  type PackedMatrix,
  WasmArray,
} from "@edgeformers/kernels";

/**
 * Activations a Linear can end with: the kernels' fused ones (GELU erf / tanh) and ReLU, which
 * the kernels do not fuse and is applied in JS after the GEMM.
 */
export type LinearActivation = "none" | "gelu" | "gelu_tanh" | "relu";

import { ModelFolderError } from "../errors.js";
import type { TensorStore } from "../safetensors.js";

export type WeightDtype = "f32" | "int8";

/**
 * Which int8 GEMM runs the int8 matrices: "dot" = the kernels' int8DotGemm (relaxed-SIMD byte dot
 * product, 7-bit activations, weights at 1 byte each; 2.2–2.9× the "i16" path inside workerd),
 * "dot8" = int8DotGemm with 8-bit activations split into two 7-bit halves (results identical to
 * "i16", bit for bit; ~1.4× the "i16" path inside workerd), "i16" = int8Gemm (8-bit activations,
 * i16 dot products, weights widened to 2 bytes each). The dot kernels are fast where the kernels
 * run the instruction natively (kernels.int8DotNative()); elsewhere they are only emulated,
 * slower than "i16".
 */
export type Int8Kernel = "i16" | "dot" | "dot8";

export function defaultInt8Kernel(kernels: Kernels): Int8Kernel {
  return kernels.int8DotNative() ? "dot" : "i16";
}

/** Suffix of the per-output-channel scales written next to an int8 weight by `quantize()`. */
export const INT8_SCALE_SUFFIX = "_scale";

/** An embedding table: f32 rows, or int8 rows with one scale per row. */
export type EmbeddingTable = Float32Array | { values: Int8Array; scales: Float32Array };

export interface Norm {
  gamma: Float32Array;
  beta: Float32Array;
}

/**
 * Largest weight slice copied through wasm scratch at once. Packing or quantising goes through the
 * arena, which keeps the size it grew to, so a vocabulary-sized matrix (an MLM decoder, the word
 * embeddings) is handled in slices of output rows instead of inflating the arena for good.
 */
export const PACK_SLICE_BYTES = 4 * 1024 * 1024;

/**
 * Largest packed slice of a Linear layer, counted as f32 weights. The kernels copy an f32 matrix
 * into scratch in ≤ 4 MiB blocks themselves (and int8 values take a byte each), so this only
 * bounds a GEMM call's output scratch: a vocabulary-sized MLM decoder still runs in slices of
 * output rows, while every encoder Linear up to 16 MiB (bert-base's 768 × 3072 feed-forward, 9.4
 * MB) is one matrix and one GEMM call. At 4 MiB bert-base's feed-forward ran as 3 slices of
 * separate calls, with each slice's output copied into place in JS.
 */
export const LINEAR_SLICE_BYTES = 16 * 1024 * 1024;

/** Whether two arrays start at the same memory (a row block of `out` and of its residual are different objects). */
function sameMemory(a: F32Input, b: F32Input): boolean {
  if (a instanceof WasmArray || b instanceof WasmArray) {
    return a instanceof WasmArray && b instanceof WasmArray && a.ptr === b.ptr;
  }
  return a.buffer === b.buffer && a.byteOffset === b.byteOffset;
}

/** The values of an array as a Float32Array: itself, or a view of a WasmArray (valid until the next kernel call). */
function valuesOf(a: F32Input): Float32Array {
  return a instanceof WasmArray ? a.view() : a;
}

/** A copy of an array's values. */
function copyOf(a: F32Input): Float32Array {
  return a instanceof WasmArray ? a.read() : a.slice();
}

/**
 * Rows per GEMM call. The kernels stream all of A once per 8-column panel of B, so A must stay in
 * cache: measured per-row cost is flat up to 512 rows and 15–50% higher from 1024 rows
 * (bert-base FFN, f32 and int8). Every row is computed independently (int8 scales are per row),
 * so splitting changes no result.
 */
export const GEMM_ROW_BLOCK = 256;

/** Output rows per slice for a matrix with `inFeatures` columns. */
function sliceRows(inFeatures: number, outFeatures: number, sliceBytes = PACK_SLICE_BYTES): number {
  return Math.max(1, Math.min(outFeatures, Math.floor(sliceBytes / (inFeatures * 4))));
}

/** Per-row (per output channel) int8 quantisation with the kernels' routine, slice by slice. */
export function quantizeRowsInSlices(
  kernels: Kernels,
  weight: Float32Array,
  rows: number,
  cols: number,
): { values: Int8Array; scales: Float32Array } {
  const values = new Int8Array(rows * cols);
  const scales = new Float32Array(rows);
  const step = sliceRows(cols, rows);
  for (let r = 0; r < rows; r += step) {
    const n = Math.min(step, rows - r);
    const q = kernels.quantizeWeights(weight.subarray(r * cols, (r + n) * cols), { k: cols, n, transposed: true });
    values.set(q.values, r * cols);
    scales.set(q.scales, r);
  }
  return { values, scales };
}

interface Slice {
  /** First output feature of the slice. */
  start: number;
  count: number;
  f32: PackedMatrix | null;
  i8: PackedInt8Matrix | null;
  dot: PackedInt8DotMatrix | null;
  bias: Float32Array | undefined;
}

/** A PyTorch nn.Linear (weight [out, in], y = x·Wᵀ + b) resident in wasm memory. */
export class LinearLayer {
  private readonly slices: Slice[] = [];
  /** Bytes this layer keeps: the wasm memory its packed slices took, plus the bias. */
  readonly bytes: number;

  /** Whether the weights run on an int8 GEMM. */
  get isInt8(): boolean {
    return this.slices[0].f32 === null;
  }

  /** Number of separately packed slices of output rows (1 unless the matrix is vocabulary-sized). */
  get sliceCount(): number {
    return this.slices.length;
  }

  constructor(
    private readonly kernels: Kernels,
    weight: Float32Array | { values: Int8Array; scales: Float32Array },
    readonly bias: Float32Array | null,
    readonly outFeatures: number,
    readonly inFeatures: number,
    dtype: WeightDtype,
    sliceBytes = LINEAR_SLICE_BYTES,
    readonly int8Kernel: Int8Kernel = "i16",
  ) {
    const k = inFeatures;
    const step = sliceRows(k, outFeatures, sliceBytes);
    // Measured, not computed: packed layouts pad panels and the i16 path widens each weight.
    const persistentBefore = kernels.memory.stats().persistentBytes;
    for (let start = 0; start < outFeatures; start += step) {
      const n = Math.min(step, outFeatures - start);
      const shape = { k, n, transposed: true };
      const sliceBias = bias ? bias.subarray(start, start + n) : undefined;
      if (weight instanceof Float32Array && dtype === "f32") {
        const w = weight.subarray(start * k, (start + n) * k);
        this.slices.push({ start, count: n, f32: kernels.packMatrix(w, shape), i8: null, dot: null, bias: sliceBias });
      } else {
        // Symmetric per-output-channel scales: each output neuron keeps its own range. The f32
        // source goes through wasm scratch in PACK_SLICE_BYTES pieces (quantizeRowsInSlices).
        const q =
          weight instanceof Float32Array
            ? quantizeRowsInSlices(kernels, weight.subarray(start * k, (start + n) * k), n, k)
            : {
                values: weight.values.subarray(start * k, (start + n) * k),
                scales: weight.scales.subarray(start, start + n),
              };
        const dot = int8Kernel !== "i16";
        this.slices.push({
          start,
          count: n,
          f32: null,
          i8: dot ? null : kernels.packInt8Matrix(q, shape),
          dot: dot ? kernels.packInt8DotMatrix(q, shape) : null,
          bias: sliceBias,
        });
      }
    }
    this.bytes = kernels.memory.stats().persistentBytes - persistentBefore + (bias ? bias.byteLength : 0);
  }

  /**
   * y[rows, out] = act(x[rows, in]·Wᵀ + b) + residual, written into `out` when given (it may be
   * the residual, not x).
   */
  apply(
    x: F32Input,
    rows: number,
    activation: LinearActivation,
    residual: F32Input | undefined,
    out: WasmArray,
  ): WasmArray;
  apply(
    x: Float32Array,
    rows: number,
    activation?: LinearActivation,
    residual?: Float32Array,
    out?: Float32Array,
  ): Float32Array;
  apply(
    x: F32Input,
    rows: number,
    activation: LinearActivation = "none",
    residual?: F32Input,
    out?: F32Input,
  ): F32Input {
    if (rows <= GEMM_ROW_BLOCK) return this.applyRows(x, rows, activation, residual, out);
    const inW = this.inFeatures;
    const outW = this.outFeatures;
    const y = out ?? new Float32Array(rows * outW);
    for (let r = 0; r < rows; r += GEMM_ROW_BLOCK) {
      const n = Math.min(GEMM_ROW_BLOCK, rows - r);
      const part = (a: F32Input, w: number) => a.subarray(r * w, (r + n) * w);
      this.applyRows(part(x, inW), n, activation, residual && part(residual, outW), part(y, outW));
    }
    return y;
  }

  private applyRows(
    x: F32Input,
    rows: number,
    activation: LinearActivation,
    residual: F32Input | undefined,
    out: F32Input | undefined,
  ): F32Input {
    if (activation === "relu") {
      // Not fused: y = relu(x·Wᵀ + b), then the residual.
      const saved = residual && out && sameMemory(residual, out) ? copyOf(residual) : residual;
      const y = this.applyRows(x, rows, "none", undefined, out);
      const values = valuesOf(y);
      for (let i = 0; i < values.length; i++) if (!(values[i] > 0)) values[i] = 0;
      if (saved) {
        const add = valuesOf(saved);
        for (let i = 0; i < values.length; i++) values[i] += add[i];
      }
      return y;
    }
    if (this.slices.length === 1) return this.applySlice(this.slices[0], x, rows, activation, residual, out);
    // Sliced (vocabulary-sized) layers: each slice gives a block of output columns.
    const width = this.outFeatures;
    const y = out ?? new Float32Array(rows * width);
    for (const slice of this.slices) {
      const part = valuesOf(this.applySlice(slice, x, rows, activation));
      // Views of wasm memory are taken after the slice's GEMM (which may grow the memory).
      const dst = valuesOf(y);
      const add = residual && valuesOf(residual);
      for (let r = 0; r < rows; r++) {
        const row = part.subarray(r * slice.count, (r + 1) * slice.count);
        const at = r * width + slice.start;
        if (add) for (let j = 0; j < row.length; j++) dst[at + j] = row[j] + add[at + j];
        else dst.set(row, at);
      }
    }
    return y;
  }

  private applySlice(
    slice: Slice,
    x: F32Input,
    rows: number,
    activation: Exclude<LinearActivation, "relu">,
    residual?: F32Input,
    out?: F32Input,
  ): F32Input {
    const k = this.kernels;
    const bias = slice.bias ? { bias: slice.bias } : {};
    if (slice.f32) {
      const options = { m: rows, ...bias, activation, ...(residual ? { residual } : {}) };
      // Two calls only because the kernels' overloads type the result by the kind of `out`.
      if (out instanceof WasmArray) return k.gemm(x, slice.f32, { ...options, out });
      return k.gemm(x, slice.f32, { ...options, ...(out ? { out } : {}) });
    }
    // The int8 GEMMs apply GELU in wasm memory; a residual is added here, in place.
    const saved = residual && out && sameMemory(residual, out) ? copyOf(residual) : residual;
    const activationBits = this.int8Kernel === "dot8" ? 8 : 7;
    const options = { m: rows, ...bias, activation };
    let y: F32Input;
    if (out instanceof WasmArray) {
      y = slice.dot
        ? k.int8DotGemm(x, slice.dot, { ...options, out, activationBits })
        : k.int8Gemm(x, slice.i8 as PackedInt8Matrix, { ...options, out });
    } else {
      const into = out ? { out } : {};
      y = slice.dot
        ? k.int8DotGemm(x, slice.dot, { ...options, ...into, activationBits })
        : k.int8Gemm(x, slice.i8 as PackedInt8Matrix, { ...options, ...into });
    }
    if (saved) {
      const [values, add] = [valuesOf(y), valuesOf(saved)];
      for (let i = 0; i < values.length; i++) values[i] += add[i];
    }
    return y;
  }
}

/** Tensor lookup with shape checks; `prefix` applies to encoder tensors, heads read from the root. */
export class WeightReader {
  /** Bytes of tensors kept as JS arrays (embedding tables, norms, small head vectors). */
  jsBytes = 0;
  /** Bytes packed into wasm memory by `linear()`. */
  packedBytes = 0;
  /** The int8 GEMM int8 matrices are packed for. */
  readonly int8Kernel: Int8Kernel;
  /** Whether any Linear was packed as int8 (dtype "int8", or I8 tensors in the file). */
  int8Used = false;

  constructor(
    readonly kernels: Kernels,
    readonly store: TensorStore,
    readonly prefix: string,
    readonly dtype: WeightDtype,
    readonly file = "model.safetensors",
    int8Kernel?: Int8Kernel,
  ) {
    this.int8Kernel = int8Kernel ?? defaultInt8Kernel(kernels);
  }

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
      table = quantizeRowsInSlices(this.kernels, this.store.float32(full), rows, cols);
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
    const layer = new LinearLayer(
      this.kernels,
      weight,
      bias,
      out,
      inp,
      this.dtype,
      LINEAR_SLICE_BYTES,
      this.int8Kernel,
    );
    this.packedBytes += layer.bytes - (bias ? bias.byteLength : 0);
    if (layer.isInt8) this.int8Used = true;
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
