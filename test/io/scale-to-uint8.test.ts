import { describe, expect, it } from 'vitest';
import { scaleToUint8 } from '../../src/io/image-file.js';

/** The documented formula, written the slow obvious way: the oracle for the fast loop. */
function reference(data: Float64Array): number[] {
  const finite = Array.from(data).filter(Number.isFinite);
  const min = Math.min(...finite);
  const max = Math.max(...finite);
  const scale = 255 / (max - min);
  return Array.from(data, (v) => (Number.isFinite(v) ? Math.round((v - min) * scale) : 0));
}

describe('scaleToUint8 rounding', () => {
  it('rounds exact halves up and values just below a half down, as Math.round does', () => {
    // min 0 and max 255 make the scale 1, so each value is its own scaled level.
    const values = [0, 255, 0.5, 0.49999999999999994, 1.5, 1.4999999999999998, 127.5, 127.49999999999999, 254.5, 254.49999999999997];
    const data = Float64Array.from(values);
    expect(Array.from(scaleToUint8({ width: data.length, height: 1, data }).data)).toEqual(reference(data));
    expect(Array.from(scaleToUint8({ width: data.length, height: 1, data }).data)).toEqual([0, 255, 1, 0, 2, 1, 128, 127, 255, 254]);
  });

  it('matches Math.round of the scaled value on random data with NaN and infinities', () => {
    let state = 12345;
    const data = Float64Array.from({ length: 20000 }, (_, i) => {
      state = (state * 1103515245 + 12345) >>> 0;
      if (i % 997 === 0) return [Number.NaN, Infinity, -Infinity][i % 3];
      return (state / 2 ** 32) * 3.7 - 1.2;
    });
    expect(Array.from(scaleToUint8({ width: 200, height: 100, data }).data)).toEqual(reference(data));
  });
});
