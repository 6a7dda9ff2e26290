/**
 * Sharded safetensors (`model.safetensors.index.json` + `model-0000N-of-0000M.safetensors`):
 * one TensorStore over all shards, each tensor read from the shard the index names.
 */
import type { Dtype, DtypeArrays } from "./dtypes.js";
import { ModelFolderError, SafetensorsError } from "./errors.js";
import type { SafetensorsFile, TensorInfo, TensorStore } from "./safetensors.js";

export class ShardedTensorStore implements TensorStore {
  readonly names: readonly string[];

  /**
   * @param indexFile name of the index, for errors
   * @param weightMap tensor name → shard file, from the index
   * @param shards shard file → parsed file
   */
  constructor(
    readonly indexFile: string,
    private readonly weightMap: ReadonlyMap<string, string>,
    shards: ReadonlyMap<string, SafetensorsFile>,
  ) {
    for (const [tensor, shard] of weightMap) {
      const file = shards.get(shard);
      if (!file)
        throw new ModelFolderError(`tensor "${tensor}" is mapped to shard "${shard}", which was not loaded`, indexFile);
      if (!file.has(tensor))
        throw new ModelFolderError(`tensor "${tensor}" is mapped to "${shard}", which does not contain it`, indexFile);
    }
    this.shards = shards;
    this.names = [...weightMap.keys()];
  }

  private readonly shards: ReadonlyMap<string, SafetensorsFile>;

  private fileOf(name: string): SafetensorsFile {
    const shard = this.weightMap.get(name);
    if (shard === undefined) throw new SafetensorsError("no such tensor in any shard", this.indexFile, name);
    return this.shards.get(shard)!;
  }

  has(name: string): boolean {
    return this.weightMap.has(name);
  }

  info(name: string): TensorInfo {
    return this.fileOf(name).info(name);
  }

  view<D extends Dtype>(name: string, dtype?: D): DtypeArrays[D] {
    return this.fileOf(name).view(name, dtype);
  }

  float32(name: string): Float32Array {
    return this.fileOf(name).float32(name);
  }
}

/** Reads the index JSON (already parsed) into tensor → shard, naming the file on any problem. */
export function readWeightMap(index: unknown, indexFile: string): Map<string, string> {
  const weightMap = (index as { weight_map?: unknown } | null)?.weight_map;
  if (weightMap === null || typeof weightMap !== "object" || Array.isArray(weightMap)) {
    throw new ModelFolderError('"weight_map" must be an object of tensor name → shard file', indexFile);
  }
  const map = new Map<string, string>();
  for (const [tensor, shard] of Object.entries(weightMap as Record<string, unknown>)) {
    if (typeof shard !== "string" || !shard.endsWith(".safetensors")) {
      throw new ModelFolderError(
        `weight_map["${tensor}"] must name a .safetensors file, got ${JSON.stringify(shard)}`,
        indexFile,
      );
    }
    map.set(tensor, shard);
  }
  if (map.size === 0) throw new ModelFolderError('"weight_map" is empty', indexFile);
  return map;
}
