/** Vector helpers for the embedding routes. */

/** L2-normalises in place, dividing by (norm + 1e-32) as model2vec and sentence-transformers do, so zero stays zero. */
export function normalizeInPlace(vector: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < vector.length; i++) sum += vector[i] * vector[i];
  const divisor = Math.sqrt(sum) + 1e-32;
  for (let i = 0; i < vector.length; i++) vector[i] /= divisor;
  return vector;
}

/**
 * Matryoshka `dimensions`: keep the first `dimensions` components, then normalise when asked
 * (OpenAI's `dimensions` returns unit vectors; TEI likewise truncates before normalising).
 */
export function finishVector(vector: Float32Array, dimensions: number | undefined, normalize: boolean): Float32Array {
  const kept = dimensions === undefined ? vector : vector.slice(0, dimensions);
  return normalize ? normalizeInPlace(kept) : kept;
}

export function cosineSimilarity(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  const denominator = Math.sqrt(na) * Math.sqrt(nb);
  return denominator === 0 ? 0 : dot / denominator;
}

/** OpenAI's `encoding_format: "base64"`: the little-endian float32 bytes, base64-encoded. */
export function float32ToBase64(vector: Float32Array): string {
  const bytes = new Uint8Array(vector.buffer, vector.byteOffset, vector.byteLength);
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
