/**
 * DirectorySource (the "@edgeformers/engine/node" name) is LocalDirSource, which the main entry
 * exports with lazy node:fs imports.
 */
export { LocalDirSource as DirectorySource } from "./local-dir.js";
