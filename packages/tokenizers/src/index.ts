export { TokenizerConfigError } from "./components.js";
export type { DecodeOptions, EncodeOptions, PaddingOptions, TruncationOptions } from "./options.js";
export { Encoding, type Offset } from "./public-encoding.js";
export { type EncodeInput, type SpecialTokens, Tokenizer } from "./tokenizer.js";
