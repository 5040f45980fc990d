/**
 * The public entries export the public API only: internals stay importable from their modules (as
 * the tests do) but not from `xray-gpu` or `xray-gpu/node`. TypeDoc (npm run docs:check) checks
 * that each export is documented.
 */
import { describe, expect, it } from 'vitest';
import * as root from '../../src/index.js';
import * as node from '../../src/node.js';

const INTERNALS = [
  'boundaryIndex',
  'FLOAT64_EPSILON',
  'SIGMA_EPSILON',
  'DERIVATIVE_WEIGHTS',
  'SOBEL_SMOOTHING',
  'gaussianKernel1d',
  'validateRequest',
  'validateOpName',
  'paramsUsedBy',
  'percentileOfSorted',
  'CANNY_BORDER',
  'validateCannyParams',
  'writeFileAtomic',
  'validateEngineChoice',
];

describe('public entries', () => {
  it('xray-gpu exports the engines, ops, colormaps and statistics, and no internals', () => {
    for (const name of ['createCpuEngine', 'createGpuEngine', 'validateOp', 'opRequest', 'OP_SPECS', 'loadColormap', 'computeStatsRecord', 'decodeNpy']) {
      expect(root, name).toHaveProperty(name);
    }
    for (const name of INTERNALS) expect(Object.keys(root), name).not.toContain(name);
  });

  it('xray-gpu/node adds the Node pieces, and no internals', () => {
    for (const name of Object.keys(root)) expect(node, name).toHaveProperty(name);
    for (const name of ['readImageFile', 'writeImageFile', 'nodeGpu', 'selectEngine', 'runTutorial']) expect(node, name).toHaveProperty(name);
    for (const name of INTERNALS) expect(Object.keys(node), name).not.toContain(name);
    expect(Object.keys(node).length).toBeLessThan(80);
  });
});
