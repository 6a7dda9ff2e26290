// Shared SIMD helpers. Everything here is inlined into the kernels.

// v128 constants used inside loops are loaded from these tables, not written as v128 literals.
// workerd's V8 (Turboshaft) rematerialises a v128 literal at every use inside a loop (2-4
// instructions, one on the shuffle port), while a splat load from memory is one load. Measured in
// workerd: 14 chains of multiply-adds ran at 14 GFLOP/s with literal operands and 63 with loaded
// ones. Node 20's V8 hoists the literals, so there it makes no difference.
const F32_TABLE: usize = memory.data<f32>([
  -87.3, 88.3, 12582912.0, 1.44269504089, 0.693359375, -2.12194440e-4, // exp range reduction
  1.9875691500e-4, 1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1, // exp polynomial
  1.0, 0.3275911, 1.061405429, -1.453152027, 1.421413741, -0.284496736, 0.254829592, // erf
  0.7071067811865476, 0.5, 0.044715, 0.7978845608028654, 2.0, // GELU
  0.999999, 0.000001, // peak probe
]);
export const F_EXP_MIN = 0;
export const F_EXP_MAX = 1;
export const F_ROUND_MAGIC = 2;
const F_LOG2E = 3;
const F_LN2_HI = 4;
const F_LN2_LO = 5;
const F_EXP_P0 = 6;
const F_ONE = 12;
const F_ERF_P = 13;
const F_ERF_A1 = 14;
const F_SQRT_HALF = 19;
const F_HALF = 20;
const F_GELU_CUBIC = 21;
const F_SQRT_2_OVER_PI = 22;
const F_TWO = 23;
export const F_PEAK_MUL = 24;
export const F_PEAK_ADD = 25;

const I32_TABLE: usize = memory.data<i32>([
  127, 0x80000000, 0x7fffffff,
  0xc1c1c1c1, 0x3f3f3f3f, 0x40404040, // i8 lanes: -63, 63, 64
  0xff81ff81, 0x007f007f, // i16 lanes: -127, 127
  0x7f7f7f7f, 0x80808080, 0x81818181, // i8 lanes: 127, -128, -127
]);
const I_EXP_BIAS = 0;
const I_SIGN_BIT = 1;
export const I_ABS_MASK = 2;
export const I8_MINUS_63 = 3;
export const I8_63 = 4;
export const I8_64 = 5;
export const I16_MINUS_127 = 6;
export const I16_127 = 7;
export const I8_127 = 8;
export const I8_MINUS_128 = 9;
export const I8_MINUS_127 = 10;

/** F32_TABLE[index] in every lane. */
// @ts-expect-error: decorator
@inline export function f32Const(index: i32): v128 {
  return v128.load32_splat(F32_TABLE + (<usize>index << 2));
}

/** I32_TABLE[index] in every 32-bit lane. */
// @ts-expect-error: decorator
@inline export function i32Const(index: i32): v128 {
  return v128.load32_splat(I32_TABLE + (<usize>index << 2));
}

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
  const underflow = f32x4.lt(x, f32Const(F_EXP_MIN));
  x = f32x4.pmin(x, f32Const(F_EXP_MAX));
  x = f32x4.pmax(x, f32Const(F_EXP_MIN));
  // t = x·log2(e) + 1.5·2^23 rounds to an integer n held in the low mantissa bits of t.
  const magic = f32Const(F_ROUND_MAGIC);
  const t = f32x4.add(f32x4.mul(x, f32Const(F_LOG2E)), magic);
  const n = f32x4.sub(t, magic);
  let r = f32x4.sub(x, f32x4.mul(n, f32Const(F_LN2_HI)));
  r = f32x4.sub(r, f32x4.mul(n, f32Const(F_LN2_LO)));
  // The polynomial on multiply-adds: one fused instruction each in the relaxed build (exactly
  // the former mul + add in the plain one).
  let p = f32Const(F_EXP_P0);
  p = madd(p, r, f32Const(F_EXP_P0 + 1));
  p = madd(p, r, f32Const(F_EXP_P0 + 2));
  p = madd(p, r, f32Const(F_EXP_P0 + 3));
  p = madd(p, r, f32Const(F_EXP_P0 + 4));
  p = madd(p, r, f32Const(F_EXP_P0 + 5));
  const r2 = f32x4.mul(r, r);
  p = f32x4.add(madd(p, r2, r), f32Const(F_ONE));
  // 2^n: (bits(t) + 127) << 23 keeps only n + 127 in the exponent field (the magic's bits shift out).
  const pow2n = i32x4.shl(i32x4.add(t, i32Const(I_EXP_BIAS)), 23);
  const result = f32x4.mul(p, pow2n);
  return v128.andnot(result, underflow);
}

/** erf(x) per lane, Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7). */
// @ts-expect-error: decorator
@inline export function erfv(x: v128): v128 {
  const signBit = v128.and(x, i32Const(I_SIGN_BIT));
  const ax = f32x4.abs(x);
  const one = f32Const(F_ONE);
  const t = f32x4.div(one, f32x4.add(one, f32x4.mul(ax, f32Const(F_ERF_P))));
  let poly = f32Const(F_ERF_A1);
  poly = madd(poly, t, f32Const(F_ERF_A1 + 1));
  poly = madd(poly, t, f32Const(F_ERF_A1 + 2));
  poly = madd(poly, t, f32Const(F_ERF_A1 + 3));
  poly = madd(poly, t, f32Const(F_ERF_A1 + 4));
  poly = f32x4.mul(poly, t);
  const e = expv(f32x4.neg(f32x4.mul(ax, ax)));
  const y = f32x4.sub(one, f32x4.mul(poly, e));
  return v128.or(y, signBit);
}

/** GELU, exact form: x/2 * (1 + erf(x/sqrt(2))). */
// @ts-expect-error: decorator
@inline export function geluErfv(x: v128): v128 {
  const e = erfv(f32x4.mul(x, f32Const(F_SQRT_HALF)));
  return f32x4.mul(f32x4.mul(x, f32Const(F_HALF)), f32x4.add(e, f32Const(F_ONE)));
}

/** GELU, tanh approximation: x/2 * (1 + tanh(sqrt(2/pi) * (x + 0.044715 x^3))). */
// @ts-expect-error: decorator
@inline export function geluTanhv(x: v128): v128 {
  const x3 = f32x4.mul(f32x4.mul(x, x), x);
  const inner = f32x4.mul(f32x4.add(x, f32x4.mul(x3, f32Const(F_GELU_CUBIC))), f32Const(F_SQRT_2_OVER_PI));
  // tanh(y) = 1 - 2 / (e^{2y} + 1); saturates cleanly because expv clamps.
  const e2y = expv(f32x4.add(inner, inner));
  const one = f32Const(F_ONE);
  const tanh = f32x4.sub(one, f32x4.div(f32Const(F_TWO), f32x4.add(e2y, one)));
  return f32x4.mul(f32x4.mul(x, f32Const(F_HALF)), f32x4.add(tanh, one));
}

export const ACTIVATION_NONE: i32 = 0;
export const ACTIVATION_GELU_ERF: i32 = 1;
export const ACTIVATION_GELU_TANH: i32 = 2;

// @ts-expect-error: decorator
@inline export function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

// @ts-expect-error: decorator
@inline export function hmax(v: v128): f32 {
  return max(max(f32x4.extract_lane(v, 0), f32x4.extract_lane(v, 1)), max(f32x4.extract_lane(v, 2), f32x4.extract_lane(v, 3)));
}
