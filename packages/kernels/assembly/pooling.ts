// Pooling of hidden states [B, S, D] to [B, D]. mask: u8 [B, S], non-zero = real token (0 = no mask).
// Masked mean and max of a sequence with no real token are defined as zeros.

export const POOL_MEAN: i32 = 0;
export const POOL_MAX: i32 = 1;
export const POOL_CLS: i32 = 2;

export function pool(hidden: usize, mask: usize, out: usize, batch: i32, seq: i32, dim: i32, mode: i32): void {
  const rowBytes = <usize>dim * 4;
  for (let b = 0; b < batch; b++) {
    const o = out + <usize>b * rowBytes;
    const base = hidden + <usize>(b * seq) * rowBytes;
    if (mode == POOL_CLS) {
      memory.copy(o, base, rowBytes);
      continue;
    }
    let count = 0;
    for (let s = 0; s < seq; s++) {
      if (mask && !load<u8>(mask + <usize>(b * seq + s))) continue;
      const h = base + <usize>s * rowBytes;
      let j = 0;
      if (count == 0) {
        memory.copy(o, h, rowBytes);
      } else if (mode == POOL_MEAN) {
        for (; j + 4 <= dim; j += 4)
          v128.store(o + <usize>j * 4, f32x4.add(v128.load(o + <usize>j * 4), v128.load(h + <usize>j * 4)));
        for (; j < dim; j++) store<f32>(o + <usize>j * 4, load<f32>(o + <usize>j * 4) + load<f32>(h + <usize>j * 4));
      } else {
        for (; j + 4 <= dim; j += 4)
          v128.store(o + <usize>j * 4, f32x4.max(v128.load(o + <usize>j * 4), v128.load(h + <usize>j * 4)));
        for (; j < dim; j++)
          store<f32>(o + <usize>j * 4, max(load<f32>(o + <usize>j * 4), load<f32>(h + <usize>j * 4)));
      }
      count++;
    }
    if (count == 0) {
      memory.fill(o, 0, rowBytes);
    } else if (mode == POOL_MEAN) {
      const inv: f32 = <f32>1 / <f32>count;
      for (let j = 0; j < dim; j++) store<f32>(o + <usize>j * 4, load<f32>(o + <usize>j * 4) * inv);
    }
  }
}
