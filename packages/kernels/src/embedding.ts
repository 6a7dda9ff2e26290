// Embedding gather: word + position + token type, tables uploaded once.
import { type KernelContext, WasmResident } from "./context.ts";
import { checkArray, checkDim, checkIndices } from "./errors.ts";

export interface EmbeddingTablesInput {
  readonly dim: number;
  /** [vocab, dim] */
  readonly word: Float32Array;
  /** [maxPositions, dim] (optional) */
  readonly position?: Float32Array;
  /** [typeVocab, dim] (optional) */
  readonly tokenType?: Float32Array;
}

export class EmbeddingTables extends WasmResident {
  readonly dim: number;
  readonly vocabSize: number;
  readonly maxPositions: number;
  readonly typeVocabSize: number;
  /** @internal */ readonly positionPtr: number;
  /** @internal */ readonly tokenTypePtr: number;
  /** @internal */
  constructor(
    owner: KernelContext,
    word: number,
    position: number,
    tokenType: number,
    dim: number,
    vocab: number,
    maxPos: number,
    types: number,
  ) {
    super(owner, word);
    this.positionPtr = position;
    this.tokenTypePtr = tokenType;
    this.dim = dim;
    this.vocabSize = vocab;
    this.maxPositions = maxPos;
    this.typeVocabSize = types;
  }
}

function rowsOf(name: string, table: Float32Array | undefined, dim: number): number {
  if (table === undefined) return 0;
  if (!(table instanceof Float32Array)) throw new TypeError(`${name} must be a Float32Array [rows, dim=${dim}]`);
  if (table.length === 0 || table.length % dim !== 0) {
    throw new RangeError(`${name} has length ${table.length}, not a non-zero multiple of dim=${dim}`);
  }
  return table.length / dim;
}

export function uploadEmbeddings(ctx: KernelContext, tables: EmbeddingTablesInput): EmbeddingTables {
  const { dim, word, position, tokenType } = tables;
  checkDim("dim", dim);
  const vocab = rowsOf("word", word, dim);
  if (vocab === 0) throw new TypeError("word table is required");
  const maxPos = rowsOf("position", position, dim);
  const types = rowsOf("tokenType", tokenType, dim);
  const { arena } = ctx;
  const upload = (data: Float32Array | undefined, what: string): number => {
    if (!data) return 0;
    const p = arena.allocPersistent(data.byteLength, what);
    arena.f32(p, data.length).set(data);
    return p;
  };
  const w = upload(word, `word embeddings [${vocab}, ${dim}]`);
  const p = upload(position, `position embeddings [${maxPos}, ${dim}]`);
  const t = upload(tokenType, `token type embeddings [${types}, ${dim}]`);
  return new EmbeddingTables(ctx, w, p, t, dim, vocab, maxPos, types);
}

export interface EmbedOptions {
  readonly batch: number;
  readonly seq: number;
  /** [batch, seq]; defaults to all 0 when the tables have a token type table. */
  readonly tokenTypeIds?: Int32Array;
  /** First position id (default 0; RoBERTa-style models use padding_idx + 1). */
  readonly positionOffset?: number;
}

/** out[b, s] = word[ids[b, s]] + position[s + offset] + tokenType[typeIds[b, s]], shape [batch, seq, dim]. */
export function embed(
  ctx: KernelContext,
  tables: EmbeddingTables,
  inputIds: Int32Array,
  options: EmbedOptions,
): Float32Array {
  WasmResident.checkOwner("tables", tables, EmbeddingTables, ctx);
  const { batch, seq, tokenTypeIds, positionOffset = 0 } = options;
  checkDim("batch", batch);
  checkDim("seq", seq);
  checkDim("positionOffset", positionOffset, 0);
  checkArray("inputIds", inputIds, Int32Array, batch * seq, `[batch=${batch}, seq=${seq}]`);
  checkIndices("inputIds", inputIds, tables.vocabSize, "the word embedding table");
  if (tables.maxPositions > 0 && seq + positionOffset > tables.maxPositions) {
    throw new RangeError(
      `seq=${seq} + positionOffset=${positionOffset} exceeds the ${tables.maxPositions} position embeddings`,
    );
  }
  if (tokenTypeIds !== undefined) {
    if (tables.typeVocabSize === 0) throw new TypeError("tokenTypeIds given but the tables have no tokenType table");
    checkArray("tokenTypeIds", tokenTypeIds, Int32Array, batch * seq, `[batch=${batch}, seq=${seq}]`);
    checkIndices("tokenTypeIds", tokenTypeIds, tables.typeVocabSize, "the token type table");
  }
  const { arena, wasm } = ctx;
  const dim = tables.dim;
  return arena.scoped(() => {
    const ids = arena.copyIn(inputIds, "inputIds");
    const types = tokenTypeIds ? arena.copyIn(tokenTypeIds, "tokenTypeIds") : 0;
    const out = arena.alloc(batch * seq * dim * 4, "output");
    wasm.embed(ids, types, tables.ptr, tables.positionPtr, tables.tokenTypePtr, out, batch, seq, dim, positionOffset);
    return arena.f32(out, batch * seq * dim).slice();
  });
}
