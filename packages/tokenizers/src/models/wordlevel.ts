import type { Model, ModelOutput } from "../components.js";
import { TokenizerConfigError } from "../components.js";
import type { Vocab } from "./vocab.js";

export class WordLevelModel implements Model {
  constructor(
    private readonly v: Vocab,
    private readonly unkToken: string,
  ) {}

  tokenize(word: string, out: ModelOutput): void {
    let id = this.v.get(word);
    let token = word;
    if (id === undefined) {
      id = this.v.get(this.unkToken);
      token = this.unkToken;
      if (id === undefined)
        throw new TokenizerConfigError(
          `WordLevel: unk token ${JSON.stringify(this.unkToken)} is missing from the vocabulary`,
        );
    }
    out.ids.push(id);
    out.tokens.push(token);
    out.starts.push(0);
    out.ends.push(word.length);
  }

  tokenToId(token: string): number | undefined {
    return this.v.get(token);
  }
  idToToken(id: number): string | undefined {
    return this.v.byId[id];
  }
  vocabSize(): number {
    return this.v.size;
  }
}
