export { Tokenizer, type EncodeInput, type SpecialTokens } from "./tokenizer.js";
export { Encoding, type Offset } from "./public-encoding.js";
export type { EncodeOptions, DecodeOptions, TruncationOptions, PaddingOptions } from "./options.js";
export { TokenizerConfigError } from "./components.js";
