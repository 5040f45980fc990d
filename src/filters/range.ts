/**
 * The smallest and largest value of an image: skimage's resize clips to it, CLAHE bins levels by it.
 * A host helper both engines use (the CPU engine has a WebAssembly SIMD path for 8-bit images on top:
 * pixelRange in src/cpu/fast/levels.ts).
 */

/** `{ lo: data.min(), hi: data.max() }`; Infinity and -Infinity for no values. */
export function valueRange(data: ArrayLike<number>): { lo: number; hi: number } {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return { lo, hi };
}
