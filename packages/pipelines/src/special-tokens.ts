/** Ids of the special tokens the heads need, from tokenizer_config.json or the usual spellings. */
import type { Tokenizer } from "@edgeformers/tokenizers";

type Role = "mask_token" | "cls_token" | "unk_token" | "pad_token" | "sep_token";

const USUAL: Record<Role, string[]> = {
  mask_token: ["[MASK]", "<mask>"],
  cls_token: ["[CLS]", "<s>"],
  unk_token: ["[UNK]", "<unk>"],
  pad_token: ["[PAD]", "<pad>"],
  sep_token: ["[SEP]", "</s>"],
};

export function specialToken(tokenizer: Tokenizer, role: Role): { token: string; id: number } | null {
  const named = tokenizer.specialTokens[role];
  for (const token of named !== undefined ? [named] : USUAL[role]) {
    const id = tokenizer.tokenToId(token);
    if (id !== undefined) return { token, id };
  }
  return null;
}
