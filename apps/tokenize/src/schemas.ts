import * as z from "zod";

const text = z.string();
const textOrTexts = z.union([text, z.array(text).min(1)]);

/**
 * `POST /v1/tokenize`: the Python `tokenizer(text, text_pair, ...)` call as JSON, with the
 * same option names and defaults. A string input gives flat lists, a list gives one row per
 * input, exactly like a Python BatchEncoding.
 */
export const TokenizeRequest = z
  .object({
    model: z.string().min(1).optional(),
    text: textOrTexts.optional(),
    /** Alias of a list-valued `text`. */
    texts: z.array(text).min(1).optional(),
    text_pair: textOrTexts.optional(),
    add_special_tokens: z.boolean().default(true),
    // Unset: the tokenizer.json truncation block applies, or longest_first when max_length is given (as in Python).
    truncation: z
      .union([z.boolean(), z.enum(["longest_first", "only_first", "only_second", "do_not_truncate"])])
      .optional(),
    max_length: z.number().int().positive().optional(),
    stride: z.number().int().min(0).default(0),
    truncation_side: z.enum(["right", "left"]).default("right"),
    // Unset: the tokenizer.json padding block applies.
    padding: z.union([z.boolean(), z.enum(["longest", "max_length", "do_not_pad"])]).optional(),
    pad_to_multiple_of: z.number().int().positive().optional(),
    padding_side: z.enum(["right", "left"]).default("right"),
    /** Offsets in UTF-16 code units (JavaScript `slice`), code points (Python) or UTF-8 bytes (Rust). */
    offsets: z.enum(["utf16", "codepoint", "utf8"]).default("utf16"),
    return_tokens: z.boolean().default(true),
    return_token_type_ids: z.boolean().default(true),
    return_attention_mask: z.boolean().default(true),
    return_special_tokens_mask: z.boolean().default(false),
    return_offsets_mapping: z.boolean().default(false),
    return_word_ids: z.boolean().default(false),
    return_sequence_ids: z.boolean().default(false),
    return_overflowing_tokens: z.boolean().default(false),
  })
  .strict();
export type TokenizeRequest = z.output<typeof TokenizeRequest>;

/** `POST /v1/decode`: Python's `decode` / `batch_decode`. */
export const DecodeRequest = z
  .object({
    model: z.string().min(1).optional(),
    ids: z.union([z.array(z.number().int().min(0)), z.array(z.array(z.number().int().min(0)))]),
    skip_special_tokens: z.boolean().default(false),
    clean_up_tokenization_spaces: z.boolean().optional(),
  })
  .strict();
export type DecodeRequest = z.output<typeof DecodeRequest>;

/** TEI `POST /tokenize`. */
export const TeiTokenizeRequest = z.object({
  model: z.string().min(1).optional(),
  inputs: textOrTexts,
  add_special_tokens: z.boolean().default(true),
});

/** TEI `POST /decode` (TEI skips special tokens by default). */
export const TeiDecodeRequest = z.object({
  model: z.string().min(1).optional(),
  ids: z.union([z.array(z.number().int().min(0)), z.array(z.array(z.number().int().min(0)))]),
  skip_special_tokens: z.boolean().default(true),
});
