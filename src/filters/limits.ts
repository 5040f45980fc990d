/**
 * Upper bounds on filter parameters, checked with the rest of an op's validation so that an absurd
 * value is refused at once rather than after minutes of work or gigabytes of kernel:
 *
 *   Gaussian kernel radius <= 4096 pixels (a kernel of 8193 taps per axis). The cost per pixel grows
 *   with the radius; 4096 is four times the side of a ChestX-ray8 image, and a kernel wider than
 *   twice the image only folds the same pixels in again (every boundary mode repeats the image).
 *   The radius is `radius` when given, else int(truncate * sigma + 0.5), so sigma and truncate are
 *   bounded through it.
 *   fourier-gaussian sigma <= 1e9: beyond about 5n/pi every factor but the one at frequency 0 is
 *   exactly 0 for an axis of n pixels, and n cannot exceed the 2^28-pixel image limit, so larger
 *   values give the same output (and past ~1e150 the exponent overflows to NaN).
 */

export const MAX_KERNEL_RADIUS = 4096;
export const MAX_FOURIER_SIGMA = 1e9;

/** Ops whose sigma sets the radius of a Gaussian kernel (canny truncates at 4, as skimage). */
const KERNEL_OPS: ReadonlySet<string> = new Set(['gaussian', 'gaussian-laplace', 'gaussian-gradient-magnitude', 'canny']);
const FOURIER_OPS: ReadonlySet<string> = new Set(['fourier-gaussian', 'tutorial-canny']);

/** Throws a RangeError saying which bound a parameter passes and why the bound is there. */
export function checkParameterLimits(op: string, sigma: readonly [number, number], truncate: number, radius: number | undefined): void {
  if (radius !== undefined && radius > MAX_KERNEL_RADIUS) {
    throw new RangeError(
      `radius must be at most ${MAX_KERNEL_RADIUS} pixels (a kernel of ${2 * MAX_KERNEL_RADIUS + 1} taps; the cost grows with it and a wider kernel only repeats the image), got ${radius}`,
    );
  }
  if (KERNEL_OPS.has(op) && radius === undefined) {
    const kernelTruncate = op === 'canny' ? 4 : truncate;
    for (const s of sigma) {
      const implied = Math.trunc(kernelTruncate * s + 0.5);
      if (implied > MAX_KERNEL_RADIUS) {
        throw new RangeError(
          `sigma ${s} with truncate ${kernelTruncate} gives a kernel radius of ${implied} pixels; the limit is ${MAX_KERNEL_RADIUS} ` +
            `(the cost grows with the radius, and a wider kernel only repeats the image): use sigma <= ${Math.floor((MAX_KERNEL_RADIUS - 0.5) / kernelTruncate)}` +
            `${op === 'canny' ? '' : ' or a smaller truncate'}`,
        );
      }
    }
  }
  if (FOURIER_OPS.has(op)) {
    for (const s of sigma) {
      if (s > MAX_FOURIER_SIGMA) {
        throw new RangeError(
          `sigma must be at most ${MAX_FOURIER_SIGMA} for ${op} (beyond it every frequency but 0 is already cut to 0 in any image the decoder accepts), got ${s}`,
        );
      }
    }
  }
}
