/**
 * `ndimage.fourier_gaussian(input, sigma)` (n = -1) as the tutorial applies it: to the real image
 * itself, as though the pixels were a spectrum. Reproduces ndimage/src/ni_fourier.c
 * (NI_FourierFilter, _NI_GAUSSIAN): per axis of length n > 1 a factor table
 *
 *   f(k) = exp(p k^2),  p = -2 (sigma pi / n)^2,  k = 0, 1, ..., ceil(n/2)-1, -floor(n/2), ..., -1
 *
 * with f = 0 exactly where |p k^2| > 50; an axis of length 1 has no table (factor 1). Each output
 * is ((1 * f0[y]) * f1[x]) * input, the C code's order of multiplication.
 */

/** Cut-off of NI_FourierFilter: exponents below -50 are flushed to 0 rather than computed. */
const EXPONENT_CUTOFF = 50;

/** The factor table of one axis of length `n`, indexed like numpy.fft.fftfreq(n) * n; null for n = 1. */
export function fourierGaussianFactors(sigma: number, n: number): Float64Array | null {
  if (n <= 1) return null;
  let p = (sigma * Math.PI) / n;
  p = -2.0 * p * p;
  const factors = new Float64Array(n);
  let j = 0;
  const factor = (k: number): number => {
    const exponent = p * k * k;
    return Math.abs(exponent) > EXPONENT_CUTOFF ? 0.0 : Math.exp(exponent);
  };
  for (let k = 0; k < Math.floor((n + 1) / 2); k++) factors[j++] = factor(k);
  for (let k = -Math.floor(n / 2); k < 0; k++) factors[j++] = factor(k);
  return factors;
}

/** Multiplies a real `width` x `height` image by the Gaussian factors of both axes (sigma per axis [rows, columns]), into `output`. */
export function fourierGaussian(
  input: Float64Array,
  width: number,
  height: number,
  sigma: readonly [number, number],
  output: Float64Array = new Float64Array(input.length),
): Float64Array {
  const rows = fourierGaussianFactors(sigma[0], height);
  const columns = fourierGaussianFactors(sigma[1], width);
  for (let y = 0; y < height; y++) {
    const fy = rows === null ? 1.0 : rows[y];
    const o = y * width;
    if (columns === null) {
      for (let x = 0; x < width; x++) output[o + x] = fy * input[o + x];
    } else {
      for (let x = 0; x < width; x++) output[o + x] = fy * columns[x] * input[o + x];
    }
  }
  return output;
}
