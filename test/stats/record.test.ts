/**
 * The statistics record (xray-gpu/stats@1) against NumPy: test/golden/stats-records.json, made by
 * scripts/make_stats_golden.py. Also its JSON form: 12 significant digits, null for NaN.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCpuEngine } from '../../src/cpu/engine.js';
import { type PixelArray, imageFrom } from '../../src/image.js';
import { STATS_SCHEMA, computeStatsRecord, roundStat, statsRecord, statsRecordJson } from '../../src/stats/record.js';
import { GOLDEN_DIR, findSamplesDir } from '../helpers/golden.js';
import { readImageFile } from '../../src/io/image-file.js';

interface NumpyRecord {
  width: number;
  height: number;
  dtype: string;
  min: number;
  max: number;
  mean: number;
  median: number;
  std: number;
  percentiles: Record<string, number>;
  histogram: { min: number; max: number; bins: number; counts: number[] };
}
const golden = JSON.parse(readFileSync(join(GOLDEN_DIR, 'stats-records.json'), 'utf8')) as {
  cases: (NumpyRecord & { name: string; values: number[] })[];
  sample?: NumpyRecord & { image: string };
};

const ARRAYS: Record<string, (values: number[]) => PixelArray> = {
  uint8: (v) => Uint8Array.from(v),
  uint16: (v) => Uint16Array.from(v),
  float32: (v) => Float32Array.from(v),
  float64: (v) => Float64Array.from(v),
};

/** Every number of the record within `relative` of NumPy's (of 1 for values near 0). */
function expectClose(actual: unknown, expected: unknown, path: string, relative = 1e-12): void {
  if (typeof expected === 'number') {
    expect(typeof actual, path).toBe('number');
    expect(Math.abs((actual as number) - expected), path).toBeLessThanOrEqual(relative * Math.max(1, Math.abs(expected)));
  } else if (expected !== null && typeof expected === 'object') {
    for (const [key, value] of Object.entries(expected)) expectClose((actual as Record<string, unknown>)[key], value, `${path}.${key}`, relative);
  } else {
    expect(actual, path).toEqual(expected);
  }
}

describe('statsRecord matches NumPy', () => {
  for (const { name, values, ...expected } of golden.cases) {
    it(`${name}: min, max, mean, median, std (ddof 0), percentiles (linear), histogram`, () => {
      const image = imageFrom(expected.width, expected.height, ARRAYS[expected.dtype](values));
      const record = statsRecord({ image, file: `${name}.npy` });
      expect(record.schema).toBe(STATS_SCHEMA);
      expect(record.file).toBe(`${name}.npy`);
      expectClose(record, expected, name);
      expect(Object.keys(record.percentiles)).toEqual(['p1', 'p5', 'p25', 'p75', 'p95', 'p99']);
    });
  }

  it.skipIf(golden.sample === undefined || findSamplesDir() === null)('00000011_001.png through an engine (skipped without the samples)', async () => {
    const image = await readImageFile(join(findSamplesDir() ?? '', golden.sample!.image));
    const engine = createCpuEngine();
    const record = await computeStatsRecord(engine, image, { file: 'x.png' });
    await engine.dispose();
    const { image: _name, ...expected } = golden.sample!;
    expectClose(record, expected, 'sample');
  });
});

describe('JSON form', () => {
  it('rounds to 12 significant digits, keeps integers, and writes NaN as null', () => {
    expect(roundStat(172.52233219146729)).toBe(172.522332191);
    expect(roundStat(0.1 + 0.2)).toBe(0.3);
    expect(roundStat(1048576)).toBe(1048576);
    expect(roundStat(-1.23456789012345e-7)).toBe(-1.23456789012e-7);
    expect(roundStat(NaN)).toBeNull();
    const image = imageFrom(2, 1, Float64Array.of(NaN, 1));
    const json = JSON.parse(statsRecordJson(statsRecord({ image })));
    expect(json).toMatchObject({ min: null, max: null, mean: null, median: null, std: null, percentiles: { p1: null } });
    expect(json.histogram.counts).toEqual([]);
  });

  it('histogram options default to the tutorial: the image min and max, 256 bins', async () => {
    const engine = createCpuEngine();
    const image = imageFrom(3, 1, Uint8Array.of(10, 20, 30));
    expect(Array.from(await engine.histogram(image))).toEqual(Array.from(await engine.histogram(image, { min: 10, max: 30, bins: 256 })));
    expect(Array.from(await engine.histogram(image, { bins: 2 }))).toEqual([1, 2]);
    await expect(engine.histogram(image, null as unknown as undefined)).rejects.toThrow(
      'histogram options must be an object { min, max, bins } or left out, got null',
    );
    await expect(engine.histogram(image, { min: '0' as unknown as number, max: 1, bins: 2 })).rejects.toThrow(
      'histogram min and max must be finite numbers, got min 0, max 1',
    );
    await engine.dispose();
  });
});
