// Shared SIMD helpers. Everything here is inlined into the kernels.

/** a*b + c. Fused (one rounding) in the relaxed-SIMD build, mul+add otherwise. */
// @ts-expect-error: decorator
@inline export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) {
    return f32x4.relaxed_madd(a, b, c);
  } else {
    return f32x4.add(f32x4.mul(a, b), c);
  }
}

/**
 * e^x per lane (Cephes expf polynomial after ln2 range reduction; ~1 ulp).
 * Inputs below -87.3 (including -Infinity) give exactly 0 so masked scores vanish.
 * Written for V8's x64 code generator: pmin/pmax are single instructions (min/max are not,
 * because of their NaN rules), and rounding uses the 1.5·2^23 "magic number" trick instead of
 * nearest + trunc_sat (the latter expands to a long fix-up sequence).
 */
// @ts-ignore: decorator
@inline export function expv(x: v128): v128 {
  const underflow = f32x4.lt(x, f32x4.splat(-87.3));
  x = f32x4.pmin(x, f32x4.splat(88.3));
  x = f32x4.pmax(x, f32x4.splat(-87.3));
  // t = x·log2(e) + 1.5·2^23 rounds to an integer n held in the low mantissa bits of t.
  const magic = f32x4.splat(12582912.0);
  const t = f32x4.add(f32x4.mul(x, f32x4.splat(1.44269504089)), magic);
  const n = f32x4.sub(t, magic);
  let r = f32x4.sub(x, f32x4.mul(n, f32x4.splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(-2.12194440e-4)));
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  const r2 = f32x4.mul(r, r);
  p = f32x4.add(f32x4.add(f32x4.mul(p, r2), r), f32x4.splat(1.0));
  // 2^n: (bits(t) + 127) << 23 keeps only n + 127 in the exponent field (the magic's bits shift out).
  const pow2n = i32x4.shl(i32x4.add(t, i32x4.splat(127)), 23);
  const result = f32x4.mul(p, pow2n);
  return v128.andnot(result, underflow);
}

/** erf(x) per lane, Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7). */
// @ts-expect-error: decorator
@inline export function erfv(x: v128): v128 {
  const signBit = v128.and(x, i32x4.splat(0x80000000));
  const ax = f32x4.abs(x);
  const t = f32x4.div(f32x4.splat(1.0), f32x4.add(f32x4.splat(1.0), f32x4.mul(ax, f32x4.splat(0.3275911))));
  let poly = f32x4.splat(1.061405429);
  poly = f32x4.add(f32x4.mul(poly, t), f32x4.splat(-1.453152027));
  poly = f32x4.add(f32x4.mul(poly, t), f32x4.splat(1.421413741));
  poly = f32x4.add(f32x4.mul(poly, t), f32x4.splat(-0.284496736));
  poly = f32x4.add(f32x4.mul(poly, t), f32x4.splat(0.254829592));
  poly = f32x4.mul(poly, t);
  const e = expv(f32x4.neg(f32x4.mul(ax, ax)));
  const y = f32x4.sub(f32x4.splat(1.0), f32x4.mul(poly, e));
  return v128.or(y, signBit);
}

/** GELU, exact form: x/2 * (1 + erf(x/sqrt(2))). */
// @ts-expect-error: decorator
@inline export function geluErfv(x: v128): v128 {
  const e = erfv(f32x4.mul(x, f32x4.splat(0.7071067811865476)));
  return f32x4.mul(f32x4.mul(x, f32x4.splat(0.5)), f32x4.add(e, f32x4.splat(1.0)));
}

/** GELU, tanh approximation: x/2 * (1 + tanh(sqrt(2/pi) * (x + 0.044715 x^3))). */
// @ts-expect-error: decorator
@inline export function geluTanhv(x: v128): v128 {
  const x3 = f32x4.mul(f32x4.mul(x, x), x);
  const inner = f32x4.mul(f32x4.add(x, f32x4.mul(x3, f32x4.splat(0.044715))), f32x4.splat(0.7978845608028654));
  // tanh(y) = 1 - 2 / (e^{2y} + 1); saturates cleanly because expv clamps.
  const e2y = expv(f32x4.add(inner, inner));
  const tanh = f32x4.sub(f32x4.splat(1.0), f32x4.div(f32x4.splat(2.0), f32x4.add(e2y, f32x4.splat(1.0))));
  return f32x4.mul(f32x4.mul(x, f32x4.splat(0.5)), f32x4.add(tanh, f32x4.splat(1.0)));
}

export const ACTIVATION_NONE: i32 = 0;
export const ACTIVATION_GELU_ERF: i32 = 1;
export const ACTIVATION_GELU_TANH: i32 = 2;

// Not inlined on purpose: epilogues call it 8 times per tile and the body is large.
function geluErfCall(x: v128): v128 { return geluErfv(x); }
function geluTanhCall(x: v128): v128 { return geluTanhv(x); }

// @ts-expect-error: decorator
@inline export function activate(x: v128, activation: i32): v128 {
  if (activation == ACTIVATION_GELU_ERF) return geluErfCall(x);
  if (activation == ACTIVATION_GELU_TANH) return geluTanhCall(x);
  return x;
}

// @ts-expect-error: decorator
@inline export function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

// @ts-expect-error: decorator
@inline export function hmax(v: v128): f32 {
  return max(max(f32x4.extract_lane(v, 0), f32x4.extract_lane(v, 1)), max(f32x4.extract_lane(v, 2), f32x4.extract_lane(v, 3)));
}
