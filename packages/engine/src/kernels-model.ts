/**
 * A BERT-family model on the kernels backend: checks nested-array inputs, plans batches within the
 * memory budget (sorted by length, padded per batch), runs encoder + head per batch and puts the
 * rows back in the caller's order.
 */
import type { Kernels } from "@edgeformers/kernels";
import type { Tokenizer } from "@edgeformers/tokenizers";
import type { EncoderArchitecture } from "./architecture.js";
import { type EncoderParts, runEncoder } from "./backends/encoder.js";
import type { Int8Kernel, WeightReader } from "./backends/weights.js";
import { Workspace } from "./backends/workspace.js";
import { encoderBatchBytes, maxRowsForTokens, planBatches } from "./batching.js";
import type { EncoderConfig } from "./encoder-config.js";
import type { TaskHead, Tensor } from "./heads/common.js";
import { type CheckedRow, checkForwardInputs, type ForwardInputs } from "./input.js";
import type { Model, ModelDtype, ModelOutputs, ModelSentenceTransformers, ModelStats } from "./model.js";

/** Outputs with a sequence axis ([batch, seq, …]); the others are per sequence ([batch, …]). */
const PER_TOKEN_HEADS = new Set(["base", "ForTokenClassification", "ForQuestionAnswering", "ForMaskedLM"]);

export class KernelsModel implements Model {
  readonly backend = "kernels" as const;
  readonly outputNames: readonly string[];
  private readonly perToken: Set<string>;
  private readonly weightsBytes: number;
  private readonly int8Kernel: Int8Kernel | undefined;
  private peakBytes: number;
  private forwardCalls = 0;
  private batches = 0;

  constructor(
    readonly config: Readonly<Record<string, unknown>>,
    readonly tokenizer: Tokenizer,
    readonly architecture: EncoderArchitecture,
    readonly sentenceTransformers: ModelSentenceTransformers | null,
    readonly dtype: ModelDtype,
    private readonly kernels: Kernels,
    private readonly encoderConfig: EncoderConfig,
    private readonly parts: EncoderParts,
    reader: WeightReader,
    private readonly head: TaskHead,
    private readonly budgetBytes: number,
  ) {
    this.outputNames = head.outputNames;
    const perTokenHead = PER_TOKEN_HEADS.has(architecture.head);
    this.perToken = new Set(head.outputNames.filter((n) => n !== "pooler_output" && perTokenHead));
    this.weightsBytes = reader.jsBytes + reader.packedBytes;
    this.int8Kernel = reader.int8Used ? reader.int8Kernel : undefined;
    if (this.weightsBytes > budgetBytes) {
      throw new RangeError(`the weights need ${this.weightsBytes} bytes, more than memoryBudgetBytes ${budgetBytes}`);
    }
    this.peakBytes = this.weightsBytes + this.arenaBytes();
  }

  private arenaBytes(): number {
    const s = this.kernels.memory.stats();
    return Math.max(0, s.memoryBytes - s.persistentBytes);
  }

  /**
   * Estimated bytes beyond the weights while a batch of `rows` sequences of `seq` tokens runs: the
   * wasm arena (which keeps the size it grew to) or this batch's scratch, whichever is larger, plus
   * the JS activations and the head's outputs.
   */
  private batchBytes(rows: number, seq: number): number {
    const { js, scratch } = encoderBatchBytes(this.encoderConfig, rows, seq);
    return Math.max(this.arenaBytes(), scratch) + js + this.head.bytesFor(rows, seq);
  }

  async forward(inputs: ForwardInputs): Promise<ModelOutputs> {
    const c = this.encoderConfig;
    const rows = checkForwardInputs(inputs, {
      vocabSize: c.vocabSize,
      typeVocabSize: this.parts.embeddings.tokenType ? c.typeVocabSize : 0,
      maxLength: this.maxLength(),
    });
    const lengths = rows.map((r) => r.ids.length);
    const maxSeq = Math.max(...lengths);
    const batch = rows.length;
    // Split into several batches, the assembled outputs are held while the later batches run.
    const held = batch > 1 ? batch * maxSeq * c.hiddenSize * 4 + this.head.bytesFor(batch, maxSeq) : 0;
    const free = this.budgetBytes - this.weightsBytes - held;
    for (const r of rows) {
      const need = this.batchBytes(1, r.ids.length);
      if (need > free) {
        throw new RangeError(
          `inputIds[${r.index}] (${r.ids.length} tokens) needs about ${need} bytes (activations and wasm arena); with ` +
            `${this.weightsBytes} bytes of weights that exceeds memoryBudgetBytes ${this.budgetBytes}`,
        );
      }
    }
    const groups = planBatches(lengths, (seq) => {
      // batchBytes grows linearly in rows beyond the arena already allocated: the largest count that fits.
      const cap = maxRowsForTokens(seq);
      let rows = 1;
      while (rows * 2 <= cap && this.batchBytes(rows * 2, seq) <= free) rows *= 2;
      let step = rows >> 1;
      while (step >= 1) {
        if (rows + step <= cap && this.batchBytes(rows + step, seq) <= free) rows += step;
        step >>= 1;
      }
      return rows;
    });
    const result: ModelOutputs = {};
    this.forwardCalls++;
    // One batch of equal-length rows (the usual caller-padded request) is already in order: no copy.
    const workspace = new Workspace();
    if (groups.length === 1 && lengths.every((l) => l === maxSeq)) return this.runBatch(rows, 0, workspace);
    for (const group of groups) {
      const outputs = this.runBatch(
        group.map((i) => rows[i]),
        held,
        workspace,
      );
      const seq = Math.max(...group.map((i) => lengths[i]));
      for (const [name, t] of Object.entries(outputs)) {
        const perToken = this.perToken.has(name);
        const rest = t.dims.slice(perToken ? 2 : 1);
        const inner = rest.reduce((a, d) => a * d, 1);
        let target = result[name];
        if (!target) {
          const dims = perToken ? [batch, maxSeq, ...rest] : [batch, ...rest];
          target = result[name] = { data: new Float32Array(dims.reduce((a, d) => a * d, 1)), dims };
        }
        const rowSize = perToken ? seq * inner : inner;
        const targetRow = perToken ? maxSeq * inner : inner;
        group.forEach((rowIndex, g) => {
          // Only the row's own positions: what the engine computed for padding it added stays
          // zero, whichever batch the row landed in.
          const size = perToken ? lengths[rowIndex] * inner : inner;
          target.data.set(t.data.subarray(g * rowSize, g * rowSize + size), rowIndex * targetRow);
        });
      }
    }
    return result;
  }

  private maxLength(): number {
    // RoBERTa-style positions start after padding_idx, so fewer tokens fit than the table has rows.
    const roberta = this.architecture.modelType === "roberta" || this.architecture.modelType === "xlm-roberta";
    return roberta
      ? this.encoderConfig.maxPositions - this.encoderConfig.padTokenId - 1
      : this.encoderConfig.maxPositions;
  }

  /** @param heldBytes outputs of earlier batches of the same call, alive while this one runs. */
  private runBatch(group: CheckedRow[], heldBytes: number, workspace: Workspace): Record<string, Tensor> {
    const c = this.encoderConfig;
    const batch = group.length;
    const seq = Math.max(...group.map((r) => r.ids.length));
    const inputIds = new Int32Array(batch * seq).fill(c.padTokenId);
    const mask = new Uint8Array(batch * seq);
    const types = new Int32Array(batch * seq);
    let masked = false;
    let typed = false;
    group.forEach((r, b) => {
      const o = b * seq;
      for (let s = 0; s < r.ids.length; s++) {
        inputIds[o + s] = r.ids[s];
        mask[o + s] = r.mask ? r.mask[s] : 1;
        if (r.types) types[o + s] = r.types[s];
      }
      if (r.types && this.parts.embeddings.tokenType) typed = true;
      if (r.ids.length < seq || (r.mask && Array.prototype.includes.call(r.mask, 0))) masked = true;
    });
    this.batches++;
    const hidden = runEncoder(
      this.kernels,
      this.parts,
      c,
      {
        inputIds,
        batch,
        seq,
        ...(masked ? { attentionMask: mask } : {}),
        ...(typed ? { tokenTypeIds: types } : {}),
      },
      workspace,
    );
    const outputs = this.head.run(hidden, batch, seq);
    const { js } = encoderBatchBytes(c, batch, seq);
    const estimate = this.weightsBytes + this.arenaBytes() + js + this.head.bytesFor(batch, seq) + heldBytes;
    this.peakBytes = Math.max(this.peakBytes, estimate);
    return outputs;
  }

  stats(): ModelStats {
    return {
      backend: this.backend,
      dtype: this.dtype,
      weightsBytes: this.weightsBytes,
      arenaBytes: this.arenaBytes(),
      peakBytes: this.peakBytes,
      budgetBytes: this.budgetBytes,
      forwardCalls: this.forwardCalls,
      batches: this.batches,
      ...(this.int8Kernel ? { int8Kernel: this.int8Kernel } : {}),
    };
  }
}
