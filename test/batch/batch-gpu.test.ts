/**
 * `xray-gpu batch --engine gpu`: workers decode and encode, the GPU computes same-sized images in one
 * submit and scales PNG outputs to 8 bits itself. Skipped without a WebGPU adapter, unless
 * XRAY_REQUIRE_GPU=1 (CI, with SwiftShader).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCpuEngine } from '../../src/cpu/engine.js';
import { scaleToUint8 } from '../../src/io/image-file.js';
import { decodeNpy } from '../../src/io/npy.js';
import { decodePng } from '../../src/io/png.js';
import { defaultOutputs } from '../../src/pipeline/batch/output-plan.js';
import { REQUIRE_GPU } from '../helpers/gpu.js';
import { readManifestLines, runCli, writeSyntheticPngs } from './cli-helpers.js';

let work: string;
beforeEach(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'xray-batch-gpu-'));
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

const NO_ADAPTER = /no WebGPU adapter/;

describe('xray-gpu batch --engine gpu', () => {
  it('writes every default output within one gray level of the CPU engine, for images of two sizes', async (context) => {
    const input = path.join(work, 'in');
    const output = path.join(work, 'out');
    const small = await writeSyntheticPngs(input, 'small', ['1.png', '2.png', '3.png'], 20, 5);
    const large = await writeSyntheticPngs(input, 'large', ['4.png'], 28, 9);
    const run = await runCli(['batch', input, '--out', output, '--engine', 'gpu', '--jobs', '2', '--gpu-batch', '2']);
    if (!REQUIRE_GPU && run.code !== 0 && NO_ADAPTER.test(run.stderr)) {
      context.skip(`no GPU adapter: ${run.stderr.trim().split('\n').pop()}`);
      return;
    }
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/4 images: 4 ok, 0 failed/);
    expect((await readManifestLines(path.join(output, 'manifest.jsonl'))).every((r) => r.engine === 'gpu')).toBe(true);

    const engine = createCpuEngine();
    for (const relative of [...small, ...large]) {
      const source = decodePng(await readFile(path.join(input, relative)), relative);
      const expected = await engine.run(source, defaultOutputs().map((o) => o.request));
      for (const [i, { label }] of defaultOutputs().entries()) {
        const file = relative.replace(/\.png$/, `.${label}.png`);
        const got = decodePng(await readFile(path.join(output, file)), file).data;
        const want = scaleToUint8(expected[i]).data;
        let worst = 0;
        for (let p = 0; p < want.length; p++) worst = Math.max(worst, Math.abs(got[p] - want[p]));
        expect(worst, file).toBeLessThanOrEqual(1);
      }
    }
  });

  it('--format npy writes the float32 results of the GPU engine', async (context) => {
    const input = path.join(work, 'in');
    const output = path.join(work, 'out');
    await writeSyntheticPngs(input, '', ['x.png'], 16, 3);
    const run = await runCli(['batch', input, '--out', output, '--engine', 'gpu', '--ops', 'gaussian-laplace', '--format', 'npy']);
    if (!REQUIRE_GPU && run.code !== 0 && NO_ADAPTER.test(run.stderr)) {
      context.skip('no GPU adapter');
      return;
    }
    expect(run.code, run.stderr).toBe(0);
    const source = decodePng(await readFile(path.join(input, 'x.png')), 'x');
    const [expected] = await createCpuEngine().run(source, [{ op: 'gaussian-laplace' }]);
    const got = decodeNpy(await readFile(path.join(output, 'x.gaussian-laplace.npy')));
    expect(got.dtype).toBe('float32');
    let range = 0;
    for (const v of expected.data) range = Math.max(range, Math.abs(v));
    for (let p = 0; p < got.data.length; p++) expect(Math.abs(got.data[p] - expected.data[p])).toBeLessThanOrEqual(1e-4 * range);
  });
});
