/**
 * OpRequest is a union discriminated by `op`: a TypeScript user who gives an op a parameter it does
 * not take gets a compile error, not a run-time one. Compiles snippets against src/filters/ops.ts
 * (whose types the root entry re-exports) in strict mode and checks the diagnostics.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/golden.js';

const dir = mkdtempSync(join(tmpdir(), 'xray-types-'));
writeFileSync(join(dir, 'package.json'), '{ "type": "module" }');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Type-checks each snippet (after an import of the public entry) and returns its error messages. */
function compile(snippets: Record<string, string>): Record<string, string[]> {
  const entry = join(REPO_ROOT, 'src', 'filters', 'ops.js');
  const files = Object.entries(snippets).map(([name, code]) => {
    const file = join(dir, `${name}.ts`);
    writeFileSync(file, `import type { OpRequest, OpRequestOf } from ${JSON.stringify(entry)};\n${code}\nexport {};\n`);
    return file;
  });
  // The project's strictness, without its build layout; only the ops module's graph gets checked.
  const program = ts.createProgram(files, {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2023.d.ts'],
    types: [],
    skipLibCheck: true,
    noEmit: true,
  });
  const result: Record<string, string[]> = {};
  Object.keys(snippets).forEach((name, i) => {
    const source = program.getSourceFile(files[i]);
    result[name] = ts.getPreEmitDiagnostics(program, source).map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' '));
  });
  return result;
}

describe('OpRequest types', () => {
  it('accepts each op with its own parameters and rejects parameters of other ops', () => {
    const errors = compile({
      good: [
        "const a: OpRequest = { op: 'sobel', axis: -1, mode: 'wrap' };",
        "const b: OpRequest[] = [{ op: 'gaussian', sigma: [1, 2], order: 1, truncate: 3 }, { op: 'mask', threshold: 9 }];",
        "const c: OpRequestOf<'canny'> = { op: 'canny', lowThreshold: 5, useQuantiles: false };",
        'void a; void b; void c;',
      ].join('\n'),
      sobelSigma: "const r: OpRequest = { op: 'sobel', sigma: 2 }; void r;",
      maskMode: "const r: OpRequest[] = [{ op: 'mask', mode: 'wrap' }]; void r;",
      badAxis: "const r: OpRequest = { op: 'prewitt', axis: 2 }; void r;",
      badOp: "const r: OpRequest = { op: 'blur' }; void r;",
      cannyTruncate: "const r: OpRequest = { op: 'canny', truncate: 3 }; void r;",
    });
    expect(errors.good).toEqual([]);
    expect(errors.sobelSigma.join('\n')).toMatch(/'sigma' does not exist in type 'SobelRequest'/);
    expect(errors.maskMode.join('\n')).toMatch(/'mode' does not exist in type 'MaskRequest'/);
    expect(errors.badAxis.join('\n')).toMatch(/Type '2' is not assignable to type 'AxisInput/);
    expect(errors.badOp.join('\n')).toMatch(/'"blur"' is not assignable/);
    expect(errors.cannyTruncate.join('\n')).toMatch(/'truncate' does not exist in type 'CannyRequest'/);
  });
});
