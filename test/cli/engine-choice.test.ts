/**
 * Engine choice as a user meets it: `--engine auto` takes a hardware GPU or falls back to the CPU
 * engine and says why; `--engine gpu` takes any adapter and says when it is SwiftShader.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { encodePng } from '../../src/io/png.js';
import { SWIFTSHADER_ICD } from '../../src/platform/node-gpu.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const cli = join(root, 'dist/src/cli/main.js');
const dir = mkdtempSync(join(tmpdir(), 'xray-engine-choice-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const input = join(dir, 'in.png');
writeFileSync(input, encodePng({ width: 9, height: 7, data: Uint8Array.from({ length: 63 }, (_, i) => (i * 37) % 256) }));

function filter(engine: string, env: Record<string, string | undefined>) {
  const { status, stderr } = spawnSync(process.execPath, [cli, 'filter', input, '--op', 'sobel-magnitude', '--engine', engine, '--out', join(dir, `${engine}.npy`)], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 120_000,
  });
  return { status, stderr };
}

describe('--engine', () => {
  const noAdapter = { VK_ICD_FILENAMES: join(dir, 'no-such-driver.json'), VK_DRIVER_FILES: undefined };

  it('auto without any WebGPU adapter runs on the CPU engine and says so', () => {
    const run = filter('auto', noAdapter);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/engine: cpu \(float64 reference, WebAssembly SIMD\); auto: no WebGPU adapter available/);
    expect(existsSync(join(dir, 'auto.npy'))).toBe(true);
  });

  it('gpu without any WebGPU adapter fails with one clear line', () => {
    const run = filter('gpu', noAdapter);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/xray-gpu: .*adapter/i);
  });

  it.skipIf(!existsSync(SWIFTSHADER_ICD))('auto passes over SwiftShader (an emulation) for the CPU engine; gpu takes it and says it is one (skipped without SwiftShader)', () => {
    const env = { VK_ICD_FILENAMES: SWIFTSHADER_ICD };
    const auto = filter('auto', env);
    expect(auto.status, auto.stderr).toBe(0);
    expect(auto.stderr).toMatch(/^engine: cpu \(float64 reference, WebAssembly SIMD\); auto: no hardware GPU: the only adapter is SwiftShader \(Vulkan, CPU emulation\)\n$/);
    const gpu = filter('gpu', env);
    expect(gpu.status, gpu.stderr).toBe(0);
    expect(gpu.stderr).toBe('engine: gpu: SwiftShader (Vulkan, CPU emulation), correct but slower than the cpu engine\n');
  });
});

describe('stderr holds only xray-gpu lines', () => {
  // Dawn, the Vulkan loader and the drivers write to fd 2 directly; these runs start as a user's
  // shell would (no XDG_RUNTIME_DIR in a container or CI) and must print nothing of theirs.
  const bare = { XDG_RUNTIME_DIR: undefined, VK_LOADER_DRIVERS_DISABLE: undefined, VK_LOADER_DEBUG: undefined };
  const xrayLine = /^(engine: cpu|gpu: |xray-gpu: )/;
  function run(args: string[], env: Record<string, string | undefined>) {
    const merged: Record<string, string | undefined> = { ...process.env, ...env };
    for (const key of Object.keys(merged)) if (merged[key] === undefined) delete merged[key];
    return spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: merged, timeout: 120_000 });
  }
  const cases: [string, Record<string, string | undefined>][] = [["the machine's own drivers", { ...bare, VK_ICD_FILENAMES: undefined, VK_DRIVER_FILES: undefined }]];
  if (existsSync(SWIFTSHADER_ICD)) cases.push(['SwiftShader named in VK_ICD_FILENAMES', { ...bare, VK_ICD_FILENAMES: SWIFTSHADER_ICD }]);
  for (const [name, env] of cases) {
    it(`stats, filter and info on --engine auto with ${name}`, () => {
      for (const args of [['stats', input], ['filter', input, '--op', 'sobel', '--out', join(dir, 'quiet.npy')]]) {
        const result = run(args, env);
        expect(result.status, result.stderr).toBe(0);
        const lines = result.stderr.split('\n').filter((line) => line !== '');
        expect(lines.length, result.stderr).toBe(1);
        expect(lines[0]).toMatch(xrayLine);
        expect(lines[0]).not.toMatch(/subzero|swiftshader-device/);
      }
      const info = run(['info'], env);
      // info may fail without any adapter; then its one line is xray-gpu's.
      expect(info.stderr.split('\n').filter((line) => line !== '' && !xrayLine.test(line))).toEqual([]);
    });
  }
});
