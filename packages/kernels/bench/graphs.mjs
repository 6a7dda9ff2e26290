// ONNX graphs the benchmark runs on onnxruntime (built with the test ONNX writer).
import { GraphBuilder } from "../dist/js/test/onnx-builder.js";

/** Y[m, n] = A[m, k] · B, B constant. */
export function matmulGraph(m, k, n, b) {
  const g = new GraphBuilder("matmul");
  g.node("MatMul", [g.input("A", "float32", [m, k]), g.constant("float32", [k, n], b)], {
    outputs: [g.output("Y", "float32", [m, n])],
  });
  return g.build();
}

/** Y[m, n] = MatMulInteger(A u8 with zero point 128, B s8 constant) as i32. */
export function matmulIntegerGraph(m, k, n, bInt8) {
  const g = new GraphBuilder("matmul_integer");
  g.node(
    "MatMulInteger",
    [g.input("A", "uint8", [m, k]), g.constant("int8", [k, n], bInt8), g.constant("uint8", [], new Uint8Array([128]))],
    {
      outputs: [g.output("Y", "int32", [m, n])],
    },
  );
  return g.build();
}

/**
 * The f32-in/f32-out int8 graph that onnxruntime's quantize_dynamic emits for a MatMul:
 * Y = Cast(MatMulInteger(DynamicQuantizeLinear(A), B s8)) · (a_scale · b_scales), with A
 * quantized per tensor to u8 at run time (ORT may fuse it into DynamicQuantizeMatMul).
 */
export function dynamicQuantMatmulGraph(m, k, n, bInt8, bScales) {
  const g = new GraphBuilder("dynamic_quant_matmul");
  const [aq, aScale, aZero] = ["a_q", "a_scale", "a_zero"];
  g.node("DynamicQuantizeLinear", [g.input("A", "float32", [m, k])], { outputs: [aq, aScale, aZero] });
  const acc = g.node("MatMulInteger", [aq, g.constant("int8", [k, n], bInt8), aZero]);
  const accF = g.node("Cast", [acc], { attributes: { to: { int: 1 } } });
  const scale = g.node("Mul", [aScale, g.constant("float32", [n], bScales)]);
  g.node("Mul", [accF, scale], { outputs: [g.output("Y", "float32", [m, n])] });
  return g.build();
}

/** Multi-head attention as Reshape/Transpose, MatMul, Mul(scale), Softmax, MatMul (what exporters emit). */
export function attentionMatMulSoftmaxGraph(seq, heads, headDim) {
  const g = new GraphBuilder("attention_mms");
  const hd = heads * headDim;
  const split = (x, perm) =>
    g.node("Transpose", [g.node("Reshape", [x, g.int64s([1, seq, heads, headDim])])], {
      attributes: { perm: { ints: perm } },
    });
  const q = split(g.input("Q", "float32", [1, seq, hd]), [0, 2, 1, 3]);
  const kt = split(g.input("K", "float32", [1, seq, hd]), [0, 2, 3, 1]);
  const v = split(g.input("V", "float32", [1, seq, hd]), [0, 2, 1, 3]);
  const scores = g.node("Mul", [g.node("MatMul", [q, kt]), g.scalar(1 / Math.sqrt(headDim))]);
  const probs = g.node("Softmax", [scores], { attributes: { axis: { int: -1 } } });
  const ctx = g.node("Transpose", [g.node("MatMul", [probs, v])], { attributes: { perm: { ints: [0, 2, 1, 3] } } });
  g.node("Reshape", [ctx, g.int64s([1, seq, hd])], { outputs: [g.output("Y", "float32", [1, seq, hd])] });
  return g.build();
}

/** com.microsoft MultiHeadAttention on [1, seq, heads·headDim] inputs. */
export function multiHeadAttentionGraph(seq, heads, headDim) {
  const g = new GraphBuilder("attention_mha");
  const hd = heads * headDim;
  g.node(
    "MultiHeadAttention",
    [
      g.input("Q", "float32", [1, seq, hd]),
      g.input("K", "float32", [1, seq, hd]),
      g.input("V", "float32", [1, seq, hd]),
    ],
    {
      domain: "com.microsoft",
      attributes: { num_heads: { int: heads } },
      outputs: [g.output("Y", "float32", [1, seq, hd])],
    },
  );
  return g.build({ extraOpsets: { "com.microsoft": 1 } });
}
