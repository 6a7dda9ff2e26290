/**
 * The engine model must be usable as a @edgeformers/pipelines PipelineModel without adapters.
 * Type-checks test/types/pipeline-model-assignable.ts with the package's tsconfig (the pipelines
 * type is imported in that test file only), plus a control that a non-model is rejected.
 */
import { join, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");

function diagnosticsFor(file: string, extra?: { name: string; text: string }): string[] {
  const configFile = ts.readConfigFile(join(root, "tsconfig.json"), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(configFile.config, ts.sys, root);
  const host = ts.createCompilerHost(parsed.options);
  if (extra) {
    const read = host.getSourceFile.bind(host);
    host.getSourceFile = (name, lang, ...rest) =>
      name === extra.name ? ts.createSourceFile(name, extra.text, lang) : read(name, lang, ...rest);
    const exists = host.fileExists.bind(host);
    host.fileExists = (name) => name === extra.name || exists(name);
  }
  const program = ts.createProgram([file], { ...parsed.options, noEmit: true }, host);
  return ts
    .getPreEmitDiagnostics(program, program.getSourceFile(file))
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
}

describe("loadModel result as a PipelineModel", () => {
  it("type-checks `const m: PipelineModel = model`", () => {
    expect(diagnosticsFor(join(root, "test/types/pipeline-model-assignable.ts"))).toEqual([]);
  });

  it("the same check rejects a model without forward (the test can fail)", () => {
    const name = join(root, "test/types/__control__.ts");
    const text =
      'import type { PipelineModel } from "@edgeformers/pipelines";\n' +
      'import type { Model } from "../../src/index.js";\n' +
      "export function f(model: Omit<Model, 'forward'>): PipelineModel { return model; }\n";
    expect(diagnosticsFor(name, { name, text }).join("\n")).toMatch(/forward/);
  });
});
