/**
 * The light install (`npm install xray-gpu --omit=optional`): without `webgpu` or `@napi-rs/canvas`
 * whatever needs one fails with one line saying what to install, and `--engine auto` runs on the CPU.
 * XRAY_GPU_HIDE_PACKAGES makes a package look missing (src/platform/optional-package.ts).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { encodePng } from '../../src/io/png.js';
import { MissingPackageError, importOptional, isHidden, loadOptional } from '../../src/platform/optional-package.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const cli = join(root, 'dist/src/cli/main.js');
const dir = mkdtempSync(join(tmpdir(), 'xray-optional-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const input = join(dir, 'in.png');
writeFileSync(input, encodePng({ width: 9, height: 7, data: Uint8Array.from({ length: 63 }, (_, i) => (i * 37) % 256) }));

function xrayGpu(args: string[], hide: string) {
  return spawnSync(process.execPath, [cli, ...args], {
    encoding: 'utf8',
    env: { ...process.env, XRAY_GPU_HIDE_PACKAGES: hide },
    timeout: 120_000,
  });
}

describe('optional packages missing, on the command line', () => {
  it('--engine auto without webgpu runs on the CPU engine and says why in its one line', () => {
    const run = xrayGpu(['filter', input, '--op', 'sobel-magnitude', '--engine', 'auto', '--out', join(dir, 'auto.npy')], 'webgpu');
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/^engine: cpu \(.+\); auto: the optional package `webgpu` is not installed\n$/);
    expect(existsSync(join(dir, 'auto.npy'))).toBe(true);
  });

  it('--engine gpu without webgpu fails with one line saying what to install', () => {
    const run = xrayGpu(['filter', input, '--op', 'sobel-magnitude', '--engine', 'gpu', '--out', join(dir, 'gpu.npy')], 'webgpu');
    expect(run.status).not.toBe(0);
    expect(run.stderr).toBe('xray-gpu: the GPU engine in Node needs the optional package `webgpu`: npm install webgpu\n');
  });

  it('drawing figures without @napi-rs/canvas fails with one line saying what to install', () => {
    const run = xrayGpu(['run', input, '--engine', 'cpu', '--quiet', '--out', join(dir, 'run')], '@napi-rs/canvas');
    expect(run.status).not.toBe(0);
    expect(run.stderr).toBe('xray-gpu: drawing figures and plots needs the optional package `@napi-rs/canvas`: npm install @napi-rs/canvas\n');
  });

  it('commands that need neither still work with both hidden', () => {
    const run = xrayGpu(['stats', input, '--engine', 'cpu'], 'webgpu,@napi-rs/canvas');
    expect(run.status, run.stderr).toBe(0);
  });
});

describe('loadOptional / importOptional', () => {
  const notFound = Object.assign(new Error("Cannot find package 'some-addon' imported from /x.js"), { code: 'ERR_MODULE_NOT_FOUND' });

  it('turns "not found" of the package itself into a MissingPackageError', async () => {
    const error = (() => {
      try {
        loadOptional('some-addon', 'doing X', () => {
          throw notFound;
        });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(MissingPackageError);
    expect((error as Error).message).toBe('doing X needs the optional package `some-addon`: npm install some-addon');
    expect((error as Error).cause).toBe(notFound);
    // A real dynamic import of a package that is not there.
    await expect(importOptional('xray-gpu-no-such-package', 'doing Y', () => import('xray-gpu-no-such-package' as string))).rejects.toThrow(
      'doing Y needs the optional package `xray-gpu-no-such-package`: npm install xray-gpu-no-such-package',
    );
  });

  it('reports a package that is installed but fails to load, with the first line of why', async () => {
    const broken = new Error('dawn.node: invalid ELF header\n  at stack');
    await expect(
      importOptional('webgpu', 'the GPU engine in Node', () => Promise.reject(broken)),
    ).rejects.toThrow(/^the GPU engine in Node needs the optional package `webgpu`, which is installed but failed to load: dawn\.node: invalid ELF header$/);
    // A module *inside* the package that is missing is not the package missing.
    const inner = Object.assign(new Error("Cannot find module '/x/node_modules/webgpu/dist/dawn.node'"), { code: 'MODULE_NOT_FOUND' });
    expect(() => loadOptional('webgpu', 'X', () => { throw inner; })).toThrow(/installed but failed to load/);
  });

  it('reads XRAY_GPU_HIDE_PACKAGES as a comma-separated list', () => {
    expect(isHidden('webgpu', { XRAY_GPU_HIDE_PACKAGES: ' @napi-rs/canvas , webgpu' })).toBe(true);
    expect(isHidden('webgpu', { XRAY_GPU_HIDE_PACKAGES: 'webgpu-extra' })).toBe(false);
    expect(isHidden('webgpu', {})).toBe(false);
  });
});
