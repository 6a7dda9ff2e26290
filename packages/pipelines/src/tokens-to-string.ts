/**
 * transformers' `convert_tokens_to_string` for fast tokenizers: the tokenizer's decoder run over
 * token strings. Our Tokenizer decodes ids, so tokens are mapped to ids; a token that is not in the
 * vocabulary (token-classification puts the raw text of an [UNK] token there, as Python does) is
 * decoded as the unknown token and its text is put back in place of it.
 */
import type { Tokenizer } from "@edgeformers/tokenizers";
import { specialToken } from "./special-tokens.js";

export function tokensToString(tokenizer: Tokenizer, tokens: readonly string[]): string {
  const unk = specialToken(tokenizer, "unk_token");
  const ids: number[] = [];
  const replacements: string[] = [];
  for (const token of tokens) {
    const id = tokenizer.tokenToId(token);
    if (id !== undefined) ids.push(id);
    else if (unk) {
      ids.push(unk.id);
      replacements.push(token);
    }
  }
  let text = tokenizer.decode(ids, { skipSpecialTokens: false, cleanUpTokenizationSpaces: false });
  if (unk && replacements.length > 0) {
    let from = 0;
    for (const r of replacements) {
      const at = text.indexOf(unk.token, from);
      if (at < 0) break;
      text = text.slice(0, at) + r + text.slice(at + unk.token.length);
      from = at + r.length;
    }
  }
  return text;
}
