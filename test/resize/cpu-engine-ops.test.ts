/** The resize and clahe ops through the CPU engine's Engine.run: sizes, values, validation. */
import { describe, expect, it } from 'vitest';
import { clahe } from '../../src/cpu/clahe.js';
import { createCpuEngine } from '../../src/cpu/engine.js';
import { type OpRequest, validateOp } from '../../src/filters/ops.js';
import type { Image2D } from '../../src/image.js';
import { claheManifest, loadClaheNpy, loadResizeNpy, maxAbsDiff, resizeManifest } from '../helpers/resize-golden.js';

describe('cpu engine: resize and clahe ops', () => {
  it('returns results of the requested size next to same-size ops, matching skimage and OpenCV', async () => {
    const c = resizeManifest().cases[0];
    const input = loadResizeNpy(c.input);
    const engine = createCpuEngine();
    const [skimage, area, gauss] = await engine.run(input, [
      { op: 'resize', height: c.height, width: c.width },
      { op: 'resize', height: c.height, width: c.width, method: 'area' },
      { op: 'gaussian', sigma: 1 },
    ]);
    expect([skimage.height, skimage.width, area.height, area.width]).toEqual([c.height, c.width, c.height, c.width]);
    expect([gauss.height, gauss.width]).toEqual([input.height, input.width]);
    expect(maxAbsDiff(skimage, loadResizeNpy(c.skimage))).toBeLessThanOrEqual(1e-6 * 255);
    expect(maxAbsDiff(area, loadResizeNpy(c.area))).toBeLessThanOrEqual(1e-6 * 255);
  });

  it('clahe gives the levels of src/cpu/clahe.ts, and every parameter reaches it', async () => {
    const c = claheManifest().cases[1];
    const input = loadClaheNpy(c.input) as Image2D<Uint8Array>;
    const [out, clipped] = await createCpuEngine().run(input, [{ op: 'clahe', ...c.params }, { op: 'clahe', ...c.params, clipLimit: 0.2 }]);
    expect(maxAbsDiff(out, loadClaheNpy(c.expected))).toBe(0);
    expect(maxAbsDiff(clipped, clahe(input, { ...c.params, clipLimit: 0.2 }))).toBe(0);
    expect(maxAbsDiff(clipped, out)).toBeGreaterThan(0);
  });

  it('rejects bad requests with one line', async () => {
    const engine = createCpuEngine();
    const input = loadClaheNpy(claheManifest().cases[0].input);
    await expect(engine.run({ ...input, data: Float64Array.from(input.data) }, [{ op: 'clahe' }])).rejects.toThrow(
      'op clahe takes an 8-bit image; this one is float64',
    );
    expect(() => validateOp({ op: 'resize', height: 10 } as OpRequest)).toThrow('resize width must be an integer from 1 to 65536, got undefined');
    expect(() => validateOp({ op: 'resize', height: 10, width: 10, method: 'cubic' as never })).toThrow(
      'resize method must be one of skimage, area; got "cubic"',
    );
    expect(() => validateOp({ op: 'resize', height: 10, width: 10, sigma: 1 } as OpRequest)).toThrow('op resize does not take sigma');
    expect(() => validateOp({ op: 'clahe', height: 10 } as OpRequest)).toThrow('op clahe does not take height');
  });
});
