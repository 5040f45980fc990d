/** Parameter limits: absurd radius, sigma and truncate are refused at once, saying why. */
import { describe, expect, it } from 'vitest';
import { validateOp } from '../../src/filters/ops.js';
import { MAX_FOURIER_SIGMA, MAX_KERNEL_RADIUS } from '../../src/filters/limits.js';

describe('parameter limits', () => {
  it('a radius up to the limit is accepted; one past it is refused naming the limit and why', () => {
    expect(validateOp({ op: 'gaussian', radius: MAX_KERNEL_RADIUS }).radius).toBe(MAX_KERNEL_RADIUS);
    expect(() => validateOp({ op: 'gaussian', radius: MAX_KERNEL_RADIUS + 1 })).toThrow(
      'radius must be at most 4096 pixels (a kernel of 8193 taps; the cost grows with it and a wider kernel only repeats the image), got 4097',
    );
  });

  it('sigma and truncate are bounded through the radius they imply', () => {
    expect(() => validateOp({ op: 'gaussian', sigma: 1023 })).not.toThrow();
    expect(() => validateOp({ op: 'gaussian-laplace', sigma: 1e6 })).toThrow(
      'sigma 1000000 with truncate 4 gives a kernel radius of 4000000 pixels; the limit is 4096',
    );
    expect(() => validateOp({ op: 'gaussian', sigma: 1e300 })).toThrow('gives a kernel radius of');
    expect(() => validateOp({ op: 'gaussian', sigma: 2, truncate: 1e12 })).toThrow('sigma 2 with truncate 1000000000000 gives a kernel radius of 2000000000000 pixels');
    expect(() => validateOp({ op: 'canny', sigma: [1, 2000] })).toThrow('sigma 2000 with truncate 4 gives a kernel radius of 8000 pixels');
    // An explicit radius decides the kernel's size: sigma alone is then harmless.
    expect(() => validateOp({ op: 'gaussian', sigma: 1e6, radius: 10 })).not.toThrow();
  });

  it('fourier-gaussian sigma is bounded where every frequency but 0 is already cut', () => {
    expect(() => validateOp({ op: 'fourier-gaussian', sigma: MAX_FOURIER_SIGMA })).not.toThrow();
    expect(() => validateOp({ op: 'fourier-gaussian', sigma: 1e300 })).toThrow('sigma must be at most 1000000000 for fourier-gaussian');
    expect(() => validateOp({ op: 'tutorial-canny', sigma: 1e10 })).toThrow('sigma must be at most 1000000000 for tutorial-canny');
  });
});
