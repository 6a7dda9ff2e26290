// Reference embedding gather.
export function referenceEmbed(
  ids: Int32Array,
  batch: number,
  seq: number,
  dim: number,
  tables: { word: Float32Array; position?: Float32Array; tokenType?: Float32Array },
  tokenTypeIds?: Int32Array,
  positionOffset = 0,
): Float32Array {
  const out = new Float32Array(batch * seq * dim);
  for (let t = 0; t < batch * seq; t++) {
    const s = t % seq;
    for (let j = 0; j < dim; j++) {
      let v = tables.word[ids[t] * dim + j];
      if (tables.position) v += tables.position[(s + positionOffset) * dim + j];
      if (tables.tokenType) v += tables.tokenType[(tokenTypeIds ? tokenTypeIds[t] : 0) * dim + j];
      out[t * dim + j] = v;
    }
  }
  return out;
}
