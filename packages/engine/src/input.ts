/**
 * Checks the nested-array inputs of `model.forward` and flattens them. Every problem is a
 * TypeError (wrong kind of value) or RangeError (wrong size or value) naming the field and index,
 * e.g. `inputIds[1] has length 7 but attentionMask[1] has 6`.
 */

/** A row of integers: a plain array (what the tokenizer's Encoding gives) or a typed array. */
export type IntRow = readonly number[] | ArrayLike<number>;

export interface ForwardInputs {
  /** [batch][seq] token ids; rows may differ in length (shorter rows are padded). */
  inputIds: readonly IntRow[];
  /** [batch][seq] 1 = token, 0 = padding; defaults to 1 for every given id. */
  attentionMask?: readonly IntRow[];
  /** [batch][seq] segment ids (sentence pairs); defaults to 0. */
  tokenTypeIds?: readonly IntRow[];
}

/** One checked row: its ids, mask and token types as given. */
export interface CheckedRow {
  index: number;
  ids: ArrayLike<number>;
  mask: ArrayLike<number> | null;
  types: ArrayLike<number> | null;
}

const isRow = (value: unknown): value is ArrayLike<number> =>
  Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView));

export interface InputLimits {
  vocabSize: number;
  /**
   * 0 when the model has no token types (DistilBERT): tokenTypeIds are then accepted and ignored,
   * as transformers' DistilBERT takes none, because tokenizers still emit 0/1 segments for pairs.
   */
  typeVocabSize: number;
  /** The longest row the model accepts. */
  maxLength: number;
}

export function checkForwardInputs(inputs: ForwardInputs, limits: InputLimits): CheckedRow[] {
  if (inputs === null || typeof inputs !== "object") {
    throw new TypeError("forward: inputs must be an object { inputIds, attentionMask?, tokenTypeIds? }");
  }
  const { inputIds, attentionMask, tokenTypeIds } = inputs;
  if (!Array.isArray(inputIds)) throw new TypeError("inputIds must be an array of token-id arrays (number[][])");
  if (inputIds.length === 0) throw new RangeError("inputIds must hold at least one sequence");
  const other = (name: string, value: unknown): readonly IntRow[] | null => {
    if (value === undefined || value === null) return null;
    if (!Array.isArray(value)) throw new TypeError(`${name} must be an array of arrays (number[][])`);
    if (value.length !== inputIds.length) {
      throw new RangeError(`inputIds has ${inputIds.length} sequences but ${name} has ${value.length}`);
    }
    return value as readonly IntRow[];
  };
  const masks = other("attentionMask", attentionMask);
  const types = other("tokenTypeIds", tokenTypeIds);
  return inputIds.map((ids, b) => {
    if (!isRow(ids)) throw new TypeError(`inputIds[${b}] must be an array of token ids`);
    if (ids.length === 0) throw new RangeError(`inputIds[${b}] is empty`);
    if (ids.length > limits.maxLength) {
      throw new RangeError(
        `inputIds[${b}] has ${ids.length} tokens but the model accepts at most ${limits.maxLength} (max_position_embeddings)`,
      );
    }
    for (let s = 0; s < ids.length; s++) {
      const id = ids[s];
      if (typeof id !== "number" || !Number.isInteger(id)) {
        throw new TypeError(`inputIds[${b}][${s}] must be an integer token id, got ${JSON.stringify(id)}`);
      }
      if (id < 0 || id >= limits.vocabSize) {
        throw new RangeError(`inputIds[${b}][${s}] = ${id} is outside the vocabulary [0, ${limits.vocabSize})`);
      }
    }
    const row = (name: string, rows: readonly IntRow[] | null, valid: (v: number) => boolean, range: string) => {
      if (rows === null) return null;
      const r = rows[b];
      if (!isRow(r)) throw new TypeError(`${name}[${b}] must be an array of integers`);
      if (r.length !== ids.length) {
        throw new RangeError(`inputIds[${b}] has length ${ids.length} but ${name}[${b}] has ${r.length}`);
      }
      for (let s = 0; s < r.length; s++) {
        const v = r[s];
        if (typeof v !== "number" || !Number.isInteger(v)) {
          throw new TypeError(`${name}[${b}][${s}] must be an integer, got ${JSON.stringify(v)}`);
        }
        if (!valid(v)) throw new RangeError(`${name}[${b}][${s}] = ${v} is outside ${range}`);
      }
      return r;
    };
    const typeCount = limits.typeVocabSize === 0 ? Number.MAX_SAFE_INTEGER : limits.typeVocabSize;
    return {
      index: b,
      ids,
      mask: row("attentionMask", masks, (v) => v === 0 || v === 1, "{0, 1}"),
      types: row(
        "tokenTypeIds",
        types,
        (v) => v >= 0 && v < typeCount,
        `[0, ${limits.typeVocabSize}) (type_vocab_size ${limits.typeVocabSize})`,
      ),
    };
  });
}
