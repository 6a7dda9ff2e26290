// Embedding gather: out[b, s] = word[ids[b,s]] + position[s + positionOffset] + tokenType[types[b,s]].
// Ids are validated in TypeScript before the call.

export function embed(
  ids: usize,
  typeIds: usize,
  word: usize,
  position: usize,
  tokenType: usize,
  out: usize,
  batch: i32,
  seq: i32,
  dim: i32,
  positionOffset: i32,
): void {
  const rowBytes = <usize>dim * 4;
  for (let b = 0; b < batch; b++) {
    for (let s = 0; s < seq; s++) {
      const t = b * seq + s;
      const w = word + <usize>load<i32>(ids + <usize>t * 4) * rowBytes;
      const p: usize = position ? position + <usize>(s + positionOffset) * rowBytes : 0;
      const typeId: i32 = typeIds ? load<i32>(typeIds + <usize>t * 4) : 0;
      const tt: usize = tokenType ? tokenType + <usize>typeId * rowBytes : 0;
      const o = out + <usize>t * rowBytes;
      let j = 0;
      for (; j + 4 <= dim; j += 4) {
        let v = v128.load(w + <usize>j * 4);
        if (p) v = f32x4.add(v, v128.load(p + <usize>j * 4));
        if (tt) v = f32x4.add(v, v128.load(tt + <usize>j * 4));
        v128.store(o + <usize>j * 4, v);
      }
      for (; j < dim; j++) {
        let v = load<f32>(w + <usize>j * 4);
        if (p) v += load<f32>(p + <usize>j * 4);
        if (tt) v += load<f32>(tt + <usize>j * 4);
        store<f32>(o + <usize>j * 4, v);
      }
    }
  }
}
