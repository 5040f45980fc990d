/**
 * xray-gpu's defaults against SciPy's and scikit-image's: each op run with no parameter at all must
 * equal the library called with only what it requires (test/golden/scipy-defaults.json, made by
 * scripts/make_scipy_defaults_golden.py), and OP_SPECS must describe what validateOp does.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCpuEngine } from '../../src/cpu/engine.js';
import { OP_NAMES, OP_SPECS, type OpName, type OpRequest, opRequest, paramsUsedBy, validateOp } from '../../src/filters/ops.js';
import { imageFrom } from '../../src/image.js';
import { GOLDEN_DIR } from '../helpers/golden.js';

interface DefaultsGolden {
  input: { width: number; height: number; values: number[] };
  ops: { op: OpName; call: string; values: number[] }[];
}
const golden = JSON.parse(readFileSync(join(GOLDEN_DIR, 'scipy-defaults.json'), 'utf8')) as DefaultsGolden;

describe('defaults match SciPy / scikit-image', () => {
  it('the fixture covers every op', () => {
    expect(golden.ops.map((o) => o.op).sort()).toEqual([...OP_NAMES].sort());
  });
  const image = imageFrom(golden.input.width, golden.input.height, Uint8Array.from(golden.input.values));
  for (const { op, call, values } of golden.ops) {
    it(`{ op: '${op}' } equals ${call}`, async () => {
      const [result] = await createCpuEngine().run(image, [{ op } as OpRequest]);
      const range = Math.max(1, Math.max(...values) - Math.min(...values));
      let worst = 0;
      values.forEach((v, i) => (worst = Math.max(worst, Math.abs(result.data[i] - v))));
      expect(worst, `max |diff| from ${call}`).toBeLessThanOrEqual(1e-9 * range);
    });
  }
});

describe('OP_SPECS', () => {
  it('lists every op, under its own name, with the parameters validateOp accepts', () => {
    expect(Object.keys(OP_SPECS).sort()).toEqual([...OP_NAMES].sort());
    for (const op of OP_NAMES) {
      expect(OP_SPECS[op].op).toBe(op);
      expect(paramsUsedBy(op)).toEqual(OP_SPECS[op].params.map((p) => p.name));
      for (const param of OP_SPECS[op].params) {
        expect(param.flag, `${op} ${param.name}`).toBe(`--${param.name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
        expect(param.description && param.defaultText && param.accepts, `${op} ${param.name}`).toBeTruthy();
      }
    }
  });

  it('states the defaults validateOp applies', () => {
    for (const op of OP_NAMES) {
      const resolved = validateOp({ op } as OpRequest);
      for (const param of OP_SPECS[op].params) {
        if (param.default === undefined) continue;
        const actual: unknown = {
          sigma: resolved.sigma[0],
          order: resolved.order[0],
          axis: resolved.axis === 1 ? -1 : -2,
          mode: resolved.mode,
          cval: resolved.cval,
          truncate: resolved.truncate,
          radius: resolved.radius,
          threshold: resolved.threshold,
          lowThreshold: resolved.canny?.lowThreshold,
          highThreshold: resolved.canny?.highThreshold,
          useQuantiles: resolved.canny?.useQuantiles,
        }[param.name];
        expect(actual, `${op} ${param.name}`).toBe(param.default);
      }
    }
  });

  it('says where a default differs from SciPy on purpose: sigma where SciPy requires one', () => {
    const differing = OP_NAMES.flatMap((op) => OP_SPECS[op].params.filter((p) => p.differs).map((p) => `${op}.${p.name}`));
    expect(differing).toEqual([
      'gaussian.sigma',
      'gaussian-laplace.sigma',
      'gaussian-gradient-magnitude.sigma',
      'fourier-gaussian.sigma',
      'tutorial-canny.sigma',
      'mask.threshold',
      'mask-binary.threshold',
    ]);
  });
});

describe('axis as SciPy takes it', () => {
  it('resolves -1 to columns and -2 to rows, and defaults to -1', () => {
    expect(validateOp({ op: 'sobel' }).axis).toBe(1);
    expect(validateOp({ op: 'sobel', axis: -1 }).axis).toBe(1);
    expect(validateOp({ op: 'prewitt', axis: -2 }).axis).toBe(0);
    expect(validateOp({ op: 'prewitt', axis: 0 }).axis).toBe(0);
    expect(() => validateOp({ op: 'sobel', axis: -3 } as unknown as OpRequest)).toThrow('axis must be 0 or -2 (rows), 1 or -1 (columns), got -3');
    expect(() => validateOp({ op: 'sobel', axis: '1' } as unknown as OpRequest)).toThrow('axis must be 0 or -2 (rows), 1 or -1 (columns), got "1"');
  });
});

describe('plain-JavaScript misuse', () => {
  const plain = (value: unknown) => () => validateOp(value as OpRequest);
  it('names what is wrong in one line', () => {
    expect(plain(null)).toThrow("an op request must be an object such as { op: 'gaussian', sigma: 2 }, got null");
    expect(plain(undefined)).toThrow('an op request must be an object such as');
    expect(plain('sobel')).toThrow('an op request must be an object such as { op: \'gaussian\', sigma: 2 }, got "sobel"');
    expect(plain([{ op: 'sobel' }])).toThrow('an op request must be an object');
    expect(plain({})).toThrow('op must be one of gaussian, gaussian-laplace');
    expect(plain({ op: 'gaussian', sigma: '2' })).toThrow('sigma must be a number or a pair [rows, columns], got "2"');
    expect(plain({ op: 'gaussian', sigma: [1, '2'] })).toThrow('sigma must be a number or a pair [rows, columns] of numbers, got [1,"2"]');
    expect(plain({ op: 'mask', threshold: '150' })).toThrow('threshold must be a finite number, got "150"');
    expect(plain({ op: 'laplace', cval: null })).toThrow('cval must be a finite number, got null');
    expect(plain({ op: 'canny', useQuantiles: 'yes' })).toThrow('canny useQuantiles must be true or false, got "yes"');
  });
});

describe('opRequest', () => {
  it('builds a typed request, dropping undefined parameters', () => {
    expect(opRequest('sobel', { axis: 0, sigma: undefined })).toEqual({ op: 'sobel', axis: 0 });
  });
  it('rejects a parameter the op does not take', () => {
    expect(() => opRequest('sobel', { sigma: 2 })).toThrow('op sobel does not take sigma; it takes axis, mode, cval');
  });
});
