import type { PostProcessor } from "../components.js";
import { asArray, asObject, configError } from "../components.js";
import { RawEncoding } from "../encoding.js";

type Piece = { kind: "sequence"; seq: 0 | 1; typeId: number } | { kind: "special"; id: string; typeId: number };

interface SpecialToken {
  ids: number[];
  tokens: string[];
}

/** Parses one template piece in string form: `$A`, `$B:1`, `$1`, `[CLS]`, `[SEP]:1`. */
function parsePieceString(s: string, path: string): Piece {
  const colon = s.lastIndexOf(":");
  let body = s;
  let typeId: number | null = null;
  if (colon > 0 && /^\d+$/.test(s.slice(colon + 1))) {
    body = s.slice(0, colon);
    typeId = Number(s.slice(colon + 1));
  } else if (colon > 0 && s.startsWith("$")) configError(path, `invalid template piece ${JSON.stringify(s)}`);
  if (body.startsWith("$")) {
    const rest = body.slice(1);
    if (rest === "" || rest === "A") return { kind: "sequence", seq: 0, typeId: typeId ?? 0 };
    if (rest === "B") return { kind: "sequence", seq: 1, typeId: typeId ?? 0 };
    if (/^\d+$/.test(rest) && typeId === null) return { kind: "sequence", seq: 0, typeId: Number(rest) };
    configError(path, `invalid template piece ${JSON.stringify(s)}`);
  }
  return { kind: "special", id: body, typeId: typeId ?? 0 };
}

function parseTemplate(value: unknown, path: string): Piece[] {
  if (typeof value === "string")
    return value
      .split(/\s+/)
      .filter(Boolean)
      .map((p, i) => parsePieceString(p, `${path}[${i}]`));
  return asArray(value, path).map((item, i): Piece => {
    const p = `${path}[${i}]`;
    if (typeof item === "string") return parsePieceString(item, p);
    const obj = asObject(item, p);
    if (obj.Sequence) {
      const s = asObject(obj.Sequence, `${p}.Sequence`);
      if (s.id !== "A" && s.id !== "B") configError(`${p}.Sequence.id`, "expected A or B");
      return { kind: "sequence", seq: s.id === "A" ? 0 : 1, typeId: Number(s.type_id ?? 0) } as Piece;
    }
    if (obj.SpecialToken) {
      const s = asObject(obj.SpecialToken, `${p}.SpecialToken`);
      if (typeof s.id !== "string") configError(`${p}.SpecialToken.id`, "expected a string");
      return { kind: "special", id: s.id, typeId: Number(s.type_id ?? 0) } as Piece;
    }
    return configError(p, "expected {Sequence: ...} or {SpecialToken: ...}");
  });
}

export class TemplateProcessing implements PostProcessor {
  private readonly single: Piece[];
  private readonly pair: Piece[];
  private readonly specials = new Map<string, SpecialToken>();

  constructor(json: Record<string, unknown>, path: string) {
    this.single = parseTemplate(json.single ?? "$0", `${path}.single`);
    this.pair = parseTemplate(json.pair ?? "$A:0 $B:1", `${path}.pair`);
    const st = json.special_tokens;
    if (st !== undefined && st !== null) {
      const obj = asObject(st, `${path}.special_tokens`);
      for (const key of Object.keys(obj)) {
        const t = asObject(obj[key], `${path}.special_tokens.${key}`);
        const ids = asArray(t.ids, `${path}.special_tokens.${key}.ids`) as number[];
        const tokens = asArray(t.tokens, `${path}.special_tokens.${key}.tokens`) as string[];
        if (ids.length !== tokens.length)
          configError(`${path}.special_tokens.${key}`, "ids and tokens differ in length");
        this.specials.set(typeof t.id === "string" ? t.id : key, { ids, tokens });
      }
    }
    for (const [name, tpl] of [
      ["single", this.single],
      ["pair", this.pair],
    ] as const) {
      for (const p of tpl) {
        if (p.kind === "special" && !this.specials.has(p.id)) {
          configError(`${path}.${name}`, `special token ${JSON.stringify(p.id)} is missing from special_tokens`);
        }
      }
    }
  }

  /** Whether sequence `seq` appears more than once in the template. */
  private reused(template: Piece[], seq: number): boolean {
    let n = 0;
    for (const p of template) if (p.kind === "sequence" && p.seq === seq) n++;
    return n > 1;
  }

  addedTokens(isPair: boolean): number {
    let n = 0;
    for (const p of isPair ? this.pair : this.single)
      if (p.kind === "special") n += this.specials.get(p.id)!.ids.length;
    return n;
  }

  processEncodings(encodings: RawEncoding[], addSpecialTokens: boolean): RawEncoding[] {
    const template = encodings.length === 2 ? this.pair : this.single;
    const out: RawEncoding[] = [];
    for (const piece of template) {
      if (piece.kind === "sequence") {
        const e = encodings[piece.seq];
        if (!e) throw new Error("Template refers to a pair sequence that was not given");
        e.typeIds = new Array<number>(e.length).fill(piece.typeId);
        e.setSequenceId(piece.seq);
        // Rust clones here; the merge that follows copies anyway, so a sequence used once
        // in the template can be passed as is.
        out.push(this.reused(template, piece.seq) ? e.clone() : e);
      } else if (addSpecialTokens) {
        const tok = this.specials.get(piece.id)!;
        const n = tok.ids.length;
        const e = new RawEncoding();
        e.ids = tok.ids.slice();
        e.typeIds = new Array<number>(n).fill(piece.typeId);
        e.tokens = tok.tokens.slice();
        e.words = new Array<number | null>(n).fill(null);
        e.starts = new Array<number>(n).fill(0);
        e.ends = new Array<number>(n).fill(0);
        e.specialTokensMask = new Array<number>(n).fill(1);
        e.attentionMask = new Array<number>(n).fill(1);
        e.sources = new Array<number>(n).fill(-1);
        out.push(e);
      }
    }
    return out;
  }

  /**
   * The common case (no overflowing parts) in one pass: what merging the parts built by
   * `processEncodings` gives, without an encoding per special token nor the merge copies.
   */
  processMerged(encodings: RawEncoding[], addSpecialTokens: boolean): RawEncoding | null {
    for (const e of encodings) if (e.overflowing.length > 0) return null;
    const template = encodings.length === 2 ? this.pair : this.single;
    let total = 0;
    for (const piece of template) {
      if (piece.kind === "sequence") {
        const e = encodings[piece.seq];
        if (!e) throw new Error("Template refers to a pair sequence that was not given");
        total += e.length;
      } else if (addSpecialTokens) total += this.specials.get(piece.id)!.ids.length;
    }
    const out = new RawEncoding();
    const ids = new Array<number>(total);
    const typeIds = new Array<number>(total);
    const tokens = new Array<string>(total);
    const words = new Array<number | null>(total);
    const starts = new Array<number>(total);
    const ends = new Array<number>(total);
    const special = new Array<number>(total);
    const attention = new Array<number>(total);
    const sources = new Array<number>(total);
    let k = 0;
    for (const piece of template) {
      if (piece.kind === "sequence") {
        const e = encodings[piece.seq];
        const n = e.length;
        // Rust tags the part with its sequence id; a later use of the same sequence wins.
        out.sequenceRanges.set(piece.seq, [k, k + n]);
        for (let i = 0; i < n; i++, k++) {
          ids[k] = e.ids[i];
          typeIds[k] = piece.typeId;
          tokens[k] = e.tokens[i];
          words[k] = e.words[i];
          starts[k] = e.starts[i];
          ends[k] = e.ends[i];
          special[k] = e.specialTokensMask[i];
          attention[k] = e.attentionMask[i];
          sources[k] = e.sources[i];
        }
      } else if (addSpecialTokens) {
        const tok = this.specials.get(piece.id)!;
        for (let i = 0; i < tok.ids.length; i++, k++) {
          ids[k] = tok.ids[i];
          typeIds[k] = piece.typeId;
          tokens[k] = tok.tokens[i];
          words[k] = null;
          starts[k] = 0;
          ends[k] = 0;
          special[k] = 1;
          attention[k] = 1;
          sources[k] = -1;
        }
      }
    }
    out.ids = ids;
    out.typeIds = typeIds;
    out.tokens = tokens;
    out.words = words;
    out.starts = starts;
    out.ends = ends;
    out.specialTokensMask = special;
    out.attentionMask = attention;
    out.sources = sources;
    return out;
  }
}
