/**
 * Dawn keeps a Node process alive while its instance or a device is referenced. A CLI-like use
 * (nodeGpu → createGpuEngine → run → dispose → releaseNodeGpu) must let the process exit by itself.
 * The engine's sources are transpiled with TypeScript into node_modules/.cache (so `webgpu`
 * resolves) and run in a child `node`, which must exit 0 well within the timeout.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';
import { expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/golden.js';
import { REQUIRE_GPU } from '../helpers/gpu.js';

const OUT_DIR = join(REPO_ROOT, 'node_modules', '.cache', 'xray-gpu-exit-test');
const EXIT_TIMEOUT_MS = 60_000;

/** Transpiles `entry` and every relative import it reaches into OUT_DIR, keeping the layout. */
function transpileTree(entries: string[]): void {
  const seen = new Set<string>();
  const queue = [...entries];
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(/from '(\.{1,2}\/[^']+)\.js'/g)) queue.push(join(dirname(file), `${match[1]}.ts`));
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      fileName: file,
    });
    const out = join(OUT_DIR, relative(REPO_ROOT, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, outputText);
  }
}

const CHILD = `
import { nodeGpu, releaseNodeGpu } from './src/platform/node-gpu.js';
import { createGpuEngine } from './src/gpu/engine.js';
let engine;
try {
  engine = await createGpuEngine({ gpu: nodeGpu() });
} catch (error) {
  console.log('no-gpu ' + error.message);
}
if (engine) {
  const data = new Uint8Array(64).map((_, i) => i * 3);
  const [out] = await engine.run({ width: 8, height: 8, data }, [{ op: 'gaussian', sigma: 1 }]);
  await engine.dispose();
  releaseNodeGpu();
  console.log('ok ' + out.data.length);
}
`;

it('lets a process that used the GPU engine exit by itself after dispose() and releaseNodeGpu()', async () => {
  rmSync(OUT_DIR, { recursive: true, force: true });
  transpileTree([join(REPO_ROOT, 'src/platform/node-gpu.ts'), join(REPO_ROOT, 'src/gpu/engine.ts')]);
  writeFileSync(join(OUT_DIR, 'child.mjs'), CHILD);
  const started = Date.now();
  const child = spawn(process.execPath, [join(OUT_DIR, 'child.mjs')], { cwd: OUT_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), EXIT_TIMEOUT_MS);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('exit', (c, s) => resolve([c, s])));
  clearTimeout(timer);
  const report = `exit ${code} signal ${signal} after ${Date.now() - started} ms\nstdout: ${stdout}\nstderr: ${stderr}`;
  expect(signal, `the child was still running after ${EXIT_TIMEOUT_MS} ms: ${report}`).toBeNull();
  expect(code, report).toBe(0);
  if (REQUIRE_GPU) expect(stdout, report).toMatch(/^ok 64$/m);
  else expect(stdout, report).toMatch(/^(ok 64|no-gpu .*)$/m);
}, EXIT_TIMEOUT_MS + 10_000);
