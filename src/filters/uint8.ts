/**
 * Float to 8-bit levels as NumPy writes them: `np.clip(np.round(x), 0, 255).astype(np.uint8)`.
 * np.round rounds half to even (IEEE round-to-nearest), as does OpenCV's saturate_cast<uchar>
 * (cvRound); Math.round would send 2.5 to 3 instead of 2. NaN becomes 0, as the cast does on x86.
 */

/** `np.round(x)` for one value: nearest integer, ties to even. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  // Math.round sends ties up; a tie whose upper neighbour is odd goes down instead.
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** `np.clip(np.round(x), 0, 255).astype(np.uint8)` over an array, into `output` when given. */
export function toUint8Levels(values: ArrayLike<number>, output: Uint8Array = new Uint8Array(values.length)): Uint8Array {
  if (output.length !== values.length) {
    throw new RangeError(`output has ${output.length} values, expected ${values.length}`);
  }
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    // Out of range and NaN first: Uint8Array would wrap or zero them silently.
    output[i] = v >= 255 ? 255 : v > 0 ? roundHalfEven(v) : 0;
  }
  return output;
}
