// SIMD128 peak probe for the benchmark: 14 independent f32x4 mul+add chains. Enough chains that
// throughput, not the mul->add latency, bounds it (with 8 chains this CPU measured ~10% lower).
// Each iteration does 14 mul + 14 add on 4 lanes = 112 flops. Returns a sum so the work is kept.

export function peakChains(iterations: i32): f32 {
  const m = f32x4.splat(0.999999);
  const c = f32x4.splat(0.000001);
  let a0 = f32x4.splat(0.05);
  let a1 = f32x4.splat(0.10);
  let a2 = f32x4.splat(0.15);
  let a3 = f32x4.splat(0.20);
  let a4 = f32x4.splat(0.25);
  let a5 = f32x4.splat(0.30);
  let a6 = f32x4.splat(0.35);
  let a7 = f32x4.splat(0.40);
  let a8 = f32x4.splat(0.45);
  let a9 = f32x4.splat(0.50);
  let a10 = f32x4.splat(0.55);
  let a11 = f32x4.splat(0.60);
  let a12 = f32x4.splat(0.65);
  let a13 = f32x4.splat(0.70);
  for (let i = 0; i < iterations; i++) {
    a0 = f32x4.add(f32x4.mul(a0, m), c); a1 = f32x4.add(f32x4.mul(a1, m), c);
    a2 = f32x4.add(f32x4.mul(a2, m), c); a3 = f32x4.add(f32x4.mul(a3, m), c);
    a4 = f32x4.add(f32x4.mul(a4, m), c); a5 = f32x4.add(f32x4.mul(a5, m), c);
    a6 = f32x4.add(f32x4.mul(a6, m), c); a7 = f32x4.add(f32x4.mul(a7, m), c);
    a8 = f32x4.add(f32x4.mul(a8, m), c); a9 = f32x4.add(f32x4.mul(a9, m), c);
    a10 = f32x4.add(f32x4.mul(a10, m), c); a11 = f32x4.add(f32x4.mul(a11, m), c);
    a12 = f32x4.add(f32x4.mul(a12, m), c); a13 = f32x4.add(f32x4.mul(a13, m), c);
  }
  let s = a0;
  s = f32x4.add(s, a1);
  s = f32x4.add(s, a2);
  s = f32x4.add(s, a3);
  s = f32x4.add(s, a4);
  s = f32x4.add(s, a5);
  s = f32x4.add(s, a6);
  s = f32x4.add(s, a7);
  s = f32x4.add(s, a8);
  s = f32x4.add(s, a9);
  s = f32x4.add(s, a10);
  s = f32x4.add(s, a11);
  s = f32x4.add(s, a12);
  s = f32x4.add(s, a13);
  return f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1) + f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3);
}
