/**
 * Named errors of the engine. Each one carries the file (and, where it applies, the tensor or
 * field) it is about, so a caller can tell a broken upload from a missing one without parsing
 * the message, and the message itself names them for a human reading a log.
 */

/** A safetensors file is truncated, malformed, or lies about its contents. */
export class SafetensorsError extends Error {
  override readonly name = "SafetensorsError";
  constructor(
    message: string,
    readonly file: string,
    readonly tensor?: string,
  ) {
    super(tensor === undefined ? `${file}: ${message}` : `${file}: tensor "${tensor}": ${message}`);
  }
}

/** A model source could not deliver a file it should have (I/O or HTTP failure, not "absent"). */
export class ModelSourceError extends Error {
  override readonly name = "ModelSourceError";
  constructor(
    message: string,
    readonly path: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A model folder is missing a required file, has a malformed one, or describes something unsupported. */
export class ModelFolderError extends Error {
  override readonly name = "ModelFolderError";
  constructor(
    message: string,
    readonly file: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}: ${message}`, options);
  }
}
