import {
  checkInputs,
  checkModelLimits,
  checkTokens,
  ProblemError,
  parseModelConfig,
  type ResolvedModel,
  readLimits,
  readValidJson,
  resolveModel,
  type ServerEnv,
  type ServiceApp,
} from "@edgeformers/server";
import type { EncodeOptions, Encoding, Offset, Tokenizer } from "@edgeformers/tokenizers";
import type { Context } from "hono";
import type { TokenizeBindings } from "./index.js";
import { utf16ToUtf8Offsets } from "./offsets.js";
import { DecodeRequest, TeiDecodeRequest, TeiTokenizeRequest, TokenizeRequest } from "./schemas.js";
import { getTokenizer } from "./tokenizers.js";

type AppContext = Context<ServerEnv<TokenizeBindings>>;

async function tokenizerFor(
  c: AppContext,
  requested: string | undefined,
): Promise<{ name: string; model: ResolvedModel; tokenizer: Tokenizer }> {
  const model = resolveModel(parseModelConfig(c.env.MODEL_CONFIG), requested);
  return { name: model.name, model, tokenizer: await getTokenizer(model, c.env, c.get("metrics")) };
}

function truncationOf(request: TokenizeRequest): EncodeOptions["truncation"] {
  const { truncation, max_length: maxLength, stride, truncation_side: direction } = request;
  if (truncation === false || truncation === "do_not_truncate") return false;
  if (truncation === undefined && maxLength === undefined) return undefined;
  const strategy = typeof truncation === "string" ? truncation : "longest_first";
  return {
    ...(maxLength === undefined ? {} : { maxLength }),
    strategy,
    stride,
    direction,
  } as EncodeOptions["truncation"];
}

function paddingOf(request: TokenizeRequest): EncodeOptions["padding"] {
  const { padding } = request;
  if (padding === undefined) return undefined;
  if (padding === false || padding === "do_not_pad") return false;
  return {
    strategy: padding === "max_length" ? "max_length" : "longest",
    ...(padding === "max_length" && request.max_length !== undefined ? { maxLength: request.max_length } : {}),
    ...(request.pad_to_multiple_of === undefined ? {} : { padToMultipleOf: request.pad_to_multiple_of }),
    direction: request.padding_side,
  };
}

function offsetsIn(
  unit: "utf16" | "codepoint" | "utf8",
  encoding: Encoding,
  source: { text: string; pair?: string },
): Offset[] {
  if (unit !== "utf8") return encoding.offsets;
  // Offsets of the pair's tokens count within the pair text, as in the tokenizer.
  return encoding.offsets.map((offset, i) => {
    const sequence = encoding.sequenceIds[i];
    if (sequence === null) return offset;
    const text = sequence === 1 ? (source.pair ?? "") : source.text;
    return utf16ToUtf8Offsets(text, [offset])[0] as Offset;
  });
}

function tokenCount(encodings: readonly Encoding[]): number {
  return encodings.reduce((sum, e) => sum + e.attentionMask.reduce((a, b) => a + b, 0), 0);
}

/** Registers the tokenize worker's task routes. */
export function registerRoutes(app: ServiceApp<TokenizeBindings>): void {
  documentRoutes(app);
  app.post("/v1/tokenize", async (c) => {
    const request = await readValidJson(c, TokenizeRequest);
    if ((request.text === undefined) === (request.texts === undefined)) {
      throw new ProblemError({
        status: 422,
        slug: "invalid-field",
        detail: "Give exactly one of text or texts.",
        field: "text",
      });
    }
    const batched = Array.isArray(request.text) || request.texts !== undefined || request.return_overflowing_tokens;
    const texts = request.texts ?? (Array.isArray(request.text) ? request.text : [request.text as string]);
    const pairs =
      request.text_pair === undefined
        ? undefined
        : Array.isArray(request.text_pair)
          ? request.text_pair
          : [request.text_pair];
    if (pairs !== undefined && pairs.length !== texts.length) {
      throw new ProblemError({
        status: 422,
        slug: "invalid-field",
        detail: `text_pair has ${pairs.length} entries but text has ${texts.length}.`,
        field: "text_pair",
      });
    }
    const limits = readLimits(c.env);
    checkInputs(texts, request.texts ? "texts" : "text", limits);
    if (pairs) checkInputs(pairs, "text_pair", limits);

    const { name, model, tokenizer } = await tokenizerFor(c, request.model);
    const options: EncodeOptions = {
      addSpecialTokens: request.add_special_tokens,
      truncation: truncationOf(request),
      padding: paddingOf(request),
      offsets: request.offsets === "codepoint" ? "codepoint" : "utf16",
    };
    const inputs = texts.map((text, i) => (pairs ? ([text, pairs[i]] as [string, string]) : text));
    const encodings = tokenizer.encodeBatch(inputs, options);

    // Python's return_overflowing_tokens: every window is a row, mapped back to its sample.
    const rows: { encoding: Encoding; sample: number }[] = [];
    encodings.forEach((encoding, sample) => {
      rows.push({ encoding, sample });
      if (request.return_overflowing_tokens)
        for (const window of encoding.overflowing) rows.push({ encoding: window, sample });
    });
    const tokens = tokenCount(rows.map((r) => r.encoding));
    checkTokens(tokens, limits);
    checkModelLimits(model, texts.length, tokens, request.texts ? "texts" : "text");
    c.get("metrics").addTokens(name, tokens);

    const column = <T>(pick: (encoding: Encoding, sample: number) => T): T | T[] => {
      const values = rows.map(({ encoding, sample }) => pick(encoding, sample));
      return batched ? values : (values[0] as T);
    };
    const body: Record<string, unknown> = { model: name, input_ids: column((e) => e.ids) };
    if (request.return_tokens) body.tokens = column((e) => e.tokens);
    if (request.return_token_type_ids) body.token_type_ids = column((e) => e.typeIds);
    if (request.return_attention_mask) body.attention_mask = column((e) => e.attentionMask);
    if (request.return_special_tokens_mask) body.special_tokens_mask = column((e) => e.specialTokensMask);
    if (request.return_offsets_mapping) {
      body.offset_mapping = column((e, sample) =>
        offsetsIn(request.offsets, e, { text: texts[sample] as string, pair: pairs?.[sample] }),
      );
    }
    if (request.return_word_ids) body.word_ids = column((e) => e.wordIds);
    if (request.return_sequence_ids) body.sequence_ids = column((e) => e.sequenceIds);
    if (request.return_overflowing_tokens) body.overflow_to_sample_mapping = rows.map((r) => r.sample);
    body.usage = { tokens };
    return c.json(body);
  });

  app.post("/v1/decode", async (c) => {
    const request = await readValidJson(c, DecodeRequest);
    const { name, tokenizer } = await tokenizerFor(c, request.model);
    const options = {
      skipSpecialTokens: request.skip_special_tokens,
      ...(request.clean_up_tokenization_spaces === undefined
        ? {}
        : { cleanUpTokenizationSpaces: request.clean_up_tokenization_spaces }),
    };
    const batched = Array.isArray(request.ids[0]);
    const lists = batched ? (request.ids as number[][]) : [request.ids as number[]];
    if (lists.length > readLimits(c.env).maxInputs)
      checkInputs(
        lists.map(() => ""),
        "ids",
        readLimits(c.env),
      );
    checkIds(lists, tokenizer);
    const texts = lists.map((ids) => tokenizer.decode(ids, options));
    return c.json({ model: name, text: batched ? texts : texts[0] });
  });

  // Text Embeddings Inference's tokenizer routes: byte offsets, special tokens without spans.
  app.post("/tokenize", async (c) => {
    const request = await readValidJson(c, TeiTokenizeRequest);
    const texts = Array.isArray(request.inputs) ? request.inputs : [request.inputs];
    const limits = readLimits(c.env);
    checkInputs(texts, "inputs", limits);
    const { name, model, tokenizer } = await tokenizerFor(c, request.model);
    const encodings = tokenizer.encodeBatch(texts, { addSpecialTokens: request.add_special_tokens });
    checkTokens(tokenCount(encodings), limits);
    checkModelLimits(model, texts.length, tokenCount(encodings), "inputs");
    c.get("metrics").addTokens(name, tokenCount(encodings));
    const encoder = new TextEncoder();
    const decoder = new TextDecoder();
    return c.json(
      encodings.map((encoding, index) => {
        const text = texts[index] as string;
        const bytes = encoder.encode(text);
        const byteOffsets = utf16ToUtf8Offsets(text, encoding.offsets);
        return encoding.ids.map((id, i) => {
          if (encoding.specialTokensMask[i] === 1) {
            return { id, text: encoding.tokens[i], special: true, start: null, stop: null };
          }
          const [start, stop] = byteOffsets[i] as Offset;
          return { id, text: decoder.decode(bytes.subarray(start, stop)), special: false, start, stop };
        });
      }),
    );
  });

  app.post("/decode", async (c) => {
    const request = await readValidJson(c, TeiDecodeRequest);
    const { tokenizer } = await tokenizerFor(c, request.model);
    const lists = Array.isArray(request.ids[0]) ? (request.ids as number[][]) : [request.ids as number[]];
    checkIds(lists, tokenizer);
    return c.json(lists.map((ids) => tokenizer.decode(ids, { skipSpecialTokens: request.skip_special_tokens })));
  });
}

function documentRoutes(app: ServiceApp<TokenizeBindings>): void {
  const tags = ["tokenize"];
  app.docs.add({
    method: "post",
    path: "/v1/tokenize",
    tags,
    summary: "Tokenize text like Python's tokenizer(text, text_pair, ...)",
    description:
      "A string input gives flat lists; a list gives one row per input (overflow windows included when asked).",
    body: TokenizeRequest,
    responses: { 200: { description: "input_ids, tokens, masks, offsets and word ids, plus usage.tokens" } },
  });
  app.docs.add({
    method: "post",
    path: "/v1/decode",
    tags,
    summary: "Decode ids like Python's decode / batch_decode",
    body: DecodeRequest,
    responses: { 200: { description: "{ model, text } with text a string or a list" } },
  });
  app.docs.add({
    method: "post",
    path: "/tokenize",
    tags: ["tei"],
    summary: "Text Embeddings Inference: tokenize, with UTF-8 byte offsets",
    body: TeiTokenizeRequest,
    responses: { 200: { description: "[[{ id, text, special, start, stop }]]" } },
  });
  app.docs.add({
    method: "post",
    path: "/decode",
    tags: ["tei"],
    summary: "Text Embeddings Inference: decode",
    body: TeiDecodeRequest,
    responses: { 200: { description: "a list of strings" } },
  });
}

/** An id outside the vocabulary is the client's error, named by its position. */
function checkIds(lists: readonly number[][], tokenizer: Tokenizer): void {
  lists.forEach((ids, row) => {
    const bad = ids.findIndex((id) => tokenizer.idToToken(id) === undefined);
    if (bad >= 0) {
      throw new ProblemError({
        status: 422,
        slug: "invalid-field",
        detail: `Token id ${ids[bad]} is not in the vocabulary (size ${tokenizer.vocabSize}).`,
        field: lists.length === 1 && !Array.isArray(ids) ? `ids.${bad}` : `ids.${row}.${bad}`,
      });
    }
  });
}
