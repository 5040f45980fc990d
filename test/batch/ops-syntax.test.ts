/** The `--ops` short syntax and `--ops-file`: every op parameter expressible, errors that say where. */
import { describe, expect, it } from 'vitest';
import { labelOf, parseOpsArgs, parseOpsFile } from '../../src/pipeline/batch/ops-syntax.js';

describe('parseOpsArgs', () => {
  it('takes hyphenated parameter names and per-axis pairs, items as separate arguments', () => {
    expect(parseOpsArgs(['gaussian:sigma=2,1:order=0,1', 'canny:sigma=2:low-threshold=5:high-threshold=12:use-quantiles=false:mode=nearest'])).toEqual([
      { label: 'gaussian-sigma2_1-order0_1', request: { op: 'gaussian', sigma: [2, 1], order: [0, 1] } },
      {
        label: 'canny-sigma2-low-threshold5-high-threshold12-use-quantilesfalse-modenearest',
        request: { op: 'canny', sigma: 2, lowThreshold: 5, highThreshold: 12, useQuantiles: false, mode: 'nearest' },
      },
    ]);
  });

  it('keeps the comma-joined form: a comma before an op name starts an item, before a number continues a pair', () => {
    expect(parseOpsArgs(['gaussian:sigma=2,1,sobel:axis=-1,mask']).map((o) => o.label)).toEqual(['gaussian-sigma2_1', 'sobel-axis-1', 'mask']);
  });

  it('accepts camelCase and snake_case parameter names as the same parameter', () => {
    const [a] = parseOpsArgs(['canny:lowThreshold=5']);
    const [b] = parseOpsArgs(['canny:low_threshold=5']);
    expect(a).toEqual(b);
    expect(a.request).toEqual({ op: 'canny', lowThreshold: 5 });
  });

  it.each([
    ['canny:low-threshold=5:lowThreshold=6', 'parameter low-threshold given twice in "canny:low-threshold=5:lowThreshold=6"'],
    ['sobel:sigma=2', 'op sobel does not take sigma (in "sobel:sigma=2"); it takes axis, mode, cval'],
    ['mask:threshold=1,2', 'threshold takes one number; got threshold=1,2 in "mask:threshold=1,2"'],
    ['gaussian:sigma=1,2,3', 'sigma takes one number or ROWS,COLS; got sigma=1,2,3'],
    ['canny:use-quantiles=yes', 'use-quantiles must be true or false; got use-quantiles=yes'],
    ['canny:low-threshold=9:high-threshold=3', 'in --ops item "canny:low-threshold=9:high-threshold=3"'],
    ['gaussian:order=4', 'order must be 0, 1, 2 or 3'],
    ['gaussian:sigma', 'op parameter must be NAME=VALUE, got "sigma"'],
    ['images/', 'op must be one of'],
  ])('%s is an error saying: %s', (arg, message) => {
    expect(() => parseOpsArgs([arg])).toThrow(message);
  });

  it('says how to end the list when a folder lands among the ops', () => {
    expect(() => parseOpsArgs(['sobel', 'data/xrays'])).toThrow(/put the input folder before --ops, or end the list with --/);
  });
});

describe('parseOpsFile', () => {
  it('reads an array of OpRequest objects, labelled as --ops would label them', () => {
    const outputs = parseOpsFile('[{"op": "gaussian", "sigma": [2, 1], "order": [0, 1]}, {"op": "canny", "lowThreshold": 5}]', 'ops.json');
    expect(outputs).toEqual(parseOpsArgs(['gaussian:sigma=2,1:order=0,1', 'canny:low-threshold=5']));
  });

  it.each([
    ['not json', 'ops.json: not JSON'],
    ['{"op": "sobel"}', 'ops.json: expected a non-empty JSON array'],
    ['[]', 'ops.json: expected a non-empty JSON array'],
    ['[{"op": "sobel"}, 3]', 'ops.json: item 1: expected an object such as {"op": "sobel"}, got 3'],
    ['[{"op": "sobel"}, {"op": "sobel", "sigma": 2}]', 'ops.json: item 1: op sobel does not take sigma'],
    ['[{"op": "blur"}]', 'ops.json: item 0: op must be one of'],
    ['[{"op": "mask"}, {"op": "mask"}]', 'ops.json lists mask twice'],
  ])('%s is an error saying: %s', (text, message) => {
    expect(() => parseOpsFile(text, 'ops.json')).toThrow(message);
  });
});

describe('labelOf', () => {
  it('is the op name alone without parameters', () => {
    expect(labelOf({ op: 'sobel-magnitude' })).toBe('sobel-magnitude');
  });
});
