/**
 * prepare's GPU path: each image's stages in one submit (src/pipeline/prepare/gpu-stages.ts) against
 * the CPU engine's stages (stages.ts) on small synthetic images, one ChestX-ray8 sample against the
 * oracles' golden rows when the samples are present, and `prepare --engine gpu|auto` through the
 * built CLI. Skipped without a GPU adapter unless XRAY_REQUIRE_GPU=1 (test/helpers/gpu.ts).
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLAHE_GRAY_LEVELS, binTable } from '../../src/filters/clahe.js';
import type { GpuEngine } from '../../src/gpu/engine.js';
import { rescaleTable } from '../../src/gpu/programs/prepare.js';
import type { Image2D } from '../../src/image.js';
import { readImageFile } from '../../src/io/image-file.js';
import { decodeNpy } from '../../src/io/npy.js';
import { encodePng } from '../../src/io/png.js';
import { float16Value } from '../../src/pipeline/prepare/float16.js';
import { prepareImageGpu, prepareImagesGpu } from '../../src/pipeline/prepare/gpu-stages.js';
import type { PrepareSettings } from '../../src/pipeline/prepare/settings.js';
import { type PreparedPixels, prepareImage } from '../../src/pipeline/prepare/stages.js';
import { runCli, syntheticImage } from '../batch/cli-helpers.js';
import { findSamplesDir } from '../helpers/golden.js';
import { useGpuEngine } from '../helpers/gpu.js';
import { readShard } from './shard-reader.js';

const gpu = useGpuEngine();
const samples = findSamplesDir();
if (!samples) console.warn('prepare on the GPU against the sample oracles skipped: no samples (set XRAY_SAMPLES or add ../shared/data/chestxray8-sample)');
const GOLDEN = path.join(import.meta.dirname, '../golden/prepare');

const small: Image2D<Uint8Array>[] = [
  { width: 37, height: 53, data: syntheticImage(37, 53, 5) },
  { width: 64, height: 64, data: syntheticImage(64, 64, 9) },
];

function settings(overrides: Partial<PrepareSettings>): PrepareSettings {
  return { height: 24, width: 20, resize: 'skimage', crop: 'none', normalize: 'none', dtype: 'float32', ...overrides };
}

/** The pixels as numbers (float16 bits decoded). */
function values(pixels: PreparedPixels, dtype: PrepareSettings['dtype']): Float64Array {
  return dtype === 'float16' ? Float64Array.from(pixels, float16Value) : Float64Array.from(pixels);
}

async function both(engine: GpuEngine, image: Image2D<Uint8Array>, s: PrepareSettings): Promise<{ gpu: Float64Array; cpu: Float64Array }> {
  const got = await engine.withContext('test', (context) => prepareImageGpu(context, image, s));
  const want = prepareImage(image, s);
  expect(got.constructor).toBe(want.constructor);
  expect(got.length).toBe(s.height * s.width);
  return { gpu: values(got, s.dtype), cpu: values(want, s.dtype) };
}

function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

describe('prepare stages on the GPU against the CPU engine', () => {
  gpu.it('--resize skimage float32 within 1e-4 of the range (down and up, and --crop center)', async ({ engine }) => {
    for (const image of small) {
      for (const s of [settings({}), settings({ height: 90, width: 70 }), settings({ crop: 'center', height: 30, width: 30 })]) {
        const { gpu, cpu } = await both(engine, image, s);
        expect(maxDifference(gpu, cpu)).toBeLessThan(1e-4 * 255);
      }
    }
  });

  gpu.it('--resize area uint8 within 1 level (true area and, when growing, OpenCV\'s bilinear area)', async ({ engine }) => {
    for (const image of small) {
      for (const s of [settings({ resize: 'area', dtype: 'uint8' }), settings({ resize: 'area', dtype: 'uint8', height: 90, width: 70 })]) {
        const { gpu, cpu } = await both(engine, image, s);
        expect(maxDifference(gpu, cpu)).toBeLessThanOrEqual(1);
        // Levels off by one only where float32 rounding meets a half level: rare.
        expect(gpu.filter((v, i) => v !== cpu[i]).length).toBeLessThanOrEqual(gpu.length / 100);
      }
    }
    // Halving: averages of four levels, exact in float32, a quarter of them ties at a half level,
    // which NumPy rounds to even.
    const { gpu, cpu } = await both(engine, small[1], settings({ resize: 'area', dtype: 'uint8', height: 32, width: 32 }));
    expect(Array.from(gpu)).toEqual(Array.from(cpu));
  });

  // Sizes whose resize gives the CPU engine's levels exactly (the same size; area halving, averages of
  // four levels): on tiles of a few dozen pixels one level moved by the resize moves a tile's map by
  // several levels, which would hide what CLAHE itself does.
  const exactLevels = [
    { image: small[0], size: { height: 53, width: 37 }, resize: 'skimage' as const },
    { image: small[1], size: { height: 64, width: 64 }, resize: 'skimage' as const },
    { image: small[1], size: { height: 32, width: 32 }, resize: 'area' as const },
  ];

  gpu.it('--clahe uint8 within 1 level on >= 99.9% of pixels (default kernel and --clahe-kernel, clip 0.01 and 0.05)', async ({ engine }) => {
    let off = 0;
    let compared = 0;
    for (const { image, size, resize } of exactLevels) {
      for (const clahe of [{ clipLimit: 0.01 }, { clipLimit: 0.05, kernelSize: [7, 5] as [number, number] }]) {
        const { gpu, cpu } = await both(engine, image, settings({ ...size, resize, clahe, dtype: 'uint8' }));
        expect(maxDifference(gpu, cpu)).toBeLessThanOrEqual(1);
        off += gpu.filter((v, i) => v !== cpu[i]).length;
        compared += gpu.length;
      }
    }
    expect(off / compared).toBeLessThan(0.001);
  });

  gpu.it('--normalize unit and xrv, float16 and float32, with and without --clahe', async ({ engine }) => {
    for (const normalize of ['unit', 'xrv'] as const) {
      const span = normalize === 'unit' ? 1 : 2048;
      for (const dtype of ['float32', 'float16'] as const) {
        for (const clahe of [undefined, { clipLimit: 0.01 }]) {
          const size = clahe ? exactLevels[1].size : {};
          const { gpu, cpu } = await both(engine, small[1], settings({ ...size, normalize, dtype, clahe }));
          for (let i = 0; i < gpu.length; i++) {
            // float16 rows: a half ulp of the value more, where the float32 value rounds the other way;
            // CLAHE's levels: one level (as the test above).
            const tolerance = 1e-4 * span + (dtype === 'float16' ? Math.abs(cpu[i]) * 2 ** -11 : 0) + (clahe ? span / 255 : 0);
            if (!(Math.abs(gpu[i] - cpu[i]) <= tolerance)) expect.fail(`${normalize} ${dtype} clahe=${Boolean(clahe)} pixel ${i}: ${gpu[i]} vs ${cpu[i]}`);
          }
          expect(Math.min(...gpu)).toBeCloseTo(Math.min(...cpu), 2);
        }
      }
    }
  });

  gpu.it('a batch of images of different sizes in one submit: each row as the image alone gives', async ({ engine }) => {
    const s = settings({ resize: 'area', dtype: 'uint8', crop: 'center' });
    const batch = [small[0], small[1], small[0]];
    const together = await engine.withContext('test', (context) => prepareImagesGpu(context, batch, s));
    expect(together.length).toBe(3);
    for (const [i, image] of batch.entries()) {
      const alone = await engine.withContext('test', (context) => prepareImageGpu(context, image, s));
      expect(Array.from(together[i])).toEqual(Array.from(alone));
    }
    expect(Array.from(together[0])).not.toEqual(Array.from(together[1]));
  });

  gpu.it('a flat image: CLAHE and the levels cast as the CPU engine', async ({ engine }) => {
    const flat = { width: 20, height: 16, data: new Uint8Array(320).fill(77) };
    const { gpu, cpu } = await both(engine, flat, settings({ height: 16, width: 20, clahe: { clipLimit: 0.01 }, dtype: 'uint8' }));
    expect(Array.from(gpu)).toEqual(Array.from(cpu));
  });
});

it('the GPU bin table (rescale table, level range) gives binTable for every min and max', () => {
  const table = rescaleTable();
  const binSize = 1 + Math.floor(CLAHE_GRAY_LEVELS / 256);
  for (let lo = 0; lo < 256; lo++) {
    for (let hi = lo + 1; hi < 256; hi++) {
      const want = binTable(lo, hi, 256);
      for (let x = lo; x <= hi; x++) {
        if (Math.floor(table[(hi - lo) * 256 + x - lo] / binSize) !== want[x]) expect.fail(`min ${lo} max ${hi} level ${x}`);
      }
    }
  }
});

describe.skipIf(!samples)('prepare stages on the GPU, one ChestX-ray8 sample against the oracles', () => {
  const golden = async (name: string) => decodeNpy(new Uint8Array(await readFile(path.join(GOLDEN, name))), name);
  const sample = async () => {
    const manifest = JSON.parse(await readFile(path.join(GOLDEN, 'manifest.json'), 'utf8')) as { samples: string[] };
    const image = await readImageFile(path.join(samples as string, manifest.samples[0]));
    return image as Image2D<Uint8Array>;
  };

  gpu.it('--size 64 float32: skimage resize within 1e-4 of the range', async ({ engine }) => {
    const image = await sample();
    const got = await engine.withContext('test', (context) => prepareImageGpu(context, image, settings({ height: 64, width: 64 })));
    const want = (await golden('resize64.npy')).data.subarray(0, 64 * 64);
    expect(maxDifference(got, want)).toBeLessThan(1e-4 * 255);
  });

  gpu.it('--size 1024 --clahe uint8: skimage CLAHE within 1 level on 99.9% of the golden rows', async ({ engine }) => {
    const image = await sample();
    const got = await engine.withContext('test', (context) =>
      prepareImageGpu(context, image, settings({ height: 1024, width: 1024, clahe: { clipLimit: 0.01 }, dtype: 'uint8' })));
    const rows = (await golden('clahe1024.rows.npy')).data;
    let off = 0;
    for (let k = 0; k < 16; k++) {
      const gotRow = got.subarray((7 + 64 * k) * 1024, (8 + 64 * k) * 1024);
      const want = rows.subarray(k * 1024, (k + 1) * 1024);
      expect(maxDifference(gotRow, want)).toBeLessThanOrEqual(1);
      for (let x = 0; x < 1024; x++) if (gotRow[x] !== want[x]) off++;
    }
    expect(off / (16 * 1024)).toBeLessThan(0.001);
  }, 60_000);
});

describe('prepare --engine gpu and auto (built CLI)', () => {
  let root: string;
  let input: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'xray-prepare-gpu-'));
    input = path.join(root, 'in');
    await mkdir(input, { recursive: true });
    await Promise.all(small.map((image, i) => writeFile(path.join(input, `s${i}.png`), encodePng(image))));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const run = (engine: string, out: string, env: Record<string, string> = {}, args = ['--dtype', 'float32']) =>
    runCli(['prepare', input, '--out', path.join(root, out), '--size', '24x20', '--engine', engine, '--jobs', '2', ...args], env);
  const madeBy = async (out: string) => (JSON.parse(await readFile(path.join(root, out, 'prepare.json'), 'utf8')) as { madeBy: string[] }).madeBy;

  it('without any WebGPU adapter: --engine gpu fails with one line, auto runs the CPU engine and says why', async () => {
    const none = path.join(root, 'no-such-driver.json');
    const noAdapter = { VK_ICD_FILENAMES: none, VK_DRIVER_FILES: none };
    const refused = await run('gpu', 'refused', noAdapter);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^xray-gpu: no WebGPU adapter available.*$/m);
    const auto = await run('auto', 'auto-cpu', noAdapter);
    expect(auto.code, auto.stderr).toBe(0);
    expect(auto.stderr).toMatch(/^engine: cpu .*; auto: no WebGPU adapter available/m);
    expect(await madeBy('auto-cpu')).toEqual([expect.stringMatching(/, cpu .* in 2 worker threads$/)]);
  }, 60_000);

  gpu.it('--engine gpu: the shard within 1e-4 of the range of --engine cpu, and "made by" the GPU', async () => {
    const [onGpu, onCpu] = [await run('gpu', 'gpu'), await run('cpu', 'cpu')];
    expect(onGpu.code).toBe(0);
    expect(onCpu.code).toBe(0);
    expect(onGpu.stderr).toMatch(/^engine: gpu: /m);
    expect(onGpu.stdout).toContain('2 ok, 0 failed');
    const [a, b] = [await readShard(path.join(root, 'gpu/images-00000.npy')), await readShard(path.join(root, 'cpu/images-00000.npy'))];
    expect(a.shape).toEqual([2, 24, 20]);
    expect(maxDifference(a.values, b.values)).toBeLessThan(1e-4 * 255);
    expect(await madeBy('gpu')).toEqual([expect.stringMatching(/^xray-gpu \S+, gpu: .*; decoding in 2 worker threads$/)]);
    expect(await madeBy('cpu')).toEqual([expect.stringMatching(/^xray-gpu \S+, cpu .* in 2 worker threads$/)]);
  }, 60_000);

  gpu.it('--engine gpu: uint8 (--resize area) and float16 (--normalize xrv) rows land in their shards as --engine cpu\'s', async () => {
    for (const [name, args, descr, tolerance] of [
      ['area', ['--resize', 'area', '--dtype', 'uint8'], '|u1', 1],
      ['xrv', ['--normalize', 'xrv', '--dtype', 'float16'], '<f2', 1e-4 * 2048 + 0.5],
    ] as const) {
      for (const engine of ['gpu', 'cpu']) expect((await run(engine, `${name}-${engine}`, {}, [...args])).code).toBe(0);
      const [a, b] = [await readShard(path.join(root, `${name}-gpu/images-00000.npy`)), await readShard(path.join(root, `${name}-cpu/images-00000.npy`))];
      expect(a.descr).toBe(descr);
      expect(a.shape).toEqual([2, 24, 20]);
      expect(maxDifference(a.values, b.values)).toBeLessThanOrEqual(tolerance);
      expect(a.values.filter((v, i) => v !== b.values[i]).length).toBeLessThan(a.values.length / 20);
    }
  }, 60_000);

  gpu.it('--engine auto: the GPU on a hardware adapter, else the CPU engine saying why', async ({ engine }) => {
    const result = await run('auto', 'auto');
    expect(result.code).toBe(0);
    if (engine.software) {
      expect(result.stderr).toMatch(/^engine: cpu .*; auto: /m);
      expect(await madeBy('auto')).toEqual([expect.stringMatching(/, cpu .* in 2 worker threads$/)]);
    } else {
      expect(result.stderr).toMatch(/^engine: gpu: /m);
      expect(await madeBy('auto')).toEqual([expect.stringMatching(/, gpu: .*; decoding in 2 worker threads$/)]);
    }
  }, 60_000);
});
