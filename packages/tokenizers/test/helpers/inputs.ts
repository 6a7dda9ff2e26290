import { mulberry32 } from "./random.js";

/** Hand-picked inputs that stress normalization, alignment and special-token handling. */
export const EDGE_INPUTS: string[] = [
  "",
  " ",
  "   ",
  "  leading spaces",
  "trailing spaces  ",
  "a  b   c",
  "Hello, World! How's it going?",
  "don't I'm we've they're it's",
  "[CLS] hello [SEP] world [MASK] [PAD] [UNK]",
  "<|endoftext|>text<|endoftext|> <|endoftext|>",
  "<s> x </s> <mask> <pad> <unk>",
  "a<mask>b  <mask>  c",
  "</s><extra_id_0> hi <extra_id_99>",
  "e\u0301 \u00e9 a\u0300\u0301\u0302 o\u0308\u0304",
  // Marks that NFD reorders (alignments stay in source order), with and without expansion.
  "e\u0324\u0336\u0348\u1bf3z x\u1ea5\u0323y \u1e09\u0327\u0323 q\u0344\u0323",
  // A mark newer than the Rust crate's tables (U+1AC1, Unicode 14) is a starter there, so NFD
  // does not move it past the older marks (fuzz seed 1064829214).
  "FBB{\u0915\u035d\u033c\u1ac1 a\u0301\u1ac1\u0300 o\u035d\u1ac1\u033c\u0301",
  "\ufb01 \u2460 \u216b x\u00b2 \u00bd \u2126 \u212b",
  "\ud835\udd18\ud835\udd2b\ud835\udd26 \ud835\udc00",
  "\ud83d\ude00\ud83d\udc4d\ud83c\udffd \ud83d\udc68\u200d\ud83d\udc69\u200d\ud83d\udc67 \ud83c\uddeb\ud83c\uddf7",
  "\t\n\r\u000b\u000c",
  "\u00a0\u2003\u3000\u2028\u2029\u0085",
  "\u200b\u200d\ufeff\u00ad\u2060",
  "12345 6.78 1,000,000 \u0663\u0664 \uff11\uff12",
  "\u01c5 \u0130stanbul \u03a3\u0391\u03a3 \u03c3\u03b1\u03c2 \u1e9e \u00df",
  "\u4e2d\u6587\u5b57\u7b26\uff0c\u4e2d\u6587\u6807\u70b9\u3002",
  "\u65e5\u672c\u8a9e\u306e\u30c6\u30ad\u30b9\u30c8\u30fc",
  "\ud55c\uad6d\uc5b4 \ud14d\uc2a4\ud2b8 \u1100\u1161\u11a8",
  "\ud840\udc00\ud840\udc01 \ud869\udedf",
  "abc\u0000def\u0001\u007f",
  "\ufffd\ufffd x",
  "\u0440\u0443\u0441\u0441\u043a\u0438\u0439 \u0442\u0435\u043a\u0441\u0442",
  "\u0639\u0631\u0628\u0649 \u05e2\u05b4\u05d1\u05b0\u05e8\u05b4\u05d9\u05ea",
  "\u0915\u094d\u0937\u093f \u0e20\u0e32\u0e29\u0e32\u0e44\u0e17\u0e22",
  "x".repeat(150),
  "supercalifragilisticexpialidocious antidisestablishmentarianism",
  "https://example.com/path?q=1&r=2#frag user@mail.org",
  "def f(x):\n    return x ** 2  # comment",
  "\u2581already \u2581meta\u2581space",
  "\u0120G\u0120 \u010a",
  "   \n\n  \t ",
  "A.B.C. e.g. i.e. U.S.A.",
  "\uff21\uff22\uff23 \uff41\uff42\uff43 \uff01\uff1f",
];

/** Random strings mixing scripts, marks, whitespace runs, emoji and special-token text. */
export function randomStrings(count: number, seed: number, extras: string[] = []): string[] {
  const rand = mulberry32(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  const ranges: [number, number][] = [
    [0x20, 0x7e],
    [0x20, 0x7e],
    [0x20, 0x7e],
    [0x00, 0x1f],
    [0xa0, 0x24f],
    [0x300, 0x36f],
    [0x370, 0x3ff],
    [0x400, 0x4ff],
    [0x590, 0x6ff],
    [0x900, 0x97f],
    [0xe00, 0xe7f],
    [0x1100, 0x11ff],
    [0x2000, 0x206f],
    [0x2100, 0x24ff],
    [0x3000, 0x30ff],
    [0x4e00, 0x9fff],
    [0xac00, 0xd7a3],
    [0xfb00, 0xfb4f],
    [0xfe00, 0xfe0f],
    [0xff00, 0xffef],
    [0xfff0, 0xffff],
    [0x1d400, 0x1d7ff],
    [0x1f300, 0x1faff],
    [0x20000, 0x2a6df],
    [0xe0000, 0xe007f],
    [0x10000, 0x10ffff],
  ];
  const words = [
    "the",
    "The",
    "of",
    "and",
    "hello",
    " ",
    "  ",
    "\n",
    "\t",
    "'s",
    "n't",
    "123",
    "\u200d",
    "\ufe0f",
    ...extras,
  ];
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const len = Math.floor(rand() * 24);
    let s = "";
    for (let k = 0; k < len; k++) {
      if (rand() < 0.3) s += pick(words);
      else {
        const [lo, hi] = pick(ranges);
        let cp = lo + Math.floor(rand() * (hi - lo + 1));
        if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
        s += String.fromCodePoint(cp);
      }
    }
    out.push(s);
  }
  return out;
}
