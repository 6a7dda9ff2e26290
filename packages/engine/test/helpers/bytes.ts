/**
 * Builds safetensors files byte by byte, independently of the engine's writer, so reader tests
 * do not depend on the code they test.
 */
export function rawSafetensors(
  header: string,
  data: number[] | Uint8Array,
  opts: { declaredLength?: number } = {},
): Uint8Array {
  const json = new TextEncoder().encode(header);
  const declared = opts.declaredLength ?? json.byteLength;
  const out = new Uint8Array(8 + json.byteLength + data.length);
  // u64 little-endian, written as bytes so the test does not rely on DataView.
  let n = declared;
  for (let i = 0; i < 8; i++) {
    out[i] = n % 256;
    n = Math.floor(n / 256);
  }
  out.set(json, 8);
  out.set(data, 8 + json.byteLength);
  return out;
}
