import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  bf16ToF32,
  type Dtype,
  f16BitsToNumber,
  f16ToF32,
  parseSafetensors,
  SafetensorsError,
  serializeSafetensors,
  type TensorArray,
} from "../../src/index.js";
import { rawSafetensors } from "../helpers/bytes.js";

const h = (o: unknown) => JSON.stringify(o);

describe("parseSafetensors on hand-built files", () => {
  it("reads F32 values from known bytes, zero-copy", () => {
    // 1.0f = 0x3F800000, -2.0f = 0xC0000000, little-endian. Header is 56 bytes → data at 64 (aligned).
    const header = h({ a: { dtype: "F32", shape: [2], data_offsets: [0, 8] } }).padEnd(56, " ");
    const file = rawSafetensors(header, [0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0]);
    const st = parseSafetensors(file, "x.safetensors");
    const a = st.view("a", "F32");
    expect(Array.from(a)).toEqual([1, -2]);
    expect(a.buffer).toBe(file.buffer);
    expect(a.byteOffset).toBe(64);
    expect(st.info("a")).toEqual({ name: "a", dtype: "F32", shape: [2], begin: 0, end: 8 });
  });

  it("reads every integer dtype and F64 from known bytes", () => {
    const header = h({
      d: { dtype: "F64", shape: [1], data_offsets: [0, 8] },
      q: { dtype: "I64", shape: [1], data_offsets: [8, 16] },
      i: { dtype: "I32", shape: [1], data_offsets: [16, 20] },
      b: { dtype: "I8", shape: [2], data_offsets: [20, 22] },
      u: { dtype: "U8", shape: [2], data_offsets: [22, 24] },
      __metadata__: { format: "pt" },
    });
    const data = [
      ...[0, 0, 0, 0, 0, 0, 0xf8, 0x3f], // 1.5 as f64 = 0x3FF8000000000000
      ...[0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], // -2n as i64
      ...[0x00, 0x01, 0x00, 0x00], // 256 as i32
      ...[0x80, 0x7f], // -128, 127 as i8
      ...[0x80, 0xff], // 128, 255 as u8
    ];
    const st = parseSafetensors(rawSafetensors(header.padEnd(Math.ceil(header.length / 8) * 8, " "), data));
    expect(Array.from(st.view("d", "F64"))).toEqual([1.5]);
    expect(Array.from(st.view("q", "I64"))).toEqual([-2n]);
    expect(Array.from(st.view("i", "I32"))).toEqual([256]);
    expect(Array.from(st.view("b", "I8"))).toEqual([-128, 127]);
    expect(Array.from(st.view("u", "U8"))).toEqual([128, 255]);
    expect(st.metadata).toEqual({ format: "pt" });
    expect([...st.names].sort()).toEqual(["b", "d", "i", "q", "u"]);
    expect(Array.from(st.float32("b"))).toEqual([-128, 127]);
    expect(Array.from(st.float32("q"))).toEqual([-2]);
  });

  it("reads F16 and BF16 and converts them to f32", () => {
    const header = h({
      h: { dtype: "F16", shape: [2, 2], data_offsets: [0, 8] },
      b: { dtype: "BF16", shape: [2], data_offsets: [8, 12] },
    }).padEnd(96, " ");
    // f16: 0x3C00 = 1, 0xC000 = -2, 0x3555 ≈ 0.33325195, 0x7BFF = 65504. bf16: 0x3F80 = 1, 0xC049 = -3.140625
    const data = [0x00, 0x3c, 0x00, 0xc0, 0x55, 0x35, 0xff, 0x7b, 0x80, 0x3f, 0x49, 0xc0];
    const st = parseSafetensors(rawSafetensors(header, data));
    expect(Array.from(st.view("h", "F16"))).toEqual([0x3c00, 0xc000, 0x3555, 0x7bff]);
    expect(Array.from(st.float32("h"))).toEqual([1, -2, Math.fround(0.333251953125), 65504]);
    expect(Array.from(st.float32("b"))).toEqual([1, -3.140625]);
  });

  it("copies a misaligned tensor and still returns the right values", () => {
    // Header of 57 bytes puts the data at offset 65, which no F32 view can start at.
    const header = h({ a: { dtype: "F32", shape: [1], data_offsets: [0, 4] } }).padEnd(57, " ");
    const file = rawSafetensors(header, [0, 0, 0x80, 0x3f]);
    const a = parseSafetensors(file).view("a", "F32");
    expect(Array.from(a)).toEqual([1]);
    expect(a.buffer).not.toBe(file.buffer);
  });

  it("honours the byte offset of a Uint8Array input", () => {
    const header = h({ a: { dtype: "I32", shape: [1], data_offsets: [0, 4] } }).padEnd(48, " ");
    const file = rawSafetensors(header, [7, 0, 0, 0]);
    const shifted = new Uint8Array(file.byteLength + 8);
    shifted.set(file, 8);
    expect(Array.from(parseSafetensors(shifted.subarray(8)).view("a", "I32"))).toEqual([7]);
  });

  it("accepts zero-sized tensors and an empty header", () => {
    const st = parseSafetensors(rawSafetensors(h({ z: { dtype: "F32", shape: [0, 3], data_offsets: [0, 0] } }), []));
    expect(st.view("z").length).toBe(0);
    expect(parseSafetensors(rawSafetensors("{}", [])).names).toEqual([]);
  });
});

describe("parseSafetensors rejects corrupted input, naming file and tensor", () => {
  const one = (entry: unknown) => h({ w: entry });
  const cases: [string, Uint8Array, RegExp][] = [
    ["shorter than 8 bytes", new Uint8Array([1, 0, 0]), /m\.st: file is 3 bytes/],
    [
      "header length past the end",
      rawSafetensors("{}", [], { declaredLength: 1000 }),
      /m\.st: header length 1000 runs past/,
    ],
    [
      "header length beyond 2^32",
      rawSafetensors("{}", [], { declaredLength: 2 ** 40 }),
      /m\.st: header length \d+ exceeds/,
    ],
    ["header not JSON", rawSafetensors("{nope", []), /m\.st: header is not valid UTF-8 JSON/],
    ["header an array", rawSafetensors("[]", []), /m\.st: header is not a JSON object/],
    [
      "unknown dtype",
      rawSafetensors(one({ dtype: "F8_E4M3", shape: [1], data_offsets: [0, 1] }), [0]),
      /m\.st: tensor "w": unknown dtype "F8_E4M3"/,
    ],
    [
      "negative dim",
      rawSafetensors(one({ dtype: "U8", shape: [-1], data_offsets: [0, 1] }), [0]),
      /tensor "w": shape must be/,
    ],
    ["missing offsets", rawSafetensors(one({ dtype: "U8", shape: [1] }), [0]), /tensor "w": data_offsets must be/],
    [
      "reversed offsets",
      rawSafetensors(one({ dtype: "U8", shape: [0], data_offsets: [1, 0] }), [0]),
      /tensor "w": data_offsets must be/,
    ],
    [
      "shape/size mismatch",
      rawSafetensors(one({ dtype: "F32", shape: [2], data_offsets: [0, 4] }), [0, 0, 0, 0]),
      /tensor "w": shape \[2\] of F32 needs 8 bytes but data_offsets \[0, 4\] span 4/,
    ],
    [
      "truncated data",
      rawSafetensors(one({ dtype: "F32", shape: [2], data_offsets: [0, 8] }), [0, 0, 0, 0]),
      /tensor "w": data_offsets end 8 is past the end of the data section \(4 bytes\)/,
    ],
    ["bad metadata", rawSafetensors(h({ __metadata__: { n: 1 } }), []), /m\.st: __metadata__\.n must be a string/],
    [
      "overlapping tensors",
      rawSafetensors(
        h({
          a: { dtype: "U8", shape: [4], data_offsets: [0, 4] },
          b: { dtype: "U8", shape: [2], data_offsets: [2, 4] },
        }),
        [0, 0, 0, 0],
      ),
      /tensor "b": bytes \[2, 4\) overlap tensor "a"/,
    ],
  ];
  it.each(cases)("%s", (_, bytes, message) => {
    const err = (() => {
      try {
        parseSafetensors(bytes, "m.st");
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(SafetensorsError);
    expect((err as Error).message).toMatch(message);
    expect((err as SafetensorsError).file).toBe("m.st");
  });

  it("names an absent tensor and a dtype mismatch", () => {
    const st = parseSafetensors(
      rawSafetensors(h({ a: { dtype: "U8", shape: [1], data_offsets: [0, 1] } }), [5]),
      "f.st",
    );
    expect(() => st.view("b")).toThrow(/f\.st: tensor "b": no such tensor \(the file has: a\)/);
    expect(() => st.view("a", "F32")).toThrow(/f\.st: tensor "a": expected dtype F32, the file has U8/);
  });

  it("rejects a non-buffer argument with a TypeError", () => {
    expect(() => parseSafetensors("abc" as unknown as ArrayBuffer, "s.st")).toThrow(TypeError);
  });

  it("never crashes on random bytes or any truncation of a valid file", () => {
    const valid = serializeSafetensors({
      a: { dtype: "F32", shape: [3], data: new Float32Array([1, 2, 3]) },
      b: { dtype: "I64", shape: [1], data: new BigInt64Array([5n]) },
    });
    for (let cut = 0; cut < valid.byteLength; cut++) {
      expect(() => parseSafetensors(valid.slice(0, cut), "cut.st")).toThrow(SafetensorsError);
    }
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        try {
          parseSafetensors(bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(SafetensorsError);
        }
      }),
    );
  });
});

describe("f16 / bf16 conversion", () => {
  it("matches hand-derived binary16 values", () => {
    const cases: [number, number][] = [
      [0x0000, 0],
      [0x3c00, 1],
      [0xc000, -2],
      [0x7bff, 65504],
      [0x0001, 2 ** -24], // smallest subnormal
      [0x03ff, 1023 * 2 ** -24], // largest subnormal
      [0x0400, 2 ** -14], // smallest normal
      [0x7c00, Infinity],
      [0xfc00, -Infinity],
    ];
    for (const [bits, value] of cases) expect(f16BitsToNumber(bits)).toBe(value);
    expect(Object.is(f16BitsToNumber(0x8000), -0)).toBe(true);
    expect(f16BitsToNumber(0x7e00)).toBeNaN();
  });

  it("agrees with an f32 bit-assembly oracle for every normal and infinite f16", () => {
    // Independent of the table: rebias the exponent (15 → 127) and widen the mantissa (10 → 23 bits).
    const all = new Uint16Array(65536).map((_, i) => i);
    const f32 = f16ToF32(all);
    const oracle = new Uint32Array(1);
    const asFloat = new Float32Array(oracle.buffer);
    for (let bits = 0; bits < 65536; bits++) {
      const exponent = (bits >> 10) & 0x1f;
      if (exponent === 0) continue; // subnormals: checked by hand above
      const sign = (bits & 0x8000) << 16;
      const mantissa = (bits & 0x3ff) << 13;
      oracle[0] = exponent === 31 ? sign | 0x7f800000 | mantissa : sign | ((exponent - 15 + 127) << 23) | mantissa;
      if (exponent === 31 && mantissa !== 0) expect(f32[bits]).toBeNaN();
      else expect(f32[bits]).toBe(asFloat[0]);
    }
  });

  it("bf16 is the upper half of an f32", () => {
    fc.assert(
      fc.property(fc.float({ noNaN: true }), (x) => {
        const word = new Uint32Array(new Float32Array([x]).buffer)[0];
        if ((word & 0xffff) !== 0) return; // only exactly representable values
        expect(bf16ToF32(new Uint16Array([word >>> 16]))[0]).toBe(x);
      }),
    );
    expect(Array.from(bf16ToF32(new Uint16Array([0x3f80, 0xc049, 0x0000, 0x8000])))).toEqual([1, -3.140625, 0, -0]);
  });
});

describe("serializeSafetensors round-trips", () => {
  const dtypeArb = fc.constantFrom<Dtype>("F64", "F32", "F16", "BF16", "I64", "I32", "I8", "U8");
  function randomData(dtype: Dtype, n: number, seed: number): TensorArray {
    const bytes = new Uint8Array(
      n * ({ F64: 8, I64: 8, F32: 4, I32: 4, F16: 2, BF16: 2, I8: 1, U8: 1 } as const)[dtype],
    );
    for (let i = 0; i < bytes.length; i++) bytes[i] = (seed * 31 + i * 17) & 0xff;
    const ctor = {
      F64: Float64Array,
      F32: Float32Array,
      F16: Uint16Array,
      BF16: Uint16Array,
      I64: BigInt64Array,
      I32: Int32Array,
      I8: Int8Array,
      U8: Uint8Array,
    }[dtype];
    return new ctor(bytes.buffer);
  }

  it("reads back every tensor bit-for-bit, aligned and zero-copy", () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.string({ minLength: 1, maxLength: 8 }).filter((s) => s !== "__metadata__"),
          fc.record({
            dtype: dtypeArb,
            shape: fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 3 }),
            seed: fc.nat(),
          }),
          { maxKeys: 6 },
        ),
        fc.option(fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }), { nil: undefined }),
        (spec, metadata) => {
          const tensors = Object.fromEntries(
            Object.entries(spec).map(([name, s]) => [
              name,
              {
                dtype: s.dtype,
                shape: s.shape,
                data: randomData(
                  s.dtype,
                  s.shape.reduce((a, b) => a * b, 1),
                  s.seed,
                ),
              },
            ]),
          );
          const file = serializeSafetensors(tensors, metadata);
          const st = parseSafetensors(file);
          expect([...st.names].sort()).toEqual(Object.keys(tensors).sort());
          expect(st.metadata).toEqual(metadata ?? {});
          for (const [name, t] of Object.entries(tensors)) {
            expect(st.info(name).dtype).toBe(t.dtype);
            expect(st.info(name).shape).toEqual(t.shape);
            const view = st.view(name);
            expect(view.buffer).toBe(file.buffer); // writer keeps everything aligned
            expect(new Uint8Array(view.buffer, view.byteOffset, view.byteLength)).toEqual(
              new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength),
            );
          }
        },
      ),
    );
  });

  it("rejects inconsistent input with named errors", () => {
    expect(() => serializeSafetensors({ w: { dtype: "F32", shape: [3], data: new Float32Array(2) } })).toThrow(
      /tensor "w": shape \[3\] of F32 needs 12 bytes, data has 8/,
    );
    expect(() => serializeSafetensors({ w: { dtype: "F32", shape: [1], data: new Int32Array(1) } })).toThrow(
      /tensor "w": F32 data must be a Float32Array/,
    );
    expect(() => serializeSafetensors({ w: { dtype: "F9" as Dtype, shape: [1], data: new Uint8Array(1) } })).toThrow(
      /unknown dtype "F9"/,
    );
    expect(() => serializeSafetensors({ __metadata__: { dtype: "U8", shape: [0], data: new Uint8Array(0) } })).toThrow(
      /reserved/,
    );
  });
});
