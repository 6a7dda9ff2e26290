// SIMD128 peak probes for the benchmark: 14 independent f32x4 multiply-add chains. Enough chains
// that throughput, not the latency, bounds it (with 8 chains this CPU measured ~10% lower).
// Each iteration does 14 multiply-adds on 4 lanes = 112 flops. Return a sum so the work is kept.
//  - peakChains: mul then add, two instructions per multiply-add (the definition of the
//    peak, and the ceiling of the plain build);
//  - peakFusedChains: the relaxed build's fused multiply-add, one instruction (the ceiling of the
//    relaxed build's GEMM); in the plain build it is the same as peakChains.
import { F_PEAK_ADD, F_PEAK_MUL, f32Const, madd } from "./simd";

// Both probes are this one body; `fused` is a constant at each call, so each export keeps one form.
// @ts-expect-error: decorator
@inline function step(a: v128, b: v128, c: v128, fused: bool): v128 {
  return fused ? madd(a, b, c) : f32x4.add(f32x4.mul(a, b), c);
}

// @ts-expect-error: decorator
@inline function chains(iterations: i32, fused: bool): f32 {
  // Loaded, not literal: see the constant tables in simd.ts.
  const m = f32Const(F_PEAK_MUL);
  const c = f32Const(F_PEAK_ADD);
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
    a0 = step(a0, m, c, fused); a1 = step(a1, m, c, fused);
    a2 = step(a2, m, c, fused); a3 = step(a3, m, c, fused);
    a4 = step(a4, m, c, fused); a5 = step(a5, m, c, fused);
    a6 = step(a6, m, c, fused); a7 = step(a7, m, c, fused);
    a8 = step(a8, m, c, fused); a9 = step(a9, m, c, fused);
    a10 = step(a10, m, c, fused); a11 = step(a11, m, c, fused);
    a12 = step(a12, m, c, fused); a13 = step(a13, m, c, fused);
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

export function peakChains(iterations: i32): f32 {
  return chains(iterations, false);
}

export function peakFusedChains(iterations: i32): f32 {
  return chains(iterations, true);
}
