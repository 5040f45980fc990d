/**
 * float64 -> IEEE 754 binary16 bits, rounded to nearest, ties to even, in one rounding from the
 * double (as NumPy's `x.astype(np.float16)` does for a float64 array: npy_doublebits_to_halfbits in
 * numpy/core/src/npymath/halffloat.c). Going through float32 first would round twice and could differ
 * by one unit on ties. Browser-safe.
 */

const HALF_INFINITY = 0x7c00;
/** Halfway between the largest half (65504) and 65536: from here up, rounding gives infinity. */
const OVERFLOW_THRESHOLD = 65520;
/** The smallest normal half, 2^-14; below it halves are subnormal, multiples of 2^-24. */
const MIN_NORMAL = 2 ** -14;
const SUBNORMAL_STEP_INVERSE = 2 ** 24;

const scratch = new Float64Array(1);
const scratchWords = new Uint32Array(scratch.buffer);
/** Index of the 32-bit word holding the sign and exponent (the high word; hosts are little-endian in practice). */
const HIGH = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/** The binary16 bits of `value` (round to nearest even; NaN keeps its top payload bits as NumPy does). */
export function float16Bits(value: number): number {
  scratch[0] = value;
  const high = scratchWords[HIGH];
  const sign = (high >>> 16) & 0x8000;
  const magnitude = Math.abs(value);
  if (Number.isNaN(value)) {
    // NumPy: 0x7c00 + the top 10 bits of the double's significand, kept a NaN if those are all zero.
    const payload = (high & 0x000fffff) >>> 10;
    return sign | HALF_INFINITY | (payload === 0 ? 1 : payload);
  }
  if (magnitude >= OVERFLOW_THRESHOLD) return sign | HALF_INFINITY;
  if (magnitude < MIN_NORMAL) {
    // Subnormal (or zero): a multiple of 2^-24; the scaling by a power of two is exact.
    return sign | roundHalfEven(magnitude * SUBNORMAL_STEP_INVERSE);
  }
  const exponent = ((high >>> 20) & 0x7ff) - 1023;
  // The significand with 10 fraction bits as an integer in [1024, 2048); exact scaling again.
  let significand = roundHalfEven(magnitude * 2 ** (10 - exponent));
  let biased = exponent + 15;
  if (significand === 2048) {
    significand = 1024;
    biased++;
  }
  // biased <= 30 here: magnitudes that would reach 31 are past the overflow threshold.
  return sign | (biased << 10) | (significand - 1024);
}

/** `values` as binary16 bits (one Uint16 per value), rounded as `float16Bits`. */
export function toFloat16Bits(values: ArrayLike<number>, out = new Uint16Array(values.length)): Uint16Array {
  if (out.length !== values.length) throw new RangeError(`float16 output holds ${out.length} values, expected ${values.length}`);
  for (let i = 0; i < values.length; i++) out[i] = float16Bits(values[i]);
  return out;
}

/** The value of binary16 bits (exact in a double), for tests and readers. */
export function float16Value(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >>> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 31) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (1024 + fraction) * 2 ** (exponent - 25);
}

/** Round half to even of a non-negative double whose integer part is exact (< 2^52). */
function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const rest = x - floor;
  if (rest > 0.5) return floor + 1;
  if (rest < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}
