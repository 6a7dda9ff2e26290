// SIMD128 peak probe for the benchmark: 8 independent f32x4 mul+add chains, so throughput,
// not latency, bounds it. Each iteration does 8 mul + 8 add = 64 flops. Returns a sum so the
// work cannot be optimised away.
export function peakChains(iterations: i32): f32 {
  let a0 = f32x4.splat(0.1),
    a1 = f32x4.splat(0.2),
    a2 = f32x4.splat(0.3),
    a3 = f32x4.splat(0.4);
  let a4 = f32x4.splat(0.5),
    a5 = f32x4.splat(0.6),
    a6 = f32x4.splat(0.7),
    a7 = f32x4.splat(0.8);
  const m = f32x4.splat(0.999999);
  const c = f32x4.splat(0.000001);
  for (let i = 0; i < iterations; i++) {
    a0 = f32x4.add(f32x4.mul(a0, m), c);
    a1 = f32x4.add(f32x4.mul(a1, m), c);
    a2 = f32x4.add(f32x4.mul(a2, m), c);
    a3 = f32x4.add(f32x4.mul(a3, m), c);
    a4 = f32x4.add(f32x4.mul(a4, m), c);
    a5 = f32x4.add(f32x4.mul(a5, m), c);
    a6 = f32x4.add(f32x4.mul(a6, m), c);
    a7 = f32x4.add(f32x4.mul(a7, m), c);
  }
  const s = f32x4.add(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)), f32x4.add(f32x4.add(a4, a5), f32x4.add(a6, a7)));
  return f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1) + f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3);
}
