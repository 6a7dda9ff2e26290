// The inputs every engine bench feeds, in Node and inside the workerd bench worker (no imports,
// so the worker bundle stays small).

/** [CLS] … [SEP] with pseudo-random ids in between, full mask, two segments. */
export function benchInputs(seq: number, batch: number, vocab: number) {
  const inputIds = Array.from({ length: batch }, (_, b) =>
    Array.from({ length: seq }, (_, s) =>
      s === 0 ? 101 : s === seq - 1 ? 102 : 1000 + ((b * 7919 + s * 104729) % (vocab - 1000)),
    ),
  );
  return {
    inputIds,
    attentionMask: inputIds.map((r) => r.map(() => 1)),
    tokenTypeIds: inputIds.map((r) => r.map((_, s) => (s < seq / 2 ? 0 : 1))),
  };
}
