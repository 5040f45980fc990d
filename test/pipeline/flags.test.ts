/**
 * Every tutorial flag of `xray-gpu run` changes the output, and changes it to what the engine computes
 * with that parameter (no flag is accepted and ignored); bad values are usage errors that say what is
 * accepted. A 64x64 synthetic chest image keeps each run short.
 */
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCpuEngine } from '../../src/cpu/engine.js';
import type { OpRequest } from '../../src/filters/ops.js';
import { decodeNpy } from '../../src/io/npy.js';
import { encodePng } from '../../src/io/png.js';
import { applyColormap } from '../../src/render/colormap.js';
import { syntheticSeries } from '../../src/synthetic/phantom.js';
import { assertBuilt, readRgba, tempDir, xray } from './helpers.js';

const image = syntheticSeries({ size: 64, followUps: 1 })[0];
const engine = createCpuEngine();
let dir: string;
let input: string;
/** Output folder of a run with the tutorial's defaults (and --npy). */
let defaults: string;

beforeAll(async () => {
  assertBuilt();
  dir = tempDir('flags');
  input = join(dir, 'chest.png');
  writeFileSync(input, encodePng(image));
  defaults = await runWith('defaults', ['--npy']);
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await engine.dispose();
});

/** Runs the tutorial on the test image with extra flags; returns the output folder. */
async function runWith(name: string, flags: string[]): Promise<string> {
  const out = join(dir, name);
  const run = await xray(['run', input, '--out', out, '--engine', 'cpu', '--quiet', ...flags]);
  if (run.status !== 0) throw new Error(`run ${flags.join(' ')} failed (${run.status}): ${run.stderr}`);
  return out;
}

function readNpy(folder: string, stage: string): Float32Array {
  const array = decodeNpy(new Uint8Array(readFileSync(join(folder, `${stage}.npy`))), stage);
  if (!(array.data instanceof Float32Array)) throw new Error(`${stage}.npy: expected float32, got ${array.dtype}`);
  return array.data;
}

/** The engine's result for one request on the test image. */
async function expected(request: OpRequest): Promise<Float64Array | Float32Array> {
  const [result] = await engine.run(image, [request]);
  return result.data;
}

/** max |a - b| relative to the range of b (float32 files hold ~7 significant digits). */
function relativeError(actual: ArrayLike<number>, reference: ArrayLike<number>): number {
  let lo = Infinity;
  let hi = -Infinity;
  let worst = 0;
  for (let i = 0; i < reference.length; i++) {
    lo = Math.min(lo, reference[i]);
    hi = Math.max(hi, reference[i]);
    worst = Math.max(worst, Math.abs(actual[i] - reference[i]));
  }
  return worst / Math.max(1e-12, hi - lo);
}

const differs = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).some((v, i) => v !== b[i]);

describe('tutorial flags of xray-gpu run', () => {
  it('--log-sigma sets the Laplacian of Gaussian sigma (output, and the title in the report)', async () => {
    const out = await runWith('log-sigma', ['--npy', '--log-sigma', '2.5']);
    const ours = readNpy(out, 'gaussian-laplace');
    expect(differs(ours, readNpy(defaults, 'gaussian-laplace'))).toBe(true);
    expect(relativeError(ours, await expected({ op: 'gaussian-laplace', sigma: 2.5 }))).toBeLessThan(1e-6);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('Laplacian of Gaussian (σ=2.5)');
  });

  it('--gradient-sigma sets the Gaussian gradient magnitude sigma', async () => {
    const out = await runWith('gradient-sigma', ['--npy', '--gradient-sigma', '0.7']);
    const ours = readNpy(out, 'gaussian-gradient-magnitude');
    expect(differs(ours, readNpy(defaults, 'gaussian-gradient-magnitude'))).toBe(true);
    expect(relativeError(ours, await expected({ op: 'gaussian-gradient-magnitude', sigma: 0.7 }))).toBeLessThan(1e-6);
  });

  it('--fourier-sigma sets the fourier_gaussian sigma of the tutorial "Canny"', async () => {
    const out = await runWith('fourier-sigma', ['--npy', '--fourier-sigma', '3']);
    const ours = readNpy(out, 'tutorial-canny');
    expect(differs(ours, readNpy(defaults, 'tutorial-canny'))).toBe(true);
    expect(relativeError(ours, await expected({ op: 'tutorial-canny', sigma: 3 }))).toBeLessThan(1e-6);
  });

  it('--threshold sets both masks', async () => {
    const out = await runWith('threshold', ['--npy', '--threshold', '90']);
    for (const op of ['mask', 'mask-binary'] as const) {
      const ours = readNpy(out, op);
      expect(differs(ours, readNpy(defaults, op)), op).toBe(true);
      expect(Array.from(ours)).toEqual(Array.from(await expected({ op, threshold: 90 })));
    }
  });

  it('--sobel-cmaps chooses the Sobel panels: one PNG per colormap, coloured as matplotlib would', async () => {
    const out = await runWith('sobel-cmaps', ['--sobel-cmaps', 'viridis,gray']);
    const files = readdirSync(out);
    expect(files.filter((file) => file.startsWith('sobel-')).sort()).toEqual(['sobel-magnitude-gray.png', 'sobel-magnitude-viridis.png']);
    expect(files.filter((file) => file.endsWith('.npy'))).toEqual([]); // no --npy, no arrays
    const sobel = await expected({ op: 'sobel-magnitude' });
    for (const cmap of ['viridis', 'gray']) {
      expect(readRgba(join(out, `sobel-magnitude-${cmap}.png`)).data).toEqual(applyColormap(sobel, cmap));
    }
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('Sobel magnitude, viridis');
  });

  it('--canny-cmaps chooses the "Canny" panels', async () => {
    const out = await runWith('canny-cmaps', ['--canny-cmaps', 'magma']);
    // canny.png is the true Canny (skimage), always gray; the tutorial "Canny" files are tutorial-canny-<colormap>.png.
    expect(readdirSync(out).filter((file) => file.includes('canny')).sort()).toEqual(['canny.png', 'tutorial-canny-magma.png']);
    expect(readRgba(join(out, 'tutorial-canny-magma.png')).data).toEqual(applyColormap(await expected({ op: 'tutorial-canny', sigma: 0.05 }), 'magma'));
    expect(existsSync(join(out, 'tutorial-canny-prism.png'))).toBe(false);
  });

  it('--canny-sigma sets the sigma of the true Canny panel (skimage.feature.canny)', async () => {
    const out = await runWith('canny-sigma', ['--npy', '--canny-sigma', '1']);
    const ours = readNpy(out, 'canny');
    expect(differs(ours, readNpy(defaults, 'canny'))).toBe(true);
    expect(Array.from(ours)).toEqual(Array.from(await expected({ op: 'canny', sigma: 1 })));
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('Canny (true, σ=1)');
  });

  it("--bins sets the histogram's bin count (stats.json and the plot)", async () => {
    const out = await runWith('bins', ['--bins', '16']);
    const stats = JSON.parse(readFileSync(join(out, 'stats.json'), 'utf8')) as { min: number; max: number; histogram: { bins: number; counts: number[] } };
    expect(stats.histogram.bins).toBe(16);
    expect(stats.histogram.counts).toEqual(Array.from(await engine.histogram(image, { min: stats.min, max: stats.max, bins: 16 })));
    const defaultStats = JSON.parse(readFileSync(join(defaults, 'stats.json'), 'utf8')) as { histogram: { counts: number[] } };
    expect(defaultStats.histogram.counts).toHaveLength(256);
    expect(Buffer.compare(readFileSync(join(out, 'histogram.png')), readFileSync(join(defaults, 'histogram.png')))).not.toBe(0);
  });
});

describe('bad tutorial flag values', () => {
  const cases: [string[], string][] = [
    [['--sobel-cmaps', 'jets'], 'unknown colormap "jets": expected a matplotlib 3.6 colormap name'],
    [['--canny-cmaps', 'prism,,hot'], 'expected matplotlib colormap names separated by commas, got "prism,,hot".'],
    [['--canny-cmaps', 'hot,hot'], 'colormap "hot" is named twice in "hot,hot"'],
    [['--log-sigma', '0'], 'expected a number > 0, got "0"'],
    [['--gradient-sigma', 'wide'], 'expected a finite number, got "wide"'],
    [['--fourier-sigma', '-1'], 'expected a number > 0, got "-1"'],
    [['--threshold', 'NaN'], 'expected a finite number, got "NaN"'],
    [['--bins', '2.5'], 'expected an integer >= 1, got "2.5"'],
    [['--canny-sigma', '0'], 'expected a number > 0, got "0"'],
  ];
  for (const [flags, message] of cases) {
    it(`${flags.join(' ')} is a usage error (exit 2) saying: ${message}`, async () => {
      const out = join(dir, 'bad');
      const run = await xray(['run', input, '--out', out, '--engine', 'cpu', ...flags]);
      expect(run.status).toBe(2);
      expect(run.stderr).toContain(message);
      expect(run.stderr).toContain(flags[0]);
      expect(existsSync(out)).toBe(false); // rejected before any work
    });
  }
});
