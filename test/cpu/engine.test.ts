/** The CPU engine's contract: validation by message, every option used, batches, disposal. */
import { describe, expect, it } from 'vitest';
import { cpuEngineDescription, createCpuEngine } from '../../src/cpu/engine.js';
import { setCpuSimd } from '../../src/wasm/kernel.js';
import { fourierGaussianFactors } from '../../src/cpu/fourier.js';
import { normaliseTo255 } from '../../src/cpu/pointwise.js';
import { histogram, histogramEdges } from '../../src/cpu/statistics.js';
import { OP_NAMES, type OpName, type OpParams, type OpRequest, paramsUsedBy } from '../../src/filters/ops.js';
import { imageFrom } from '../../src/image.js';
import { loadGoldenImage } from '../helpers/golden.js';

const structured = () => loadGoldenImage('inputs/structured_37x53.npy');

describe('cpu engine', () => {
  it('describes itself as the float64 reference', () => {
    const engine = createCpuEngine();
    expect(engine.name).toBe('cpu');
    expect(engine.description).toBe(cpuEngineDescription());
    expect(cpuEngineDescription()).toBe('cpu (float64 reference, WebAssembly SIMD)');
    setCpuSimd(false);
    expect(cpuEngineDescription()).toBe('cpu (float64 reference)');
    expect(createCpuEngine().description).toBe('cpu (float64 reference)');
    setCpuSimd(true);
  });

  it('returns float64 results in request order without touching the input', async () => {
    const engine = createCpuEngine();
    const image = structured();
    const before = Float64Array.from(image.data);
    const results = await engine.run(image, [{ op: 'mask-binary', threshold: 100 }, { op: 'mask', threshold: 100 }]);
    expect(results.map((r) => r.data.constructor)).toEqual([Float64Array, Float64Array]);
    expect(new Set(results[0].data)).toEqual(new Set([0, 1]));
    expect(Math.max(...results[1].data)).toBe(255);
    expect(Array.from(image.data)).toEqual(Array.from(before));
  });

  it('returns fresh arrays that later calls never overwrite (intermediates are pooled, results are not)', async () => {
    const engine = createCpuEngine();
    const image = structured();
    const requests: OpRequest[] = [{ op: 'sobel-magnitude' }, { op: 'gaussian', sigma: 2 }, { op: 'tutorial-canny' }];
    const first = await engine.run(image, requests);
    const snapshot = first.map((r) => Float64Array.from(r.data));
    const second = await engine.run(image, [...requests].reverse());
    first.forEach((r, i) => expect(Array.from(r.data)).toEqual(Array.from(snapshot[i])));
    expect(new Set([...first, ...second].map((r) => r.data)).size).toBe(6);
    expect(first.some((r) => r.data === image.data)).toBe(false);
  });

  it('gives the same result for a uint8 image as for its float64 copy', async () => {
    const engine = createCpuEngine();
    const bytes = loadGoldenImage('inputs/uint8_37x53.npy');
    const floats = imageFrom(bytes.width, bytes.height, Float64Array.from(bytes.data));
    const requests: OpRequest[] = [{ op: 'gaussian', sigma: 1.5 }, { op: 'sobel-magnitude' }];
    expect(await engine.run(bytes, requests)).toEqual(await engine.run(floats, requests));
  });

  // Each op's base request and, per parameter it takes, a value that must change the output.
  const base: Record<OpName, OpRequest> = {
    gaussian: { op: 'gaussian', sigma: 2, mode: 'constant' },
    'gaussian-laplace': { op: 'gaussian-laplace', sigma: 2, mode: 'constant' },
    'gaussian-gradient-magnitude': { op: 'gaussian-gradient-magnitude', sigma: 2, mode: 'constant' },
    sobel: { op: 'sobel', mode: 'constant' },
    prewitt: { op: 'prewitt', mode: 'constant' },
    laplace: { op: 'laplace', mode: 'constant' },
    'sobel-magnitude': { op: 'sobel-magnitude', mode: 'constant' },
    'prewitt-magnitude': { op: 'prewitt-magnitude', mode: 'constant' },
    'fourier-gaussian': { op: 'fourier-gaussian' },
    'tutorial-canny': { op: 'tutorial-canny', mode: 'constant', sigma: 1 },
    mask: { op: 'mask' },
    'mask-binary': { op: 'mask-binary' },
    canny: { op: 'canny', sigma: 2, lowThreshold: 0.9, highThreshold: 0.99, useQuantiles: true },
  };
  const changed: Required<OpParams> = { sigma: 3, order: [1, 0], axis: 0, mode: 'wrap', cval: 90, truncate: 1, radius: 1, threshold: 60, lowThreshold: 0.1, highThreshold: 0.999, useQuantiles: false };
  for (const op of OP_NAMES) {
    it(`uses every parameter ${op} takes (${paramsUsedBy(op).join(', ')}): changing one changes the output`, async () => {
      const engine = createCpuEngine();
      const [reference] = await engine.run(structured(), [base[op]]);
      for (const param of paramsUsedBy(op)) {
        const [result] = await engine.run(structured(), [{ ...base[op], [param]: changed[param] }]);
        expect(Array.from(result.data), `${op} ignored ${param}`).not.toEqual(Array.from(reference.data));
      }
    });
  }

  it('rejects bad requests before computing anything, quoting the request and the constraint', async () => {
    const engine = createCpuEngine();
    const image = structured();
    // Plain-JavaScript misuse the types forbid: validateOp must still catch it at run time.
    const bad: [Record<string, unknown>, string][] = [
      [{ op: 'blur' }, 'op must be one of gaussian, gaussian-laplace'],
      [{ op: 'sobel', sigma: 2 }, 'op sobel does not take sigma; it takes axis, mode, cval'],
      [{ op: 'mask', mode: 'wrap' }, 'op mask does not take mode; it takes threshold'],
      [{ op: 'sobel', axis: 2 }, 'axis must be 0 or -2 (rows), 1 or -1 (columns), got 2'],
      [{ op: 'gaussian', mode: 'edge' }, 'mode must be one of reflect, mirror, nearest, constant, wrap; got "edge"'],
      [{ op: 'gaussian', sigma: -1 }, 'sigma must be a finite number >= 0, got -1'],
      [{ op: 'gaussian-laplace', sigma: 0 }, 'sigma must be a finite number > 0, got 0'],
      [{ op: 'gaussian', sigma: [1, 2, 3] }, 'sigma must be a number or a pair [rows, columns], got [1,2,3]'],
      [{ op: 'gaussian', order: 4 }, 'order must be 0, 1, 2 or 3, got 4'],
      [{ op: 'gaussian', radius: 1.5 }, 'radius must be a non-negative integer, got 1.5'],
      [{ op: 'gaussian', truncate: -1 }, 'truncate must be a finite number >= 0, got -1'],
      [{ op: 'laplace', cval: NaN }, 'cval must be a finite number, got NaN'],
      [{ op: 'mask', threshold: Infinity }, 'threshold must be a finite number, got Infinity'],
    ];
    for (const [request, message] of bad) {
      await expect(engine.run(image, [{ op: 'gaussian' }, request as unknown as OpRequest])).rejects.toThrow(`request 1 (${JSON.stringify(request)}) is invalid: ${message}`);
    }
  });

  it('rejects bad histogram options with the bad value', async () => {
    const engine = createCpuEngine();
    const image = structured();
    await expect(engine.histogram(image, { min: 0, max: 255, bins: 0 })).rejects.toThrow('histogram bins must be a positive integer, got 0');
    await expect(engine.histogram(image, { min: 0, max: 255, bins: 2.5 })).rejects.toThrow('histogram bins must be a positive integer, got 2.5');
    await expect(engine.histogram(image, { min: 5, max: 1, bins: 4 })).rejects.toThrow('histogram min must be <= max, got min 5 > max 1');
    await expect(engine.histogram(image, { min: NaN, max: 1, bins: 4 })).rejects.toThrow('histogram min and max must be finite numbers, got min NaN, max 1');
  });

  it('runs a batch of same-sized images and names the frame whose size differs', async () => {
    const engine = createCpuEngine();
    const a = structured();
    const b = imageFrom(a.width, a.height, Float64Array.from(a.data, (v) => 255 - v));
    const batch = await engine.runBatch([a, b], [{ op: 'gaussian' }]);
    expect(batch).toEqual([await engine.run(a, [{ op: 'gaussian' }]), await engine.run(b, [{ op: 'gaussian' }])]);
    const small = imageFrom(2, 2, new Float64Array(4));
    await expect(engine.runBatch([a, small], [{ op: 'gaussian' }])).rejects.toThrow('images differ in size: frame 0 is 53x37 but frame 1 is 2x2');
  });

  it('refuses all work after dispose', async () => {
    const engine = createCpuEngine();
    await engine.dispose();
    const message = 'the cpu engine was disposed';
    await expect(engine.run(structured(), [{ op: 'gaussian' }])).rejects.toThrow(message);
    await expect(engine.stats(structured())).rejects.toThrow(message);
    await expect(engine.histogram(structured(), { min: 0, max: 1, bins: 1 })).rejects.toThrow(message);
  });
});

describe('cpu point-wise and table pieces', () => {
  it('normalises a flat (all-zero) magnitude to zeros, where NumPy would give NaN', () => {
    expect(Array.from(normaliseTo255(new Float64Array(4)))).toEqual([0, 0, 0, 0]);
    expect(Array.from(normaliseTo255(Float64Array.from([0, 1, 2])))).toEqual([0, 127.5, 255]);
  });

  it('returns magnitude zeros for an image without edges (a constant image)', async () => {
    const [result] = await createCpuEngine().run(imageFrom(4, 3, new Float64Array(12).fill(9)), [{ op: 'sobel-magnitude', mode: 'nearest' }]);
    expect(Array.from(result.data)).toEqual(new Array(12).fill(0));
  });

  it('has no Fourier factor table on an axis of length 1 and flushes exp(p k^2) to exactly 0 past |p k^2| = 50', () => {
    expect(fourierGaussianFactors(3, 1)).toBeNull();
    const n = 64;
    const sigma = 20;
    const factors = fourierGaussianFactors(sigma, n)!;
    const p = -2 * ((sigma * Math.PI) / n) ** 2;
    const k = (i: number) => (i < Math.ceil(n / 2) ? i : i - n); // numpy.fft.fftfreq(n) * n
    for (let i = 0; i < n; i++) {
      if (Math.abs(p * k(i) * k(i)) > 50) expect(factors[i]).toBe(0);
      else expect(factors[i]).toBeCloseTo(Math.exp(p * k(i) * k(i)), 15);
    }
    expect(factors.filter((f) => f === 0).length).toBeGreaterThan(0);
  });

  it("puts a value equal to max in the last bin and uses linspace's edges, not integer levels", () => {
    const edges = histogramEdges(0, 255, 256);
    expect(edges[256]).toBe(255);
    expect(edges[1]).toBe(255 / 256);
    const counts = histogram(Float64Array.from([0, 1, 254, 255, 255.5, -0.1]), { min: 0, max: 255, bins: 256 });
    expect(counts[0]).toBe(1); // 0
    expect(counts[1]).toBe(1); // 1 is in [0.996, 1.992)
    expect(counts[254]).toBe(1); // 254 is in [253.008, 254.004)
    expect(counts[255]).toBe(1); // 255 = max is in the last bin, [254.004, 255]
    expect(counts.reduce((a, b) => a + b, 0)).toBe(4); // 255.5 and -0.1 dropped
    // numpy.histogram([0, 1, 254, 255, 255.5, -0.1], numpy.linspace(0, 255, 257)) has ones at 0, 1, 254, 255.
  });
});
