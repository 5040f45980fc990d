/**
 * The built command line against SciPy on the real sample: `filter --op sobel` with no --axis is
 * `ndimage.sobel(x)` (axis=-1) bit for bit (float32 of integer results), as are prewitt and an
 * explicit `--axis -1`; `--axis 0` is the other derivative. Needs `npm run build` and the samples.
 */
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeNpy } from '../../src/io/npy.js';
import { GOLDEN_DIR, REPO_ROOT, findSamplesDir } from '../helpers/golden.js';

interface Fingerprint {
  call: string;
  sha256: string;
  min: number;
  max: number;
}
const golden = JSON.parse(readFileSync(join(GOLDEN_DIR, 'scipy-defaults.json'), 'utf8')) as {
  sample?: { image: string; sobel: Fingerprint; prewitt: Fingerprint };
};
const cli = join(REPO_ROOT, 'dist/src/cli/main.js');
const samples = findSamplesDir();
const dir = mkdtempSync(join(tmpdir(), 'xray-defaults-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function filter(op: string, ...args: string[]): { sha256: string; min: number; max: number } {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run "npm run build" before these tests`);
  const out = join(dir, `${op}${args.join('')}.npy`);
  const sample = join(samples ?? '', golden.sample?.image ?? '');
  const run = spawnSync(process.execPath, [cli, 'filter', sample, '--op', op, ...args, '--engine', 'cpu', '--out', out], { encoding: 'utf8' });
  expect(run.stderr, `xray-gpu filter ${op} ${args.join(' ')}`).not.toMatch(/xray-gpu:/);
  expect(run.status).toBe(0);
  const { data } = decodeNpy(readFileSync(out));
  expect(data).toBeInstanceOf(Float32Array);
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  let min = Infinity;
  let max = -Infinity;
  for (const v of data) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  return { sha256: createHash('sha256').update(bytes).digest('hex'), min, max };
}

const skipReason = samples === null ? ' (skipped: no ChestX-ray8 samples; set XRAY_SAMPLES)' : golden.sample === undefined ? ' (skipped: fixture made without samples)' : '';
describe.skipIf(skipReason !== '')(`filter on the real sample equals SciPy with its defaults${skipReason}`, () => {
  it('--op sobel is ndimage.sobel(x), and so is --axis -1', () => {
    const { sha256, min, max } = golden.sample!.sobel;
    expect(filter('sobel')).toEqual({ sha256, min, max });
    expect(filter('sobel', '--axis', '-1').sha256).toBe(sha256);
    expect(filter('sobel', '--axis', '0').sha256).not.toBe(sha256);
  });
  it('--op prewitt is ndimage.prewitt(x)', () => {
    const { sha256, min, max } = golden.sample!.prewitt;
    expect(filter('prewitt')).toEqual({ sha256, min, max });
  });
});
