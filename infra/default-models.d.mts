// Types for default-models.mjs.
export type Catalogue = Record<string, { source: string; task: string; backend?: string }>;
export interface AppCatalogues {
  tokenize: Catalogue;
  embed: Catalogue;
  classify: Catalogue;
}
export function fixturesDir(): string;
export function pulledModels(modelsDir?: string): AppCatalogues;
export function defaultModels(): { files: Record<string, string>; config: AppCatalogues; notes: string[] };
