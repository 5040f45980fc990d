/**
 * The workgroup-tiled correlation kernels (staging a tile plus its halo in workgroup memory). The
 * engine uses them on hardware adapters only, so on SwiftShader they are forced on here and checked
 * against the CPU engine: every boundary mode, tiles cut by the image edge, several tiles each way,
 * and the largest radii a tile holds.
 */
import { expect } from 'vitest';
import { createCpuEngine } from '../../src/cpu/engine.js';
import { BOUNDARY_MODES } from '../../src/filters/boundary.js';
import type { OpRequest } from '../../src/filters/ops.js';
import { COL_HALO_MAX, ROW_HALO_MAX } from '../../src/gpu/programs/correlate.js';
import { maxAbsDiff } from '../helpers/golden.js';
import { useGpuEngine } from '../helpers/gpu.js';
import { describeRequest, parityImage, parityTolerance } from './parity-cases.js';

const gpu = useGpuEngine({ workgroupTiles: true });
const cpu = createCpuEngine();

const requests: OpRequest[] = [
  ...BOUNDARY_MODES.flatMap((mode): OpRequest[] => {
    const m = mode === 'constant' ? { mode, cval: 17.5 } : { mode };
    return [{ op: 'gaussian', sigma: 3.3, ...m }, { op: 'sobel-magnitude', ...m }];
  }),
  { op: 'gaussian-laplace', sigma: 1.7, mode: 'nearest' }, // the fused `add` epilogue
  { op: 'gaussian', sigma: [1, 1], radius: COL_HALO_MAX, mode: 'wrap' }, // the widest halo both tiles hold
  { op: 'gaussian', sigma: [0, 1], radius: ROW_HALO_MAX, mode: 'mirror' }, // rows only, the widest row halo
  { op: 'gaussian', sigma: [1, 0], radius: COL_HALO_MAX + 1, mode: 'reflect' }, // columns fall back to global memory
];

// 300 wide: two 256-pixel row tiles; 140 tall: three 64-row column tiles (kept thin: barriers are slow on SwiftShader).
for (const [width, height] of [[1, 7], [7, 1], [37, 53], [300, 5], [5, 140]] as const) {
  gpu.it(`match the CPU engine within 1e-4 of the range on a ${width}x${height} image`, async ({ engine }) => {
    const image = parityImage(width, height, 5);
    const [actual, expected] = await Promise.all([engine.run(image, requests), cpu.run(image, requests)]);
    const failures = requests.flatMap((request, i) => {
      const error = maxAbsDiff(actual[i].data, expected[i].data);
      const allowed = parityTolerance(expected[i].data);
      return error <= allowed ? [] : [`${describeRequest(request)}: max error ${error} > ${allowed}`];
    });
    expect(failures).toEqual([]);
  });
}
