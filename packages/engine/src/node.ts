/** Node-only parts of the engine: reading models from a local directory and caching downloads on disk. */
export * from "./index.js";
export { DirectorySource } from "./sources/directory.js";
export { diskCache } from "./sources/disk-cache.js";
