// Relaxed-SIMD detection by validating (not compiling) a tiny module whose only function runs
// i8x16.relaxed_swizzle. Validation is allowed everywhere, including Workers request time.
const zeros16 = new Array<number>(16).fill(0);
const RELAXED_SIMD_PROBE = new Uint8Array([
  0x00,
  0x61,
  0x73,
  0x6d,
  0x01,
  0x00,
  0x00,
  0x00, // magic, version
  0x01,
  0x05,
  0x01,
  0x60,
  0x00,
  0x01,
  0x7b, // type section: () -> v128
  0x03,
  0x02,
  0x01,
  0x00, // function section: one function of type 0
  0x0a,
  0x2b,
  0x01,
  0x29,
  0x00, // code section: one body of 41 bytes, no locals
  0xfd,
  0x0c,
  ...zeros16, // v128.const 0
  0xfd,
  0x0c,
  ...zeros16, // v128.const 0
  0xfd,
  0x80,
  0x02, // i8x16.relaxed_swizzle
  0x0b, // end
]);

export function supportsRelaxedSimd(): boolean {
  try {
    return WebAssembly.validate(RELAXED_SIMD_PROBE);
  } catch {
    return false;
  }
}
