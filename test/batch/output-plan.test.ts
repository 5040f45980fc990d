import { describe, expect, it } from 'vitest';
import { tutorialStages } from '../../src/pipeline/tutorial.js';
import { validateOp } from '../../src/filters/ops.js';
import { defaultOutputs, outputPathsFor, parseOpsList } from '../../src/pipeline/batch/output-plan.js';

describe('output plan', () => {
  it("defaults to the tutorial's six outputs, in the tutorial's order, with the tutorial's parameters", () => {
    // numpy-tutorials, tutorial-x-ray-image-processing: gaussian_laplace(sigma=1), gaussian_gradient_magnitude(sigma=2),
    // hypot of sobel, hypot of prewitt(fourier_gaussian(sigma=0.05)), where(x > 150, x, 0), where(x > 150, 1, 0).
    expect(defaultOutputs().map((o) => o.label)).toEqual(['gaussian-laplace', 'gaussian-gradient-magnitude', 'sobel-magnitude', 'tutorial-canny', 'mask', 'mask-binary']);
    const resolved = defaultOutputs().map((o) => validateOp(o.request));
    expect(resolved.map((r) => r.sigma[0])).toEqual([1, 2, 0, 0.05, 0, 0]);
    expect(resolved.slice(4).map((r) => r.threshold)).toEqual([150, 150]);
    // The tutorial stages of `run` hold the same requests (run also has a true Canny panel, which the batch leaves out).
    const stageOps = tutorialStages().map((s) => s.request.op);
    for (const op of defaultOutputs().map((o) => o.label)) expect(stageOps).toContain(op);
  });

  it('parses op names with optional key=value parameters into labelled requests', () => {
    expect(parseOpsList('sobel-magnitude, gaussian:sigma=3:order=1,mask:threshold=100')).toEqual([
      { label: 'sobel-magnitude', request: { op: 'sobel-magnitude' } },
      { label: 'gaussian-sigma3-order1', request: { op: 'gaussian', sigma: 3, order: 1 } },
      { label: 'mask-threshold100', request: { op: 'mask', threshold: 100 } },
    ]);
  });

  it('rejects an unknown op, a parameter the op does not take, a bad value and a duplicate, saying which', () => {
    expect(() => parseOpsList('blur')).toThrow(/op must be one of .*; got "blur"/);
    expect(() => parseOpsList('mask:sigma=2')).toThrow('op mask does not take sigma; it takes threshold');
    expect(() => parseOpsList('gaussian:sigma=abc')).toThrow('parameter sigma must be a number, got "abc" in "gaussian:sigma=abc"');
    expect(() => parseOpsList('gaussian:colour=red')).toThrow(/unknown op parameter colour/);
    expect(() => parseOpsList('mask,mask')).toThrow('--ops lists mask twice; give each a different parameter');
    expect(() => parseOpsList('mask,')).toThrow(/comma-separated list/);
    expect(() => parseOpsList('gaussian:mode=wavy')).toThrow(/mode must be one of/);
  });

  it('mirrors the input path: folder kept, extension replaced by label and format', () => {
    const outputs = parseOpsList('sobel-magnitude,mask');
    expect(outputPathsFor('images_001/images/00000001_000.png', outputs, 'png')).toEqual([
      'images_001/images/00000001_000.sobel-magnitude.png',
      'images_001/images/00000001_000.mask.png',
    ]);
    expect(outputPathsFor('x.PNG', outputs, 'npy')).toEqual(['x.sobel-magnitude.npy', 'x.mask.npy']);
  });
});

describe('output names of inputs that share a stem', () => {
  it('keep the whole input name, so x.png and x.PNG never write one file', () => {
    const outputs = parseOpsList('sobel-magnitude');
    expect(outputPathsFor('a/x.PNG', outputs, 'png', { keepExtension: true })).toEqual(['a/x.PNG.sobel-magnitude.png']);
    expect(outputPathsFor('a/x.png', outputs, 'png', { keepExtension: true })).toEqual(['a/x.png.sobel-magnitude.png']);
    expect(outputPathsFor('a/x.png', outputs, 'png')).toEqual(['a/x.sobel-magnitude.png']);
  });
});
