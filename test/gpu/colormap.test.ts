/**
 * GPU colouring (`GpuEngine.runRendered`): colours equal src/render/colormap.ts `applyColormap` (exact
 * matplotlib semantics, float64) everywhere except pixels whose normalised value lies within
 * rounding of an entry boundary k/256, which may take the neighbouring entry.
 */
import { describe, expect } from 'vitest';
import { createCpuEngine } from '../../src/cpu/engine.js';
import type { OpRequest } from '../../src/filters/ops.js';
import { type GpuEngine, INPUT_IMAGE, type RenderRequest } from '../../src/gpu/engine.js';
import type { Image2D } from '../../src/image.js';
import { COLORMAP_NAMES, COLORMAP_SIZE, applyColormap, colormapLut } from '../../src/render/colormap.js';
import { useGpuEngine } from '../helpers/gpu.js';
import { parityImage } from './parity-cases.js';

const gpu = useGpuEngine();
const cpu = createCpuEngine();

/**
 * How far the GPU's normalised value x = (v - min) / (max - min) may lie from the float64 one:
 * - of the same float32 output: float32 rounding of the subtraction and the division (a few ulp of 1);
 * - of the CPU engine's float64 output: the filters' own float32 error comes on top.
 */
const FLOAT32_NORMALISE_TOLERANCE = 1e-6;
const CPU_REFERENCE_TOLERANCE = 1e-5;

interface ColourComparison {
  /** Pixels whose colour differs from applyColormap(reference). */
  mismatches: number;
  /** Pixels whose reference normalised value lies within the tolerance of a boundary k/256. */
  nearBoundary: number;
  /** Mismatches that are not a neighbouring entry across a nearby boundary (must be none). */
  unexplained: string[];
}

/** Compares GPU colours with applyColormap(reference, name), allowing the neighbouring entry within `tolerance` (in x) of a boundary. */
function compareColours(actual: Uint8Array, reference: ArrayLike<number>, name: string, tolerance: number): ColourComparison {
  const expected = applyColormap(reference, name);
  const lut = colormapLut(name);
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < reference.length; i++) {
    const v = reference[i];
    if (Number.isFinite(v)) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  const span = hi - lo;
  const result: ColourComparison = { mismatches: 0, nearBoundary: 0, unexplained: [] };
  for (let i = 0; i < reference.length; i++) {
    const v = reference[i];
    // The boundary nearest this pixel's scaled value, and the entries on either side of it.
    let near = false;
    let below = -1;
    if (Number.isFinite(v) && span > 0) {
      const scaled = ((v - lo) / span) * COLORMAP_SIZE;
      const k = Math.round(scaled);
      near = k >= 1 && k <= COLORMAP_SIZE - 1 && Math.abs(scaled - k) <= tolerance * COLORMAP_SIZE;
      below = k - 1;
    }
    if (near) result.nearBoundary++;
    const same = [0, 1, 2, 3].every((c) => actual[4 * i + c] === expected[4 * i + c]);
    if (same) continue;
    result.mismatches++;
    const isEntry = (entry: number) => [0, 1, 2, 3].every((c) => actual[4 * i + c] === lut[4 * entry + c]);
    if (!(near && (isEntry(below) || isEntry(below + 1)))) {
      if (result.unexplained.length < 5) {
        result.unexplained.push(`pixel ${i}: value ${v}, got rgba ${Array.from(actual.subarray(4 * i, 4 * i + 4))}, expected ${Array.from(expected.subarray(4 * i, 4 * i + 4))}`);
      }
    }
  }
  return result;
}

type Source = OpRequest | typeof INPUT_IMAGE;

/** The CPU engine's float64 value of a source (the image itself is a Gaussian of sigma 0 there). */
function cpuRequest(source: Source): OpRequest {
  return source === INPUT_IMAGE ? { op: 'gaussian', sigma: 0 } : source;
}

/** Outputs whose values are integers: their colours must be exact, no boundary is ever near. */
function isIntegerValued(source: Source): boolean {
  return source === INPUT_IMAGE || source.op === 'mask' || source.op === 'mask-binary';
}

/**
 * Colours `sources` of `image` in every colormap on the GPU (float32 values kept) and checks each
 * colour against applyColormap of the GPU's float32 output and of the CPU engine's float64 output.
 * Returns how many pixels differed and how many lay near a boundary, over all outputs and colormaps.
 */
async function checkAgainstApplyColormap(engine: GpuEngine, image: Image2D, sources: readonly Source[]) {
  const requests: RenderRequest[] = sources.map((source) => ({ source, colormaps: COLORMAP_NAMES, keepFloat: true }));
  const rendered = await engine.runRendered(image, requests);
  const cpuOutputs = await cpu.run(image, sources.map(cpuRequest));
  const totals = { pixels: 0, mismatches: 0, nearBoundary: 0 };
  rendered.forEach((output, i) => {
    const label = `${JSON.stringify(sources[i])} on ${image.width}x${image.height}`;
    expect(output.float, label).toBeDefined();
    expect([...output.rgba.keys()], label).toEqual([...COLORMAP_NAMES]);
    for (const name of COLORMAP_NAMES) {
      const { width, height, rgba } = output.rgba.get(name)!;
      expect([width, height, rgba.length], label).toEqual([image.width, image.height, image.width * image.height * 4]);
      const ofFloat32 = compareColours(rgba, output.float!.data, name, FLOAT32_NORMALISE_TOLERANCE);
      const ofCpu = compareColours(rgba, cpuOutputs[i].data, name, CPU_REFERENCE_TOLERANCE);
      expect(ofFloat32.unexplained, `${label}, ${name}, vs applyColormap(GPU float32 output)`).toEqual([]);
      expect(ofCpu.unexplained, `${label}, ${name}, vs applyColormap(CPU float64 output)`).toEqual([]);
      if (isIntegerValued(sources[i])) expect([ofFloat32.mismatches, ofCpu.mismatches], `${label}, ${name}`).toEqual([0, 0]);
      totals.pixels += image.width * image.height;
      totals.mismatches += ofCpu.mismatches;
      totals.nearBoundary += ofCpu.nearBoundary;
    }
  });
  return totals;
}

/** A float32 image of the given values, one row. */
function float32Row(values: ArrayLike<number>): Image2D<Float32Array> {
  return { width: values.length, height: 1, data: Float32Array.from(values) };
}

/** The float32 `steps` ulps away from float32 `v` (towards +inf for positive steps). */
function float32Step(v: number, steps: number): number {
  const f = new Float32Array([v]);
  const bits = new Int32Array(f.buffer);
  bits[0] += v >= 0 ? steps : -steps;
  return f[0];
}

const TUTORIAL_LIKE_SOURCES: Source[] = [
  INPUT_IMAGE,
  { op: 'gaussian-laplace', sigma: 1.5 }, // negative and positive values
  { op: 'sobel-magnitude' },
  { op: 'gaussian-gradient-magnitude', sigma: 2 },
  { op: 'tutorial-canny' },
  { op: 'mask', threshold: 128 },
  { op: 'mask-binary', threshold: 128 },
];

describe('colours like applyColormap (matplotlib imshow)', () => {
  gpu.it('colours op outputs in all nine colormaps, off by one entry only within rounding of a boundary k/256', async ({ engine }) => {
    const totals = { pixels: 0, mismatches: 0, nearBoundary: 0 };
    for (const [width, height] of [[37, 53], [1, 7], [1, 1], [64, 48]]) {
      const t = await checkAgainstApplyColormap(engine, parityImage(width, height, width + height), TUTORIAL_LIKE_SOURCES);
      totals.pixels += t.pixels;
      totals.mismatches += t.mismatches;
      totals.nearBoundary += t.nearBoundary;
    }
    // Pixels near a boundary are rare (about 2 * 256 * 1e-5 of them), and only some of those differ.
    expect(totals.nearBoundary).toBeLessThan(totals.pixels * 0.01);
    expect(totals.mismatches).toBeLessThanOrEqual(totals.nearBoundary);
  });

  gpu.it('takes the lower or upper entry only for values within float32 rounding of a boundary, with negative values', async ({ engine }) => {
    // Every boundary k/256 of the range [-1.75, 5.3], approached from 3 float32 steps below to 3 above,
    // and the middle of every entry: the worst case for the float32 normalisation.
    const lo = Math.fround(-1.75);
    const hi = Math.fround(5.3);
    const values: number[] = [lo, hi];
    for (let k = 0; k < COLORMAP_SIZE; k++) {
      const boundary = Math.fround(lo + ((hi - lo) * k) / COLORMAP_SIZE);
      for (let step = -3; step <= 3; step++) values.push(Math.min(hi, Math.max(lo, float32Step(boundary, step))));
      values.push(lo + ((hi - lo) * (k + 0.5)) / COLORMAP_SIZE);
    }
    const image = float32Row(values);
    const [output] = await engine.runRendered(image, [{ source: INPUT_IMAGE, colormaps: COLORMAP_NAMES }]);
    for (const name of COLORMAP_NAMES) {
      const comparison = compareColours(output.rgba.get(name)!.rgba, image.data, name, FLOAT32_NORMALISE_TOLERANCE);
      expect(comparison.unexplained, name).toEqual([]);
      expect(comparison.nearBoundary, name).toBeGreaterThanOrEqual(7 * (COLORMAP_SIZE - 1) - 2);
    }
  });

  gpu.it('colours integer-valued images exactly, values on a boundary k/256 included', async ({ engine }) => {
    // These ranges put levels exactly on boundaries (d * 256 = k * span, e.g. 25 of 200 is 32/256),
    // where a division a few ulp short (WGSL allows 2.5 ulp) would pick the entry below.
    const ramp = (max: number) => Array.from({ length: max + 1 }, (_, d) => d);
    const images: Image2D[] = [
      { width: 201, height: 1, data: Uint8Array.from(ramp(200)) },
      { width: 769, height: 1, data: Uint16Array.from(ramp(768)) },
      { width: 13, height: 1, data: Uint16Array.from([1000, 3, 500, 250, 750, 125, 875, 0, 999, 1, 625, 375, 7]) },
      // Span 65,280 = 255 * 256: a boundary at every multiple of 255, each approached from both sides.
      { width: 3 * 257, height: 1, data: Uint16Array.from(ramp(256).flatMap((k) => [255 * k, Math.max(0, 255 * k - 1), Math.min(65280, 255 * k + 1)])) },
    ];
    for (const image of images) {
      const [output] = await engine.runRendered(image, [{ source: INPUT_IMAGE, colormaps: COLORMAP_NAMES }]);
      for (const name of COLORMAP_NAMES) {
        expect(Array.from(output.rgba.get(name)!.rgba), `${name} ${image.width}`).toEqual(Array.from(applyColormap(image.data, name)));
      }
    }
  });

  gpu.it('gives entry 0 everywhere for a constant output, and for a 1x1 image', async ({ engine }) => {
    const flat = { width: 9, height: 5, data: new Uint8Array(45).fill(77) };
    const sources: Source[] = [INPUT_IMAGE, { op: 'gaussian', sigma: 1 }, { op: 'mask-binary', threshold: 10 }, { op: 'sobel-magnitude' }];
    const zeros = float32Row([-0, 0, -0]); // -0.0 and +0.0 span nothing
    const single = { width: 1, height: 1, data: new Uint8Array([200]) };
    for (const image of [flat, zeros, single]) {
      const rendered = await engine.runRendered(image, sources.map((source) => ({ source, colormaps: COLORMAP_NAMES })));
      for (const [i, output] of rendered.entries()) {
        for (const name of COLORMAP_NAMES) {
          const first = colormapLut(name).subarray(0, 4);
          const { rgba } = output.rgba.get(name)!;
          expect(rgba.every((byte, j) => byte === first[j % 4]), `${JSON.stringify(sources[i])} ${name} ${image.width}x${image.height}`).toBe(true);
        }
      }
    }
  });

  gpu.it('leaves NaN and infinities transparent and out of the range, as imshow masks invalid data', async ({ engine }) => {
    const image = float32Row([NaN, 3, -Infinity, 10.5, Infinity, -2, NaN, 7.25, 0]);
    const allBad = float32Row([NaN, Infinity, -Infinity]);
    for (const input of [image, allBad]) {
      const [output] = await engine.runRendered(input, [{ source: INPUT_IMAGE, colormaps: COLORMAP_NAMES }]);
      for (const name of COLORMAP_NAMES) {
        expect(Array.from(output.rgba.get(name)!.rgba), name).toEqual(Array.from(applyColormap(input.data, name)));
      }
    }
  });

  gpu.it('colours a range wider than the largest float32 (the span overflows in float32)', async ({ engine }) => {
    const image = float32Row([-3e38, 3e38, -1e38, 0, 1e38, 2.9e38, -2.5e38, 1]);
    const [output] = await engine.runRendered(image, [{ source: INPUT_IMAGE, colormaps: COLORMAP_NAMES }]);
    for (const name of COLORMAP_NAMES) {
      const comparison = compareColours(output.rgba.get(name)!.rgba, image.data, name, FLOAT32_NORMALISE_TOLERANCE);
      expect(comparison.unexplained, name).toEqual([]);
    }
    expect(new Set(Array.from({ length: 8 }, (_, i) => output.rgba.get('gray')!.rgba[4 * i])).size).toBe(7); // 0 and 1 share an entry
  });

});

describe('requests', () => {
  gpu.it('returns float32 values only when keepFloat asks, equal to run()', async ({ engine }) => {
    const image = parityImage(21, 17, 5);
    const request: OpRequest = { op: 'gaussian-laplace', sigma: 1 };
    const [kept, dropped] = await engine.runRendered(image, [
      { source: request, colormaps: ['viridis'], keepFloat: true },
      { source: request, colormaps: ['viridis'] },
    ]);
    const [plain] = await engine.run(image, [request]);
    expect(Array.from(kept.float!.data)).toEqual(Array.from(plain.data));
    expect(dropped.float).toBeUndefined();
    expect(dropped.rgba.get('viridis')!.rgba).toEqual(kept.rgba.get('viridis')!.rgba);
  });

  gpu.it('gives each request its own arrays when two requests share an output and a colormap', async ({ engine }) => {
    const image = parityImage(13, 11, 6);
    const [a, b] = await engine.runRendered(image, [
      { source: { op: 'sobel-magnitude' }, colormaps: ['hot', 'gray'] },
      { source: { op: 'sobel-magnitude' }, colormaps: ['hot'] },
    ]);
    const before = Array.from(b.rgba.get('hot')!.rgba);
    expect(Array.from(a.rgba.get('hot')!.rgba)).toEqual(before);
    a.rgba.get('hot')!.rgba.fill(7);
    expect(Array.from(b.rgba.get('hot')!.rgba)).toEqual(before);
  });

  gpu.it('colours a batch in one call as it colours each image alone', async ({ engine }) => {
    const images = [parityImage(19, 23, 1), parityImage(19, 23, 2)];
    const requests: RenderRequest[] = [{ source: { op: 'prewitt-magnitude' }, colormaps: ['terrain', 'magma'], keepFloat: true }];
    const batch = await engine.runBatchRendered(images, requests);
    for (const [k, image] of images.entries()) {
      const [alone] = await engine.runRendered(image, requests);
      expect(Array.from(batch[k][0].float!.data)).toEqual(Array.from(alone.float!.data));
      for (const name of ['terrain', 'magma']) expect(batch[k][0].rgba.get(name)!.rgba).toEqual(alone.rgba.get(name)!.rgba);
    }
  });

  gpu.it('colours Canny edges (run apart from the plan) exactly as applyColormap', async ({ engine }) => {
    const image = parityImage(40, 30, 8);
    const [output] = await engine.runRendered(image, [{ source: { op: 'canny', sigma: 1 }, colormaps: ['gray', 'prism'], keepFloat: true }]);
    for (const name of ['gray', 'prism']) {
      expect(Array.from(output.rgba.get(name)!.rgba), name).toEqual(Array.from(applyColormap(output.float!.data, name)));
    }
  });

  gpu.it('keeps no pooled buffer after a run and allocates none for the next image of the same size', async ({ engine }) => {
    const requests: RenderRequest[] = [{ source: { op: 'gaussian', sigma: 1 }, colormaps: ['inferno', 'CMRmap'] }];
    await engine.runRendered(parityImage(30, 20, 1), requests);
    const { created } = engine.poolStats();
    await engine.runRendered(parityImage(30, 20, 2), requests);
    expect(engine.poolStats()).toMatchObject({ created, bytesInUse: 0 });
  });

  gpu.it('rejects bad requests before any GPU work, naming the request and the bad value', async ({ engine }) => {
    const image = parityImage(4, 4);
    const ok: RenderRequest = { source: { op: 'sobel' }, colormaps: ['gray'] };
    await expect(engine.runRendered(image, [ok, { source: { op: 'sobel' }, colormaps: ['jet'] }])).rejects.toThrow(
      'request 1: unknown colormap "jet"; accepted: gray, hot, CMRmap, prism, nipy_spectral, terrain, viridis, inferno, magma',
    );
    await expect(engine.runRendered(image, [{ source: { op: 'sobel' }, colormaps: ['hot', 'hot'] }])).rejects.toThrow('request 0 lists colormap hot twice');
    await expect(engine.runRendered(image, [{ source: { op: 'sobel' }, colormaps: 'hot' as unknown as string[] }])).rejects.toThrow(
      'request 0: colormaps must be an array of colormap names, got "hot"',
    );
    await expect(engine.runRendered(image, [ok, { source: { op: 'sobel', axis: 3 } as unknown as OpRequest, colormaps: ['gray'] }])).rejects.toThrow(
      /request 1 \(\{"op":"sobel","axis":3\}\) is invalid: axis must be 0 or -2 \(rows\), 1 or -1 \(columns\), got 3/,
    );
  });
});
