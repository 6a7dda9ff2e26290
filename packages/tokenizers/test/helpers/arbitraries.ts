import fc from "fast-check";

/** Seed for this run: $FUZZ_SEED to replay, else fresh each run (printed by the suites). */
export const FUZZ_SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);

const SPECIAL_TEXT = [
  "[CLS]",
  "[SEP]",
  "[MASK]",
  "[PAD]",
  "[UNK]",
  "<s>",
  "</s>",
  "<pad>",
  "<unk>",
  "<mask>",
  "<|endoftext|>",
  "<extra_id_0>",
  "<extra_id_7>",
  "\u2581",
  "\u0120",
  "##",
];

const combiningRun = fc
  .tuple(
    fc.constantFrom("a", "e", "o", "n", "\u0627", "\u0915", "\u1100", " "),
    fc.array(fc.integer({ min: 0x300, max: 0x36f }), { minLength: 1, maxLength: 5 }),
  )
  .map(([base, marks]) => base + String.fromCodePoint(...marks));

const whitespaceRun = fc
  .array(
    fc.constantFrom(
      " ",
      "\t",
      "\n",
      "\r",
      "\u000b",
      "\u000c",
      "\u0085",
      "\u00a0",
      "\u1680",
      "\u2000",
      "\u2009",
      "\u200b",
      "\u2028",
      "\u2029",
      "\u202f",
      "\u3000",
      "\ufeff",
      "\u0000",
      "\u001f",
      "\u007f",
      "\u0080",
      "\u009f",
    ),
    {
      minLength: 1,
      maxLength: 6,
    },
  )
  .map((xs) => xs.join(""));

const emoji = fc
  .tuple(
    fc.constantFrom(
      "\ud83d\udc4d",
      "\ud83d\udc68",
      "\ud83d\udc69",
      "\u2764",
      "\ud83c\udff3",
      "\ud83e\udd70",
      "\ud83c\uddeb",
      "\ud83c\uddf7",
      "#",
    ),
    fc.constantFrom("", "\ufe0f", "\ud83c\udffd", "\u200d\ud83d\udc67", "\u20e3", "\u200d\u2642\ufe0f"),
  )
  .map(([a, b]) => a + b);

const planes = fc.oneof(
  fc.integer({ min: 0x20, max: 0x7e }),
  fc.integer({ min: 0x80, max: 0x2fff }),
  fc.integer({ min: 0x3000, max: 0xd7ff }),
  fc.integer({ min: 0xe000, max: 0xffff }),
  fc.integer({ min: 0x10000, max: 0x10ffff }),
);

/** One fragment of a fuzz string. */
const fragment = fc.oneof(
  { arbitrary: fc.string({ unit: "grapheme", maxLength: 6 }), weight: 3 },
  { arbitrary: fc.string({ unit: "binary", maxLength: 6 }), weight: 3 },
  { arbitrary: fc.string({ unit: "grapheme-ascii", maxLength: 8 }), weight: 3 },
  { arbitrary: planes.map((cp) => String.fromCodePoint(cp)), weight: 3 },
  { arbitrary: combiningRun, weight: 2 },
  { arbitrary: whitespaceRun, weight: 2 },
  { arbitrary: emoji, weight: 2 },
  { arbitrary: fc.constantFrom(...SPECIAL_TEXT), weight: 2 },
  {
    arbitrary: fc.constantFrom(
      "the",
      "The",
      " of",
      "Hello",
      "world",
      "don't",
      "123",
      "4.5",
      "\u4e2d\u6587",
      "\u65e5\u672c",
    ),
    weight: 2,
  },
  { arbitrary: fc.constantFrom("\ud800", "\udfff", "\udc00a", "x\ud83d"), weight: 1 },
);

/** Fuzz strings: random Unicode across planes, marks, whitespace/control runs, emoji, special-token text. */
export const fuzzString = fc.array(fragment, { maxLength: 12 }).map((parts) => parts.join(""));

export function sampleStrings(count: number, seed: number): string[] {
  return fc.sample(fuzzString, { numRuns: count, seed });
}
