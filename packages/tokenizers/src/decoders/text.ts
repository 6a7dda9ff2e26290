import type { Decoder } from "../components.js";
import type { PatternMatcher } from "../normalizers/replace.js";

/** Rust's `wordpiece::cleanup`, applied token by token. */
export function cleanup(s: string): string {
  return s
    .replaceAll(" .", ".")
    .replaceAll(" ?", "?")
    .replaceAll(" !", "!")
    .replaceAll(" ,", ",")
    .replaceAll(" ' ", "'")
    .replaceAll(" n't", "n't")
    .replaceAll(" 'm", "'m")
    .replaceAll(" do not", " don't")
    .replaceAll(" 's", "'s")
    .replaceAll(" 've", "'ve")
    .replaceAll(" 're", "'re");
}

export class WordPieceDecoder implements Decoder {
  constructor(
    private readonly prefix: string,
    private readonly cleanup: boolean,
  ) {}
  decodeChain(tokens: string[]): string[] {
    return tokens.map((token, i) => {
      let t = token;
      if (i !== 0) t = t.startsWith(this.prefix) ? t.slice(this.prefix.length) : ` ${t}`;
      return this.cleanup ? cleanup(t) : t;
    });
  }
}

export class MetaspaceDecoder implements Decoder {
  constructor(
    private readonly replacement: string,
    private readonly prependScheme: boolean,
  ) {}
  decodeChain(tokens: string[]): string[] {
    return tokens.map((token, i) => {
      let out = "";
      for (const ch of token) {
        if (ch === this.replacement) {
          if (!(i === 0 && this.prependScheme)) out += " ";
        } else out += ch;
      }
      return out;
    });
  }
}

export class BpeDecoder implements Decoder {
  constructor(private readonly suffix: string) {}
  decodeChain(tokens: string[]): string[] {
    const n = tokens.length - 1;
    return tokens.map((t, i) => (this.suffix === "" ? t : t.replaceAll(this.suffix, i === n ? "" : " ")));
  }
}

export class FuseDecoder implements Decoder {
  decodeChain(tokens: string[]): string[] {
    return [tokens.join("")];
  }
}

export class StripDecoder implements Decoder {
  constructor(
    private readonly content: string,
    private readonly start: number,
    private readonly stop: number,
  ) {}
  decodeChain(tokens: string[]): string[] {
    return tokens.map((token) => {
      const chars = Array.from(token);
      let startCut = 0;
      for (let i = 0; i < Math.min(this.start, chars.length); i++) {
        if (chars[i] === this.content) startCut = i + 1;
        else break;
      }
      let stopCut = chars.length;
      for (let i = 0; i < this.stop; i++) {
        const index = chars.length - i - 1;
        if (index < 0) break;
        if (chars[index] === this.content) stopCut = index;
        else break;
      }
      return stopCut > startCut ? chars.slice(startCut, stopCut).join("") : "";
    });
  }
}

export class ReplaceDecoder implements Decoder {
  constructor(
    private readonly pattern: PatternMatcher,
    private readonly content: string,
  ) {}
  decodeChain(tokens: string[]): string[] {
    return tokens.map((token) => {
      const m = this.pattern(token);
      let out = "";
      for (let k = 0; k < m.length; k += 3) out += m[k + 2] ? this.content : token.slice(m[k], m[k + 1]);
      return out;
    });
  }
}

export class CtcDecoder implements Decoder {
  constructor(
    private readonly padToken: string,
    private readonly wordDelimiter: string,
    private readonly cleanup: boolean,
  ) {}
  decodeChain(tokens: string[]): string[] {
    const out: string[] = [];
    let previous: string | undefined;
    for (const token of tokens) {
      if (token === previous) continue;
      previous = token;
      let t = token.replaceAll(this.padToken, "");
      if (this.cleanup) t = cleanup(t).replaceAll(this.wordDelimiter, " ");
      if (t !== "") out.push(t);
    }
    return out;
  }
}
